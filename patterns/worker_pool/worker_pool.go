// Package workerpool runs tasks on a fixed number of goroutines taking jobs from one channel.
package workerpool

import (
	"encoding/json"

	"asyncsuite/suite"
)

// [pattern]

import (
	"context"
	"sync"
)

// job is one unit of work and the slot its result goes to.
type job[T any] struct {
	index int
	task  func(context.Context) (T, error)
}

// Pool runs the tasks on a fixed number of worker goroutines that take jobs
// from one channel, and returns the values in task order (and the first error
// in task order, if any). A channel hands each job to exactly one worker.
func Pool[T any](ctx context.Context, workers int, tasks []func(context.Context) (T, error)) ([]T, error) {
	jobs := make(chan job[T], len(tasks))
	for i, task := range tasks {
		jobs <- job[T]{i, task}
	}
	close(jobs) // the workers' range loops end once the channel is drained

	values := make([]T, len(tasks))
	errs := make([]error, len(tasks))
	var wg sync.WaitGroup
	for range workers {
		wg.Add(1)
		go func(jobs <-chan job[T]) {
			defer wg.Done()
			for j := range jobs {
				values[j.index], errs[j.index] = j.task(ctx)
			}
		}(jobs)
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
	var in struct {
		Workers int
		Jobs    []suite.Spec
	}
	if err := json.Unmarshal(input, &in); err != nil {
		return err
	}
	values, err := Pool(context.Background(), in.Workers, suite.Ops(in.Jobs))
	if err != nil {
		suite.Trace("error", suite.F{"error": err.Error()})
		return nil
	}
	suite.Trace("result", suite.F{"values": values, "max_in_flight": suite.MaxInFlight()})
	return nil
}
