// Package deadline carries the caller's deadline down to nested calls with context.WithTimeout.
package deadline

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

// Task is one step of a request; it stops when its ctx is done.
type Task[T any] func(context.Context) (T, error)

// Handle runs first, then the nested call second, within ctx's deadline: the
// ctx passed down carries it to every call below.
func Handle[T any](ctx context.Context, first, second Task[T], inner time.Duration) ([]T, error) {
	a, err := first(ctx)
	if err != nil {
		return nil, err
	}
	b, err := Fetch(ctx, inner, second)
	if err != nil {
		return nil, err
	}
	return []T{a, b}, nil
}

// Fetch runs task with a deadline d from now. A ctx derived from the
// caller's keeps the caller's deadline when that one is earlier.
func Fetch[T any](ctx context.Context, d time.Duration, task Task[T]) (T, error) {
	ctx, cancel := context.WithTimeout(ctx, d)
	defer cancel()
	return task(ctx)
}

// [/pattern]

// Run is the scenario adapter: it decodes the input, runs the pattern on
// simulated operations and traces the outcome.
func Run(input json.RawMessage) error {
	var in struct {
		Outer, Inner  int
		First, Second suite.Spec
	}
	if err := json.Unmarshal(input, &in); err != nil {
		return err
	}
	ctx, cancel := context.WithTimeout(context.Background(), suite.Ticks(in.Outer))
	defer cancel()
	ops := suite.Ops([]suite.Spec{in.First, in.Second})
	values, err := Handle(ctx, ops[0], ops[1], suite.Ticks(in.Inner))
	switch {
	case errors.Is(err, context.DeadlineExceeded):
		suite.Trace("error", suite.F{"error": "timeout"})
	case err != nil:
		suite.Trace("error", suite.F{"error": err.Error()})
	default:
		suite.Trace("result", suite.F{"values": values})
	}
	return nil
}
