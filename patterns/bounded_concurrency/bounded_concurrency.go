// Package bounded runs tasks with at most limit in flight, with errgroup.SetLimit.
package bounded

import (
	"encoding/json"

	"asyncsuite/suite"
)

// [pattern]

import (
	"context"

	"golang.org/x/sync/errgroup"
)

// Bounded runs the tasks with at most limit of them in flight and returns
// their values in input order. Tasks start in input order as slots free up;
// the first failure cancels ctx for the rest.
func Bounded[T any](ctx context.Context, limit int, tasks ...func(context.Context) (T, error)) ([]T, error) {
	g, ctx := errgroup.WithContext(ctx)
	g.SetLimit(limit) // g.Go blocks until one of the running tasks returns
	values := make([]T, len(tasks))
	for i, task := range tasks {
		g.Go(func() error {
			v, err := task(ctx)
			values[i] = v
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
	var in struct {
		Limit int
		Ops   []suite.Spec
	}
	if err := json.Unmarshal(input, &in); err != nil {
		return err
	}
	tasks := suite.Ops(in.Ops)
	values, err := Bounded(context.Background(), in.Limit, tasks...)
	if err != nil {
		suite.Trace("error", suite.F{"error": err.Error()})
		return nil
	}
	suite.Trace("result", suite.F{"values": values, "max_in_flight": suite.MaxInFlight()})
	return nil
}
