// Package semaphorefairness takes several permits at once, in arrival order (semaphore.Weighted).
package semaphorefairness

import (
	"encoding/json"
	"sync"
	"time"

	"asyncsuite/suite"
)

// [pattern]

import (
	"context"
	"errors"

	"golang.org/x/sync/semaphore"
)

// WithPermits waits for n of sem's permits, runs fn, then gives them back.
// semaphore.Weighted serves waiters in arrival order: a caller asking for
// fewer permits than are free still waits behind an earlier caller that is
// waiting for more.
func WithPermits(ctx context.Context, sem *semaphore.Weighted, n int64, fn func()) error {
	if err := sem.Acquire(ctx, n); err != nil {
		return err
	}
	defer sem.Release(n)
	fn()
	return nil
}

// ErrRefused is TryWithPermits' error when it cannot have the permits at once.
var ErrRefused = errors.New("permits not free")

// TryWithPermits is WithPermits without the wait: it returns ErrRefused at
// once when n permits are not free, and also while others are waiting for
// permits, even if n are free: TryAcquire does not overtake the queue.
func TryWithPermits(sem *semaphore.Weighted, n int64, fn func()) error {
	if !sem.TryAcquire(n) {
		return ErrRefused
	}
	defer sem.Release(n)
	fn()
	return nil
}

// [/pattern]

// Run is the scenario adapter: each caller asks at its tick for its permits,
// through WithPermits, or through TryWithPermits (nowait), and holds them.
func Run(input json.RawMessage) error {
	var in struct {
		Capacity int64
		Callers  []struct {
			Who            string
			At, Take, Hold int
			Nowait         bool
		}
	}
	if err := json.Unmarshal(input, &in); err != nil {
		return err
	}
	sem := semaphore.NewWeighted(in.Capacity)
	var wg sync.WaitGroup
	for _, caller := range in.Callers {
		wg.Add(1)
		go func() {
			defer wg.Done()
			who := suite.F{"who": caller.Who}
			hold := func() {
				suite.Trace("acquired", who)
				time.Sleep(suite.Ticks(caller.Hold))
				suite.Trace("released", who)
			}
			suite.SleepUntil(caller.At)
			if !caller.Nowait {
				WithPermits(context.Background(), sem, int64(caller.Take), hold)
			} else if err := TryWithPermits(sem, int64(caller.Take), hold); errors.Is(err, ErrRefused) {
				suite.Trace("refused", who)
			}
		}()
	}
	wg.Wait()
	return nil
}
