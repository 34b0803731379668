// Package bulkhead limits concurrency per downstream with a buffered channel of permits.
package bulkhead

import (
	"context"
	"encoding/json"
	"sync"

	"asyncsuite/suite"
)

// [pattern]

import (
	"errors"
)

// Bulkhead is a concurrency limit per downstream: a buffered channel per
// name, whose capacity is the limit. Sending takes a permit (it blocks while
// the channel is full), receiving gives it back.
type Bulkhead map[string]chan struct{}

func NewBulkhead(limits map[string]int) Bulkhead {
	b := Bulkhead{}
	for name, limit := range limits {
		b[name] = make(chan struct{}, limit)
	}
	return b
}

// Call waits for a permit of this downstream only; the others' calls are
// not held up.
func Call[T any](b Bulkhead, downstream string, fn func() (T, error)) (T, error) {
	permits := b[downstream]
	permits <- struct{}{}
	defer func() { <-permits }()
	return fn()
}

// ErrFull is TryCall's error when the downstream is at its limit.
var ErrFull = errors.New("bulkhead full")

// TryCall is Call without the wait: when the downstream has no permit free
// it returns ErrFull at once.
func TryCall[T any](b Bulkhead, downstream string, fn func() (T, error)) (T, error) {
	select {
	case b[downstream] <- struct{}{}:
	default:
		var zero T
		return zero, ErrFull
	}
	defer func() { <-b[downstream] }()
	return fn()
}

// [/pattern]

// Run is the scenario adapter: each call starts at its tick and makes its
// rounds, through Call, or through TryCall (reject), tracing a rejection.
func Run(input json.RawMessage) error {
	var in struct {
		Limits map[string]int
		Calls  []struct {
			To         string
			At, Rounds int
			Reject     bool
			Op         suite.Spec
		}
	}
	if err := json.Unmarshal(input, &in); err != nil {
		return err
	}
	b := NewBulkhead(in.Limits)
	var wg sync.WaitGroup
	for _, call := range in.Calls {
		wg.Add(1)
		go func() {
			defer wg.Done()
			suite.SleepUntil(call.At)
			op := func() (int, error) { return suite.Op(context.Background(), call.Op) }
			for range max(call.Rounds, 1) {
				if !call.Reject {
					Call(b, call.To, op)
				} else if _, err := TryCall(b, call.To, op); errors.Is(err, ErrFull) {
					suite.Trace("rejected", suite.F{"op": call.Op.ID})
				}
			}
		}()
	}
	wg.Wait()
	return nil
}
