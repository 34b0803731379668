// Package timeout gives up on a task at a deadline with context.WithTimeout.
package timeout

import (
	"encoding/json"
	"errors"

	"asyncsuite/suite"
)

// [pattern]

import (
	"context"
	"time"
)

// WithTimeout runs task with a deadline d from now. When d passes, the task's
// ctx is cancelled: a task that watches ctx.Done() stops and returns
// ctx.Err(), which is context.DeadlineExceeded.
func WithTimeout[T any](ctx context.Context, d time.Duration, task func(context.Context) (T, error)) (T, error) {
	ctx, cancel := context.WithTimeout(ctx, d)
	defer cancel() // release the timer when the task finishes early
	return task(ctx)
}

// [/pattern]

// Run is the scenario adapter: it decodes the input, runs the pattern on
// simulated operations and traces the outcome.
func Run(input json.RawMessage) error {
	var in struct {
		Deadline int
		Op       suite.Spec
	}
	if err := json.Unmarshal(input, &in); err != nil {
		return err
	}
	value, err := WithTimeout(context.Background(), suite.Ticks(in.Deadline), func(ctx context.Context) (int, error) {
		return suite.Op(ctx, in.Op)
	})
	switch {
	case errors.Is(err, context.DeadlineExceeded):
		suite.Trace("error", suite.F{"error": "timeout", "shape": suite.Shape(err)})
	case err != nil:
		suite.Trace("error", suite.F{"error": err.Error(), "shape": suite.Shape(err)})
	default:
		suite.Trace("result", suite.F{"value": value})
	}
	return nil
}
