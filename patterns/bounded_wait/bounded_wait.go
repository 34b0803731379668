// Package boundedwait waits for a result at most a while, with select on time.After; the work runs on.
package boundedwait

import (
	"context"
	"encoding/json"

	"asyncsuite/suite"
)

// [pattern]

import (
	"errors"
	"time"
)

// ErrWaitedTooLong is what WaitAtMost returns when the work did not finish in time.
var ErrWaitedTooLong = errors.New("waited too long")

// WaitAtMost runs work in a goroutine of its own and waits for its result at
// most d. Giving up the wait stops nothing: the goroutine runs on, and its
// result lands in the buffered channel, where nobody reads it (a buffer of one
// lets it finish instead of blocking on the send forever).
func WaitAtMost[T any](d time.Duration, work func() (T, error)) (T, error) {
	type outcome struct {
		value T
		err   error
	}
	done := make(chan outcome, 1)
	go func() {
		value, err := work()
		done <- outcome{value, err}
	}()
	select {
	case o := <-done:
		return o.value, o.err
	case <-time.After(d):
		var zero T
		return zero, ErrWaitedTooLong
	}
}

// [/pattern]

// Run is the scenario adapter: it decodes the input, runs the pattern on a
// simulated operation and traces the outcome.
func Run(input json.RawMessage) error {
	var in struct {
		Deadline int
		Op       suite.Spec
	}
	if err := json.Unmarshal(input, &in); err != nil {
		return err
	}
	value, err := WaitAtMost(suite.Ticks(in.Deadline), func() (int, error) {
		return suite.Op(context.Background(), in.Op)
	})
	switch {
	case errors.Is(err, ErrWaitedTooLong):
		suite.Trace("error", suite.F{"error": "timeout"})
	case err != nil:
		suite.Trace("error", suite.F{"error": err.Error()})
	default:
		suite.Trace("result", suite.F{"value": value})
	}
	return nil
}
