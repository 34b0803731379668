// Package cancellationignored runs a job that skips failed steps but stops when its context is cancelled.
package cancellationignored

import (
	"encoding/json"
	"errors"

	"asyncsuite/suite"
)

// [pattern]

import "context"

// ProcessAll runs the steps in order and returns the values of those that
// succeeded; a failed step is skipped. Each step is given ctx, so a cancel
// stops the running one (it returns ctx.Err()). That error is not a failed
// step: the job checks ctx before skipping and returns the cancellation.
func ProcessAll[T any](ctx context.Context, steps []func(context.Context) (T, error)) ([]T, error) {
	var values []T
	for _, step := range steps {
		value, err := step(ctx)
		if err != nil {
			if ctx.Err() != nil {
				return values, ctx.Err()
			}
			continue // a failed step is skipped
		}
		values = append(values, value)
	}
	return values, nil
}

// [/pattern]

// Run is the scenario adapter: it runs the job in a goroutine, cancels its
// context at cancel_at, waits for it and traces what the canceller observes.
func Run(input json.RawMessage) error {
	var in struct {
		Steps    []suite.Spec
		CancelAt *int `json:"cancel_at"`
	}
	if err := json.Unmarshal(input, &in); err != nil {
		return err
	}
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	var values []int
	var err error
	done := make(chan struct{})
	go func() {
		defer close(done)
		values, err = ProcessAll(ctx, suite.Ops(in.Steps))
	}()
	if in.CancelAt != nil {
		suite.SleepUntil(*in.CancelAt)
		suite.Trace("cancel", nil)
		cancel()
	}
	<-done
	switch {
	case errors.Is(err, context.Canceled):
		suite.Trace("error", suite.F{"error": "cancelled"})
	case err != nil:
		suite.Trace("error", suite.F{"error": err.Error()})
	default:
		suite.Trace("result", suite.F{"values": values})
	}
	return nil
}
