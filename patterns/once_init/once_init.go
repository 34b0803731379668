// Package onceinit initialises a value on first use, at most once, with sync.Once.
package onceinit

import (
	"context"
	"encoding/json"
	"errors"

	"asyncsuite/suite"
)

// [pattern]

import (
	"sync"
)

// Lazy holds a value made by init on first use, at most once. sync.Once
// blocks callers that arrive during init until it has returned, and never
// runs init again: a failure is remembered like a value.
type Lazy[T any] struct {
	once  sync.Once
	init  func() (T, error)
	value T
	err   error
}

func (l *Lazy[T]) Get() (T, error) {
	l.once.Do(func() { l.value, l.err = l.init() })
	return l.value, l.err
}

// [/pattern]

// Run starts every caller at its tick and traces what each one got.
func Run(input json.RawMessage) error {
	var in struct {
		Init    suite.Spec
		Callers []struct {
			ID string
			At int
		}
	}
	if err := json.Unmarshal(input, &in); err != nil {
		return err
	}
	lazy := &Lazy[int]{init: func() (int, error) { return suite.Op(context.Background(), in.Init) }}
	var wg sync.WaitGroup
	for _, caller := range in.Callers {
		wg.Add(1)
		go func() {
			defer wg.Done()
			suite.SleepUntil(caller.At)
			value, err := lazy.Get()
			var failed *suite.Error
			switch {
			case errors.As(err, &failed):
				suite.Trace("error", suite.F{"caller": caller.ID, "error": failed.Label})
			case err != nil:
				suite.Trace("error", suite.F{"caller": caller.ID, "error": err.Error()})
			default:
				suite.Trace("got", suite.F{"caller": caller.ID, "value": value})
			}
		}()
	}
	wg.Wait()
	return nil
}
