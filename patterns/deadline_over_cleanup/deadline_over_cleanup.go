// Package deadlinecleanup puts a deadline over work that cleans up, with context.WithTimeout.
package deadlinecleanup

import (
	"encoding/json"
	"errors"

	"asyncsuite/suite"
)

// [pattern]

import (
	"context"
	"time"
)

// WithCleanup runs work(ctx), then the deferred cleanup on every way out.
func WithCleanup[T any](ctx context.Context, work func(context.Context) (T, error), cleanup func()) (T, error) {
	defer cleanup()
	return work(ctx)
}

// WithDeadline runs work with a deadline d from now. When d passes, ctx is
// cancelled; nothing stops a goroutine from outside, so the work stops only
// where it watches ctx.Done(). Being a plain call, WithDeadline returns when
// the work does: after its deferred cleanup.
func WithDeadline[T any](ctx context.Context, d time.Duration, work func(context.Context) (T, error)) (T, error) {
	ctx, cancel := context.WithTimeout(ctx, d)
	defer cancel()
	return work(ctx)
}

// [/pattern]

// Run is the scenario adapter: it decodes the input, runs the pattern on a
// simulated operation and traces the outcome.
func Run(input json.RawMessage) error {
	var in struct {
		Deadline int
		Cleanup  int
		Op       suite.Spec
	}
	if err := json.Unmarshal(input, &in); err != nil {
		return err
	}
	cleanup := func() {
		suite.Trace("cleanup_start", nil)
		time.Sleep(suite.Ticks(in.Cleanup))
		suite.Trace("cleanup_done", nil)
	}
	value, err := WithDeadline(context.Background(), suite.Ticks(in.Deadline), func(ctx context.Context) (int, error) {
		return WithCleanup(ctx, func(ctx context.Context) (int, error) { return suite.Op(ctx, in.Op) }, cleanup)
	})
	switch {
	case errors.Is(err, context.DeadlineExceeded):
		suite.Trace("error", suite.F{"error": "timeout"})
	case err != nil:
		suite.Trace("error", suite.F{"error": err.Error()})
	default:
		suite.Trace("result", suite.F{"value": value})
	}
	return nil
}
