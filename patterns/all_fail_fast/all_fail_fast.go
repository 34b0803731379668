// Package allfailfast fails fast on the first error of concurrent tasks, with errgroup.WithContext.
package allfailfast

import (
	"encoding/json"

	"asyncsuite/suite"
)

// [pattern]

import (
	"context"

	"golang.org/x/sync/errgroup"
)

// All runs every task concurrently and returns their values in input order.
// The first task to fail cancels ctx for the others, and All returns that
// first error once every task has returned: Go cannot stop a goroutine from
// outside, so the tasks must watch ctx.Done() for the failure to be fast.
func All[T any](ctx context.Context, tasks ...func(context.Context) (T, error)) ([]T, error) {
	g, ctx := errgroup.WithContext(ctx) // ctx is cancelled when a task fails
	values := make([]T, len(tasks))
	for i, task := range tasks {
		g.Go(func() error {
			v, err := task(ctx)
			values[i] = v // each goroutine writes only its own slot
			return err
		})
	}
	if err := g.Wait(); err != nil {
		return nil, err
	}
	return values, nil
}

// [/pattern]

// Run is the scenario adapter: it decodes the input, runs the pattern on
// simulated operations and traces the outcome.
func Run(input json.RawMessage) error {
	var in struct{ Ops []suite.Spec }
	if err := json.Unmarshal(input, &in); err != nil {
		return err
	}
	tasks := suite.Ops(in.Ops)
	values, err := All(context.Background(), tasks...)
	if err != nil {
		suite.Trace("error", suite.F{"error": err.Error(), "shape": suite.Shape(err)})
		return nil
	}
	suite.Trace("result", suite.F{"values": values})
	return nil
}
