// Package timeoutfallback answers with a fallback value when a task misses its deadline.
package timeoutfallback

import (
	"encoding/json"

	"asyncsuite/suite"
)

// [pattern]

import (
	"context"
	"errors"
	"time"
)

// WithFallback runs task with a deadline d from now and returns fallback if
// the deadline passes first. The task runs in its own goroutine, so the
// caller gets the fallback at the deadline even from a task that is slow to
// stop; the task's ctx is cancelled on return, so one that watches
// ctx.Done() stops too.
func WithFallback[T any](ctx context.Context, d time.Duration, fallback T, task func(context.Context) (T, error)) (T, error) {
	ctx, cancel := context.WithTimeout(ctx, d)
	defer cancel()
	type outcome struct {
		v   T
		err error
	}
	done := make(chan outcome, 1) // buffered: a task that finishes late never blocks
	go func() {
		v, err := task(ctx)
		done <- outcome{v, err}
	}()
	select {
	case o := <-done:
		return o.v, o.err
	case <-ctx.Done():
		if errors.Is(ctx.Err(), context.DeadlineExceeded) {
			return fallback, nil
		}
		var zero T
		return zero, ctx.Err() // the caller's own ctx was cancelled: not a timeout
	}
}

// [/pattern]

// Run is the scenario adapter: it decodes the input, runs the pattern on a
// simulated operation and traces the outcome.
func Run(input json.RawMessage) error {
	var in struct {
		Deadline int
		Fallback int
		Op       suite.Spec
	}
	if err := json.Unmarshal(input, &in); err != nil {
		return err
	}
	value, err := WithFallback(context.Background(), suite.Ticks(in.Deadline), in.Fallback, func(ctx context.Context) (int, error) {
		return suite.Op(ctx, in.Op)
	})
	if err != nil {
		suite.Trace("error", suite.F{"error": err.Error()})
		return nil
	}
	suite.Trace("result", suite.F{"value": value})
	return nil
}
