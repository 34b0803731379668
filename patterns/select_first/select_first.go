// Package selectfirst takes whichever of two channels delivers first, with select.
package selectfirst

import (
	"encoding/json"
	"errors"
	"slices"

	"asyncsuite/suite"
)

// [pattern]

import "context"

// First waits for whichever of a and b delivers first and says which (0 for
// a, 1 for b) with the value. A nil channel is never ready, so passing nil
// disables that case. When both are ready, select picks one uniformly at
// random: the case written first has no priority. With both channels nil only
// ctx can end the wait (a select with no ready case and no default blocks).
func First[T any](ctx context.Context, a, b <-chan T) (int, T, error) {
	select {
	case v := <-a:
		return 0, v, nil
	case v := <-b:
		return 1, v, nil
	case <-ctx.Done():
		var zero T
		return -1, zero, ctx.Err()
	}
}

// FirstOrDefault is First with a default case: it returns ok == false at
// once when neither channel is ready right now, not only when both are nil.
func FirstOrDefault[T any](a, b <-chan T) (which int, v T, ok bool) {
	select {
	case v := <-a:
		return 0, v, true
	case v := <-b:
		return 1, v, true
	default:
		return -1, v, false
	}
}

// [/pattern]

type source struct {
	At       int
	Value    *int
	Error    *string
	Disabled bool
}

type message struct {
	value int
	err   string
}

// channel is a source: ready at its tick (already at tick 0), nil when off.
func (s source) channel() <-chan message {
	if s.Disabled {
		return nil
	}
	m := message{}
	if s.Error != nil {
		m.err = *s.Error
	} else if s.Value != nil {
		m.value = *s.Value
	}
	ch := make(chan message, 1)
	if s.At == 0 {
		ch <- m
		return ch
	}
	go func() {
		suite.SleepUntil(s.At)
		ch <- m
	}()
	return ch
}

var names = []string{"a", "b"}

// Run is the scenario adapter: it decodes the input, selects between the two
// sources and traces what was taken.
func Run(input json.RawMessage) error {
	var in struct {
		A, B     source
		Fallback *int
		Rounds   int
		Deadline *int
	}
	if err := json.Unmarshal(input, &in); err != nil {
		return err
	}
	ctx := context.Background()
	if in.Deadline != nil {
		var cancel context.CancelFunc
		ctx, cancel = context.WithTimeout(ctx, suite.Ticks(*in.Deadline))
		defer cancel()
	}
	if in.Rounds > 0 { // the same select again and again: which cases ever won
		var winners []string
		for range in.Rounds {
			which, _, err := First(ctx, in.A.channel(), in.B.channel())
			if err != nil {
				return err
			}
			if !slices.Contains(winners, names[which]) {
				winners = append(winners, names[which])
			}
		}
		slices.Sort(winners)
		suite.Trace("result", suite.F{"winners": winners})
		return nil
	}
	a, b := in.A.channel(), in.B.channel()
	if in.Fallback != nil {
		which, m, ok := FirstOrDefault(a, b)
		if !ok {
			suite.Trace("fallback", suite.F{"value": *in.Fallback})
			return nil
		}
		trace(which, m)
		return nil
	}
	which, m, err := First(ctx, a, b)
	if errors.Is(err, context.DeadlineExceeded) {
		suite.Trace("error", suite.F{"error": "timeout"})
		return nil
	}
	trace(which, m)
	return nil
}

func trace(which int, m message) {
	if m.err != "" {
		suite.Trace("error", suite.F{"source": names[which], "error": m.err})
	} else {
		suite.Trace("result", suite.F{"source": names[which], "value": m.value})
	}
}
