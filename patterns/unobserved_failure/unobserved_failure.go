// Package unobservedfailure runs a goroutine that panics with nobody to recover it: the program ends.
package unobservedfailure

import (
	"context"
	"encoding/json"

	"asyncsuite/suite"
)

// [pattern]

// WithBackground starts background in a goroutine and goes on with main.
// Nothing recovers a panic in that goroutine: a panic that no deferred recover
// of its own goroutine stops ends the whole program at once, with exit status
// 2 (main is cut off, and no other goroutine's deferred calls run).
func WithBackground[T any](background func(), main func() (T, error)) (T, error) {
	go background()
	return main()
}

// [/pattern]

// Run is the scenario adapter: the background work panics when its operation
// fails, as code that meets an error it cannot handle does.
func Run(input json.RawMessage) error {
	var in struct{ Background, Main suite.Spec }
	if err := json.Unmarshal(input, &in); err != nil {
		return err
	}
	ctx := context.Background()
	suite.TraceOutcome(WithBackground(
		func() {
			if _, err := suite.Op(ctx, in.Background); err != nil {
				panic(err)
			}
		},
		func() (int, error) { return suite.Op(ctx, in.Main) },
	))
	return nil
}
