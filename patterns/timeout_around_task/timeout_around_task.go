// Package timeoutaround waits for a task in a goroutine until a deadline, with select.
package timeoutaround

import (
	"encoding/json"

	"asyncsuite/suite"
)

// [pattern]

import (
	"context"
	"time"
)

type outcome[T any] struct {
	value T
	err   error
}

// WaitWithDeadline starts task in a goroutine and returns its outcome, or
// ctx.Err() (context.DeadlineExceeded) once d has passed. The task gets the
// same ctx, so a task that watches ctx.Done() stops at the deadline too.
func WaitWithDeadline[T any](ctx context.Context, d time.Duration, task func(context.Context) (T, error)) (T, error) {
	ctx, cancel := context.WithTimeout(ctx, d)
	defer cancel()
	done := make(chan outcome[T], 1) // buffered: a late task never blocks on its send
	go func() {
		value, err := task(ctx)
		done <- outcome[T]{value, err}
	}()
	select {
	case out := <-done:
		return out.value, out.err
	case <-ctx.Done():
		var zero T
		return zero, ctx.Err()
	}
}

// [/pattern]

// Run is the scenario adapter: it waits for the operation with the deadline
// and traces the outcome.
func Run(input json.RawMessage) error {
	var in struct {
		Deadline int
		Op       suite.Spec
	}
	if err := json.Unmarshal(input, &in); err != nil {
		return err
	}
	value, err := WaitWithDeadline(context.Background(), suite.Ticks(in.Deadline), func(ctx context.Context) (int, error) {
		return suite.Op(ctx, in.Op)
	})
	switch {
	case err == context.DeadlineExceeded:
		suite.Trace("error", suite.F{"error": "timeout", "shape": suite.Shape(err)})
	case err != nil:
		suite.Trace("error", suite.F{"error": err.Error(), "shape": suite.Shape(err)})
	default:
		suite.Trace("result", suite.F{"value": value})
	}
	return nil
}
