// Package structured scopes child goroutines to their parent, with errgroup.WithContext.
package structured

import (
	"encoding/json"
	"time"

	"asyncsuite/suite"
)

// [pattern]

import (
	"context"

	"golang.org/x/sync/errgroup"
)

// Scope runs every child in its own goroutine and returns their values in
// input order. The first child to fail cancels ctx for the others; Wait
// returns only once every goroutine has returned, deferred cleanup included,
// and gives that first error.
func Scope[T any](ctx context.Context, children ...func(context.Context) (T, error)) ([]T, error) {
	g, ctx := errgroup.WithContext(ctx)
	values := make([]T, len(children))
	for i, child := range children {
		g.Go(func() (err error) {
			values[i], err = child(ctx) // each goroutine writes only its own slot
			return err
		})
	}
	if err := g.Wait(); err != nil {
		return nil, err
	}
	return values, nil
}

// [/pattern]

// Run is the scenario adapter: each child runs its op, then cleans up for
// `cleanup` ticks however it ended.
func Run(input json.RawMessage) error {
	var in struct {
		Children []suite.Spec
		Cleanup  int
	}
	if err := json.Unmarshal(input, &in); err != nil {
		return err
	}
	children := make([]func(context.Context) (int, error), len(in.Children))
	for i, spec := range in.Children {
		children[i] = func(ctx context.Context) (int, error) {
			defer func() {
				suite.Trace("cleanup", suite.F{"child": spec.ID})
				time.Sleep(suite.Ticks(in.Cleanup))
				suite.Trace("cleaned", suite.F{"child": spec.ID})
			}()
			return suite.Op(ctx, spec)
		}
	}
	values, err := Scope(context.Background(), children...)
	if err != nil {
		suite.Trace("error", suite.F{"error": err.Error()})
		return nil
	}
	suite.Trace("result", suite.F{"values": values})
	return nil
}
