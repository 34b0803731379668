// Package retrydeadline retries under one overall deadline, with context.WithDeadline.
package retrydeadline

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

// RetryUntil calls the attempts in turn until one succeeds, backoff apart,
// and returns the last one's error. All of it runs under a context that
// expires at deadline: the attempt in flight sees ctx.Done(), a backoff
// stops waiting, and the caller gets context.DeadlineExceeded.
func RetryUntil[T any](ctx context.Context, deadline time.Time, backoff time.Duration,
	attempts []func(context.Context) (T, error)) (T, error) {
	ctx, cancel := context.WithDeadline(ctx, deadline)
	defer cancel()
	var zero T
	for n, attempt := range attempts {
		value, err := attempt(ctx)
		switch {
		case err == nil:
			return value, nil
		case ctx.Err() != nil:
			return zero, ctx.Err() // cut off: the deadline, not the attempt's error
		case n == len(attempts)-1:
			return zero, err
		}
		timer := time.NewTimer(backoff)
		select {
		case <-ctx.Done():
			timer.Stop()
			return zero, ctx.Err()
		case <-timer.C:
		}
	}
	return zero, errors.New("no attempts")
}

// [/pattern]

// Run is the scenario adapter: it retries the simulated operations under the
// deadline and traces the outcome.
func Run(input json.RawMessage) error {
	var in struct {
		Deadline, Backoff int
		Attempts          []suite.Spec
	}
	if err := json.Unmarshal(input, &in); err != nil {
		return err
	}
	deadline := time.Now().Add(suite.Ticks(in.Deadline))
	value, err := RetryUntil(context.Background(), deadline, suite.Ticks(in.Backoff), suite.Ops(in.Attempts))
	var failed *suite.Error
	switch {
	case errors.Is(err, context.DeadlineExceeded):
		suite.Trace("error", suite.F{"error": "timeout"})
	case errors.As(err, &failed):
		suite.Trace("error", suite.F{"error": failed.Label})
	case err != nil:
		return err
	default:
		suite.Trace("result", suite.F{"value": value})
	}
	return nil
}
