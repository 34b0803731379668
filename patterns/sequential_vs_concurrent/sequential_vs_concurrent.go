// Package sequential runs tasks one after another, or all at once with sync.WaitGroup.
package sequential

import (
	"encoding/json"

	"asyncsuite/suite"
)

// [pattern]

import (
	"context"
	"errors"
	"sync"
)

// Sequential runs the tasks one after another: it takes as long as all of
// them together.
func Sequential[T any](ctx context.Context, tasks ...func(context.Context) (T, error)) ([]T, error) {
	var values []T
	for _, task := range tasks {
		v, err := task(ctx)
		if err != nil {
			return nil, err
		}
		values = append(values, v)
	}
	return values, nil
}

// Concurrent starts every task at once and waits for all of them: it takes as
// long as the slowest one.
func Concurrent[T any](ctx context.Context, tasks ...func(context.Context) (T, error)) ([]T, error) {
	values := make([]T, len(tasks))
	errs := make([]error, len(tasks))
	var wg sync.WaitGroup
	for i, task := range tasks {
		wg.Add(1)
		go func() {
			defer wg.Done()
			values[i], errs[i] = task(ctx) // each goroutine writes only its own slots
		}()
	}
	wg.Wait()
	if err := errors.Join(errs...); err != nil {
		return nil, err
	}
	return values, nil
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
	all := Sequential[int]
	if in.Mode == "concurrent" {
		all = Concurrent[int]
	}
	values, err := all(context.Background(), tasks...)
	if err != nil {
		suite.Trace("error", suite.F{"error": err.Error()})
		return nil
	}
	suite.Trace("result", suite.F{"values": values})
	return nil
}
