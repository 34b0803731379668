// Package retrybackoff retries with exponential backoff and jitter, waiting on time.NewTimer.
package retrybackoff

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

// Backoff says how often to try and how long to wait between tries.
type Backoff struct {
	MaxAttempts int
	Base        time.Duration // the wait after the first failure
	Factor      float64       // each further wait is Factor times the one before
	// Jitter, if set, draws a fraction in [0, 1) that scales each wait
	// ("full jitter"); rand.Float64 from math/rand/v2 is the usual choice.
	Jitter func() float64
}

// Retry calls fn until it succeeds or MaxAttempts calls have failed, and then
// returns the last error. The waits can be cut short by cancelling ctx.
func Retry[T any](ctx context.Context, b Backoff, fn func(context.Context) (T, error)) (T, error) {
	wait := b.Base
	for attempt := 1; ; attempt++ {
		v, err := fn(ctx)
		if err == nil || attempt == b.MaxAttempts {
			return v, err
		}
		delay := wait
		if b.Jitter != nil {
			delay = time.Duration(float64(wait) * b.Jitter())
		}
		timer := time.NewTimer(delay)
		select {
		case <-timer.C:
		case <-ctx.Done():
			timer.Stop()
			return v, ctx.Err()
		}
		wait = time.Duration(float64(wait) * b.Factor)
	}
}

// [/pattern]

// Run is the scenario adapter: it decodes the input, runs the pattern on
// simulated operations and traces the outcome.
func Run(input json.RawMessage) error {
	var in struct {
		MaxAttempts int `json:"max_attempts"`
		Base        int
		Factor      float64
		Jitter      []float64
		Attempts    []struct {
			Value int
			Error string
		}
	}
	if err := json.Unmarshal(input, &in); err != nil {
		return err
	}
	b := Backoff{MaxAttempts: in.MaxAttempts, Base: suite.Ticks(in.Base), Factor: in.Factor}
	if in.Jitter != nil {
		b.Jitter = func() float64 { // the scenario's "random" numbers, in order
			f := in.Jitter[0]
			in.Jitter = in.Jitter[1:]
			return f
		}
	}
	n := 0
	value, err := Retry(context.Background(), b, func(context.Context) (int, error) {
		n++
		suite.Trace("attempt", suite.F{"n": n})
		a := in.Attempts[n-1]
		if a.Error != "" {
			return 0, errors.New(a.Error)
		}
		return a.Value, nil
	})
	if err != nil {
		suite.Trace("error", suite.F{"error": err.Error(), "attempts": n})
		return nil
	}
	suite.Trace("result", suite.F{"value": value, "attempts": n})
	return nil
}
