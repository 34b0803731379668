// Package cooperative stops a batch job at the next boundary once its context is cancelled.
package cooperative

import (
	"encoding/json"
	"sync"

	"asyncsuite/suite"
)

// [pattern]

import (
	"context"
)

// RunBatches runs the batches in order, checking ctx before each one. A batch
// that has started runs to its end (it is not given ctx), so no work is left
// half done: the job stops at the next boundary after the cancel. The deferred
// cleanup runs once, however the job ends.
func RunBatches[T any](ctx context.Context, batches []func() (T, error), cleanup func()) ([]T, error) {
	defer cleanup()
	done := make([]T, 0, len(batches))
	for _, batch := range batches {
		if ctx.Err() != nil {
			break
		}
		value, err := batch()
		if err != nil {
			return done, err
		}
		done = append(done, value)
	}
	return done, nil
}

// [/pattern]

// Run is the scenario adapter: a canceller goroutine cancels ctx at cancel_at
// while the job runs from start_at.
func Run(input json.RawMessage) error {
	var in struct {
		Batches  []suite.Spec
		CancelAt *int `json:"cancel_at"`
		StartAt  int  `json:"start_at"`
	}
	if err := json.Unmarshal(input, &in); err != nil {
		return err
	}
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	var canceller sync.WaitGroup
	if in.CancelAt != nil {
		canceller.Add(1)
		go func() {
			defer canceller.Done()
			suite.SleepUntil(*in.CancelAt)
			suite.Trace("cancel", nil)
			cancel()
		}()
	}
	batches := make([]func() (int, error), len(in.Batches))
	for i, spec := range in.Batches {
		batches[i] = func() (int, error) { return suite.Op(context.Background(), spec) }
	}
	suite.SleepUntil(in.StartAt)
	values, err := RunBatches(ctx, batches, func() { suite.Trace("cleanup", nil) })
	if err != nil {
		suite.Trace("error", suite.F{"error": err.Error()})
	} else {
		suite.Trace("result", suite.F{"values": values, "cancelled": ctx.Err() != nil})
	}
	canceller.Wait()
	return nil
}
