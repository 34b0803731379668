// Package allsettled waits for every task and keeps each outcome, with sync.WaitGroup.
package allsettled

import (
	"encoding/json"

	"asyncsuite/suite"
)

// [pattern]

import (
	"context"
	"sync"
)

// Result is how one task settled: with a value, or with an error.
type Result[T any] struct {
	Value T
	Err   error
}

// AllSettled runs every task concurrently, waits for all of them, and returns
// each outcome in input order. A failure does not stop the others.
func AllSettled[T any](ctx context.Context, tasks ...func(context.Context) (T, error)) []Result[T] {
	results := make([]Result[T], len(tasks))
	var wg sync.WaitGroup
	for i, task := range tasks {
		wg.Add(1)
		go func() {
			defer wg.Done()
			v, err := task(ctx)
			results[i] = Result[T]{v, err} // each goroutine writes only its own slot
		}()
	}
	wg.Wait()
	return results
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
	var outcomes []suite.F
	for _, r := range AllSettled(context.Background(), tasks...) {
		if r.Err != nil {
			outcomes = append(outcomes, suite.F{"error": r.Err.Error()})
		} else {
			outcomes = append(outcomes, suite.F{"value": r.Value})
		}
	}
	suite.Trace("result", suite.F{"outcomes": outcomes})
	return nil
}
