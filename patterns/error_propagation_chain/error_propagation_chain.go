// Package errorchain returns the first error of a chain of steps, with deferred cleanup.
package errorchain

import (
	"encoding/json"

	"asyncsuite/suite"
)

// [pattern]

import (
	"context"
)

// Chain runs the steps one after another and returns their values. The first
// error is returned at once, so no later step starts; the deferred cleanup
// runs on every way out, before the caller sees the error.
func Chain[T any](ctx context.Context, steps []func(context.Context) (T, error), cleanup func()) ([]T, error) {
	defer cleanup()
	values := make([]T, 0, len(steps))
	for _, step := range steps {
		value, err := step(ctx)
		if err != nil {
			return nil, err
		}
		values = append(values, value)
	}
	return values, nil
}

// [/pattern]

// Run is the scenario adapter: it decodes the input, runs the pattern on
// simulated operations and traces the outcome.
func Run(input json.RawMessage) error {
	var in struct{ Steps []suite.Spec }
	if err := json.Unmarshal(input, &in); err != nil {
		return err
	}
	values, err := Chain(context.Background(), suite.Ops(in.Steps), func() {
		suite.Trace("cleanup", nil)
	})
	if err != nil {
		// The one handler, whichever step failed.
		suite.Trace("error", suite.F{"error": err.Error(), "shape": suite.Shape(err)})
		return nil
	}
	suite.Trace("result", suite.F{"values": values})
	return nil
}
