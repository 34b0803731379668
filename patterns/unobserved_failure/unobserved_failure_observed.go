// Package unobservedfailureobserved recovers a goroutine's panic in that goroutine and reports it.
package unobservedfailureobserved

import (
	"context"
	"encoding/json"

	"asyncsuite/suite"
)

// [pattern]

import "fmt"

// WithBackground starts background in a goroutine and goes on with main. A
// panic can only be recovered in the goroutine that panics: a deferred recover
// there stops it and hands it to onError as an error, and the program goes on.
func WithBackground[T any](background func(), onError func(error), main func() (T, error)) (T, error) {
	go func() {
		defer func() {
			if r := recover(); r != nil {
				err, ok := r.(error)
				if !ok {
					err = fmt.Errorf("panic: %v", r)
				}
				onError(err)
			}
		}()
		background()
	}()
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
		func(err error) { suite.Trace("error", suite.ErrorFields(err)) },
		func() (int, error) { return suite.Op(ctx, in.Main) },
	))
	return nil
}
