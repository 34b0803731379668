// Package tokenbucket rate-limits calls with a token bucket, rate.Limiter.
package tokenbucket

import (
	"encoding/json"
	"sync"

	"asyncsuite/suite"
)

// [pattern]

import (
	"context"
	"time"

	"golang.org/x/time/rate"
)

// NewBucket is a token bucket of at most capacity tokens, one more every
// every; it starts full. Allow takes a token or reports false at once.
func NewBucket(capacity int, every time.Duration) *rate.Limiter {
	return rate.NewLimiter(rate.Every(every), capacity)
}

// AcquireBy waits for a token of lim until deadline. Wait reserves the next
// token only if it comes by the deadline; otherwise it returns an error at
// once and takes nothing (as it does when the deadline has already passed).
func AcquireBy(lim *rate.Limiter, deadline time.Time) error {
	ctx, cancel := context.WithDeadline(context.Background(), deadline)
	defer cancel()
	return lim.Wait(ctx)
}

// [/pattern]

type call struct {
	ID       string
	At       int
	Deadline *int
}

// Run is the scenario adapter: in mode try each call takes a token or is
// denied at once; otherwise every call waits for a token, until its deadline
// if it has one.
func Run(input json.RawMessage) error {
	var in struct {
		Capacity, Every int
		Mode            string
		Calls           []call
	}
	if err := json.Unmarshal(input, &in); err != nil {
		return err
	}
	lim := NewBucket(in.Capacity, suite.Ticks(in.Every))
	if in.Mode == "try" {
		for _, c := range in.Calls {
			suite.SleepUntil(c.At)
			if lim.Allow() {
				suite.Trace("allow", suite.F{"call": c.ID})
			} else {
				suite.Trace("deny", suite.F{"call": c.ID})
			}
		}
		return nil
	}
	var wg sync.WaitGroup
	for _, c := range in.Calls {
		wg.Add(1)
		go func() {
			defer wg.Done()
			suite.SleepUntil(c.At)
			var err error
			if c.Deadline == nil {
				err = lim.Wait(context.Background())
			} else {
				err = AcquireBy(lim, time.Now().Add(suite.Ticks(*c.Deadline-c.At)))
			}
			if err != nil { // Wait's only failure here: the deadline
				suite.Trace("error", suite.F{"call": c.ID, "error": "deadline"})
			} else {
				suite.Trace("proceed", suite.F{"call": c.ID})
			}
		}()
	}
	wg.Wait()
	return nil
}
