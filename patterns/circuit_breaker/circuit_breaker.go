// Package circuitbreaker rejects calls after repeated failures until a cooldown, with sync.Mutex.
package circuitbreaker

import (
	"encoding/json"

	"asyncsuite/suite"
)

// [pattern]

import (
	"errors"
	"sync"
	"time"
)

// State is the state of a CircuitBreaker.
type State int

const (
	Closed   State = iota // calls go through; failures are counted
	Open                  // calls are rejected until the cooldown has passed
	HalfOpen              // one probe call is in flight; the others are rejected
)

func (s State) String() string { return [...]string{"CLOSED", "OPEN", "HALF_OPEN"}[s] }

// ErrOpen is returned, without calling fn, while the breaker rejects calls.
var ErrOpen = errors.New("circuit breaker is open")

// CircuitBreaker opens after Threshold consecutive failures and rejects calls
// for Cooldown. The first call after that is let through as a probe: its
// success closes the breaker, its failure opens it for another Cooldown.
type CircuitBreaker struct {
	Threshold     int
	Cooldown      time.Duration
	OnStateChange func(from, to State) // optional; called with the lock held

	mu       sync.Mutex
	state    State
	failures int // consecutive failures while closed
	openedAt time.Time
}

// Call runs fn unless the breaker is open, and records its outcome.
// The lock is not held while fn runs.
func (cb *CircuitBreaker) Call(fn func() error) error {
	probe, err := cb.allow()
	if err != nil {
		return err
	}
	err = fn()
	cb.record(probe, err)
	return err
}

func (cb *CircuitBreaker) allow() (probe bool, err error) {
	cb.mu.Lock()
	defer cb.mu.Unlock()
	switch cb.state {
	case Open:
		if time.Since(cb.openedAt) < cb.Cooldown {
			return false, ErrOpen
		}
		cb.setState(HalfOpen)
		return true, nil
	case HalfOpen:
		return false, ErrOpen
	}
	return false, nil
}

func (cb *CircuitBreaker) record(probe bool, err error) {
	cb.mu.Lock()
	defer cb.mu.Unlock()
	switch {
	case probe && err == nil:
		cb.setState(Closed)
	case probe:
		cb.trip()
	case cb.state != Closed:
		// The call began before the breaker opened: its outcome no longer counts.
	case err == nil:
		cb.failures = 0
	default:
		cb.failures++
		if cb.failures >= cb.Threshold {
			cb.trip()
		}
	}
}

func (cb *CircuitBreaker) trip() {
	cb.openedAt = time.Now()
	cb.setState(Open)
}

func (cb *CircuitBreaker) setState(to State) {
	from := cb.state
	cb.state, cb.failures = to, 0
	if cb.OnStateChange != nil {
		cb.OnStateChange(from, to)
	}
}

// [/pattern]

// Run is the scenario adapter: it decodes the input, makes each call at its
// own tick (whether or not earlier calls have returned) and traces outcomes.
func Run(input json.RawMessage) error {
	var in struct {
		Threshold int
		Cooldown  int
		Calls     []struct {
			At    int
			Ticks int // how long the call lasts
			Value int
			Error string
		}
	}
	if err := json.Unmarshal(input, &in); err != nil {
		return err
	}
	cb := &CircuitBreaker{
		Threshold: in.Threshold,
		Cooldown:  suite.Ticks(in.Cooldown),
		OnStateChange: func(from, to State) {
			suite.Trace("state", suite.F{"from": from.String(), "to": to.String()})
		},
	}
	var wg sync.WaitGroup
	for i, c := range in.Calls {
		n := i + 1
		wg.Add(1)
		go func() {
			defer wg.Done()
			suite.SleepUntil(c.At)
			err := cb.Call(func() error {
				if c.Ticks > 0 {
					suite.SleepUntil(c.At + c.Ticks)
				}
				if c.Error != "" {
					suite.Trace("fail", suite.F{"call": n, "error": c.Error})
					return errors.New(c.Error)
				}
				suite.Trace("ok", suite.F{"call": n, "value": c.Value})
				return nil
			})
			if errors.Is(err, ErrOpen) {
				suite.Trace("rejected", suite.F{"call": n})
			}
		}()
	}
	wg.Wait()
	return nil
}
