// Deliberately wrong: waits for every operation (sync.WaitGroup) and cancels none, so the error comes at the slowest op's tick.
package allfailfast

import (
	"context"
	"encoding/json"
	"sync"

	"asyncsuite/suite"
)

// [pattern]

// All runs every task concurrently and returns their values in input order,
// or the first error in input order once every task has returned.
func All[T any](ctx context.Context, tasks ...func(context.Context) (T, error)) ([]T, error) {
	var wg sync.WaitGroup
	values := make([]T, len(tasks))
	errs := make([]error, len(tasks))
	for i, task := range tasks {
		wg.Add(1)
		go func() {
			defer wg.Done()
			values[i], errs[i] = task(ctx)
		}()
	}
	wg.Wait()
	for _, err := range errs {
		if err != nil {
			return nil, err
		}
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
		suite.Trace("error", suite.F{"error": err.Error()})
		return nil
	}
	suite.Trace("result", suite.F{"values": values})
	return nil
}
