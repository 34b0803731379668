// Package emptyinputs runs combinators over no work: Wait returns at once, first-of fails at once.
package emptyinputs

import (
	"encoding/json"

	"asyncsuite/suite"
)

// [pattern]

import (
	"context"
	"errors"

	"golang.org/x/sync/errgroup"
)

// All runs every work at once and returns their values in input order. With no
// work, Wait has nothing to wait for and returns nil at once: an empty slice.
func All[T any](ctx context.Context, works []func(context.Context) (T, error)) ([]T, error) {
	g, ctx := errgroup.WithContext(ctx)
	values := make([]T, len(works))
	for i, work := range works {
		g.Go(func() (err error) {
			values[i], err = work(ctx)
			return err
		})
	}
	if err := g.Wait(); err != nil {
		return nil, err
	}
	return values, nil
}

// ErrNothingToWaitFor is what First returns when it is given no work.
var ErrNothingToWaitFor = errors.New("nothing to wait for")

// First runs every work at once and returns the outcome of the first to
// finish, cancelling the others. With no work nothing is ever sent on results,
// and the receive would wait for as long as ctx lives (forever, under
// context.Background()): so it fails at once instead.
func First[T any](ctx context.Context, works []func(context.Context) (T, error)) (T, error) {
	var zero T
	if len(works) == 0 {
		return zero, ErrNothingToWaitFor
	}
	ctx, cancel := context.WithCancel(ctx)
	defer cancel()
	type outcome struct {
		value T
		err   error
	}
	results := make(chan outcome, len(works)) // buffered: the losers never block on their send
	for _, work := range works {
		go func() {
			value, err := work(ctx)
			results <- outcome{value, err}
		}()
	}
	select {
	case o := <-results:
		return o.value, o.err
	case <-ctx.Done():
		return zero, ctx.Err()
	}
}

// [/pattern]

// Run is the scenario adapter: it runs all-of or first-of over the input's
// operations, gives up waiting after give_up ticks and traces the outcome.
func Run(input json.RawMessage) error {
	var in struct {
		Mode   string
		Ops    []suite.Spec
		GiveUp int `json:"give_up"`
	}
	if err := json.Unmarshal(input, &in); err != nil {
		return err
	}
	works := make([]func(context.Context) (int, error), len(in.Ops))
	for i, spec := range in.Ops {
		works[i] = func(ctx context.Context) (int, error) { return suite.Op(ctx, spec) }
	}
	ctx, cancel := context.WithTimeout(context.Background(), suite.Ticks(in.GiveUp))
	defer cancel()
	var outcome suite.F
	var err error
	if in.Mode == "all" {
		var values []int
		values, err = All(ctx, works)
		outcome = suite.F{"values": values}
	} else {
		var value int
		value, err = First(ctx, works)
		outcome = suite.F{"value": value}
	}
	switch {
	case errors.Is(err, context.DeadlineExceeded):
		suite.Trace("pending", nil) // still no outcome when the caller gave up waiting
	case errors.Is(err, ErrNothingToWaitFor):
		suite.Trace("error", suite.F{"error": "empty"})
	case err != nil:
		suite.Trace("error", suite.F{"error": err.Error()})
	default:
		suite.Trace("result", outcome)
	}
	return nil
}
