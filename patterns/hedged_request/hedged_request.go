// Package hedged calls a further backend after each delay and takes the first answer, with select.
package hedged

import (
	"encoding/json"

	"asyncsuite/suite"
)

// [pattern]

import (
	"context"
	"errors"
	"time"
)

// Hedged calls backends[0]; each delay without an answer, or at once after a
// failure, it calls the next backend too. It returns the first answer and
// cancels the calls still running; when every backend fails it returns their
// errors, in backend order, joined with errors.Join.
func Hedged[T any](ctx context.Context, delay time.Duration, backends ...func(context.Context) (T, error)) (T, error) {
	ctx, cancel := context.WithCancel(ctx)
	defer cancel() // the calls still running see ctx.Done()

	type outcome struct {
		i   int
		v   T
		err error
	}
	outcomes := make(chan outcome, len(backends)) // buffered: a late call never blocks
	errs := make([]error, len(backends))
	started := 0
	callNext := func() {
		i := started
		started++
		go func() {
			v, err := backends[i](ctx)
			outcomes <- outcome{i, v, err}
		}()
	}

	callNext()
	hedge := time.NewTimer(delay)
	defer hedge.Stop()
	for failed := 0; failed < len(backends); {
		var next <-chan time.Time // nil, so never ready, once every backend was called
		if started < len(backends) {
			next = hedge.C
		}
		select {
		case <-next:
			callNext()
			hedge.Reset(delay)
		case o := <-outcomes:
			if o.err == nil {
				return o.v, nil
			}
			errs[o.i] = o.err
			failed++
			if started < len(backends) {
				callNext()
				hedge.Reset(delay)
			}
		case <-ctx.Done(): // the caller's own ctx was cancelled
			var zero T
			return zero, ctx.Err()
		}
	}
	var zero T
	return zero, errors.Join(errs...)
}

// [/pattern]

// Run is the scenario adapter: it decodes the input, runs the pattern on
// simulated operations and traces the outcome.
func Run(input json.RawMessage) error {
	var in struct {
		Hedge    int
		Backends []suite.Spec
	}
	if err := json.Unmarshal(input, &in); err != nil {
		return err
	}
	value, err := Hedged(context.Background(), suite.Ticks(in.Hedge), suite.Ops(in.Backends)...)
	suite.TraceOutcome(value, err)
	return nil
}
