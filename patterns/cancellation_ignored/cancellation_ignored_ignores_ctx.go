// Package cancellationignoredctx runs a job that is handed a context and never looks at it.
package cancellationignoredctx

import (
	"encoding/json"
	"errors"

	"asyncsuite/suite"
)

// [pattern]

import "context"

// ProcessAll runs the steps in order and returns the values of those that
// succeeded; a failed step is skipped. It takes ctx but never watches
// ctx.Done(): the steps are calls that take no context (a blocking call, a
// client without one), and nothing checks ctx between them. Cancelling ctx
// therefore changes nothing: the goroutine runs to its end, and the canceller
// that waits for it gets every value.
func ProcessAll[T any](ctx context.Context, steps []func() (T, error)) ([]T, error) {
	var values []T
	for _, step := range steps {
		value, err := step()
		if err != nil {
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
	steps := make([]func() (int, error), len(in.Steps))
	for i, spec := range in.Steps {
		// A step that takes no context cannot be cancelled.
		steps[i] = func() (int, error) { return suite.Op(context.Background(), spec) }
	}
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	var values []int
	var err error
	done := make(chan struct{})
	go func() {
		defer close(done)
		values, err = ProcessAll(ctx, steps)
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
