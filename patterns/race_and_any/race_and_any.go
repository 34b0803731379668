// Package raceandany takes the first outcome (Race) or first success (Any) and cancels the rest.
package raceandany

import (
	"encoding/json"

	"asyncsuite/suite"
)

// [pattern]

import (
	"context"
	"errors"
)

type outcome[T any] struct {
	i   int // the task's position in the input
	v   T
	err error
}

// start runs every task in its own goroutine and sends each outcome on the
// returned channel. The channel is buffered, so a task that finishes after
// the caller stopped listening does not block forever.
func start[T any](ctx context.Context, tasks []func(context.Context) (T, error)) <-chan outcome[T] {
	outcomes := make(chan outcome[T], len(tasks))
	for i, task := range tasks {
		go func() {
			v, err := task(ctx)
			outcomes <- outcome[T]{i, v, err}
		}()
	}
	return outcomes
}

// Race returns the outcome of the first task to finish, success or failure,
// and cancels the others.
func Race[T any](ctx context.Context, tasks ...func(context.Context) (T, error)) (T, error) {
	ctx, cancel := context.WithCancel(ctx)
	defer cancel() // the losers see ctx.Done() once Race returns
	outcomes := start(ctx, tasks)
	select {
	case o := <-outcomes:
		return o.v, o.err
	case <-ctx.Done(): // the caller's own ctx was cancelled
		var zero T
		return zero, ctx.Err()
	}
}

// Any returns the value of the first task to succeed and cancels the others.
// If every task fails it returns all their errors, in input order, joined
// with errors.Join.
func Any[T any](ctx context.Context, tasks ...func(context.Context) (T, error)) (T, error) {
	ctx, cancel := context.WithCancel(ctx)
	defer cancel()
	outcomes := start(ctx, tasks)
	errs := make([]error, len(tasks))
	for range tasks {
		select {
		case o := <-outcomes:
			if o.err == nil {
				return o.v, nil
			}
			errs[o.i] = o.err
		case <-ctx.Done():
			var zero T
			return zero, ctx.Err()
		}
	}
	var zero T
	return zero, errors.Join(errs...)
}

// [/pattern]

// Run is the scenario adapter: it decodes the input, runs the pattern on
// simulated operations and traces the outcome.
func Run(input json.RawMessage) error {
	var in struct {
		Mode string
		Ops  []suite.Spec
	}
	if err := json.Unmarshal(input, &in); err != nil {
		return err
	}
	tasks := suite.Ops(in.Ops)
	first := Race[int]
	if in.Mode == "any" {
		first = Any[int]
	}
	value, err := first(context.Background(), tasks...)
	if err != nil {
		fields := suite.ErrorFields(err)
		fields["shape"] = suite.Shape(err)
		suite.Trace("error", fields)
		return nil
	}
	suite.Trace("result", suite.F{"value": value})
	return nil
}
