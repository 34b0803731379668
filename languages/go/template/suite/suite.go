// Package suite is the helper every Go snippet of the async pattern suite uses:
// Trace reports what happens, Op is the simulated operation, Ticks and
// SleepUntil measure time in the scenario's ticks, MaxInFlight reports the
// largest number of Ops that ran at once, Shape describes an error value.
//
// The runner (main.go) drives one scenario at a time through Begin, Done or
// Fail, and Settled (runner.go).
package suite

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"strings"
	"sync"
	"time"
)

// F holds the fields of a trace event.
type F = map[string]any

// Number is a count of ticks: whole ticks, or a fraction (a jittered delay).
type Number interface {
	~int | ~float64
}

// Spec describes a simulated operation: {"id": "a", "ticks": 2, "value": 1}
// succeeds with 1 after 2 ticks, {"id": "b", "ticks": 1, "error": "boom"}
// fails with boom after 1 tick.
type Spec struct {
	ID    string `json:"id"`
	Ticks int    `json:"ticks"`
	Value int    `json:"value"`
	Error string `json:"error,omitempty"`
}

// Error is the failure of a simulated operation. Its text is the scenario's
// label (boom), so snippets report it with err.Error().
type Error struct {
	Label string
}

func (e *Error) Error() string { return e.Label }

// scenario is the state of one request; Ops keep the one they started in, so
// work that outlives its request is still reported under that request's id.
type scenario struct {
	id     json.RawMessage // the request's; nil (null) for none
	start  time.Time
	tick   time.Duration
	closed bool // the window has closed: later traces are late

	inFlight, maxInFlight int
}

var (
	mu      sync.Mutex // guards current, every scenario's fields and stdout
	current = &scenario{start: time.Now(), tick: 50 * time.Millisecond, closed: true}
)

func now() *scenario {
	mu.Lock()
	defer mu.Unlock()
	return current
}

// Trace writes {"id", "t", "ev", "fields"} as one JSON line on stdout, where
// t is milliseconds since the scenario started.
func Trace(ev string, fields F) {
	now().trace(ev, fields)
}

// TraceOutcome traces the caller's outcome: `result {value}`, or `error` with
// the ErrorFields of err.
func TraceOutcome(value any, err error) {
	if err != nil {
		Trace("error", ErrorFields(err))
	} else {
		Trace("result", F{"value": value})
	}
}

// ErrorFields are the fields of the `error` event reporting err:
// `{errors: [...]}` for errors joined with errors.Join (each by its label, in
// order), else `{error}`.
func ErrorFields(err error) F {
	var all interface{ Unwrap() []error } // what errors.Join returns
	if !errors.As(err, &all) {
		return F{"error": err.Error()}
	}
	var labels []string
	for _, e := range all.Unwrap() {
		labels = append(labels, e.Error())
	}
	return F{"errors": labels}
}

// Shape describes err from the value itself: its dynamic type, then what it
// wraps (Unwrap() error), each after " <- ", or the errors it joins
// (Unwrap() []error) in brackets: `*fmt.wrapError <- *suite.Error`,
// `*errors.joinError[*suite.Error, *suite.Error]`.
func Shape(err error) string {
	name := fmt.Sprintf("%T", err)
	switch wrapper := err.(type) {
	case interface{ Unwrap() []error }:
		var members []string
		for _, member := range wrapper.Unwrap() {
			members = append(members, Shape(member))
		}
		return name + "[" + strings.Join(members, ", ") + "]"
	case interface{ Unwrap() error }:
		if inner := wrapper.Unwrap(); inner != nil {
			return name + " <- " + Shape(inner)
		}
	}
	return name
}

func (s *scenario) trace(ev string, fields F) {
	if fields == nil {
		fields = F{}
	}
	mu.Lock()
	defer mu.Unlock()
	// Stamp and write under one lock, so lines appear in the order of their t.
	writeLocked(struct {
		ID     json.RawMessage `json:"id"`
		T      float64         `json:"t"`
		Late   bool            `json:"late,omitempty"` // the window has closed
		Ev     string          `json:"ev"`
		Fields F               `json:"fields"`
	}{s.id, float64(time.Since(s.start)) / float64(time.Millisecond), s.closed, ev, fields})
}

// Ticks is the duration of n ticks.
func Ticks[N Number](n N) time.Duration {
	return now().ticks(float64(n))
}

func (s *scenario) ticks(n float64) time.Duration {
	return time.Duration(n * float64(s.tick))
}

// SleepUntil waits until tick ticks after the scenario started. It measures
// from the start, so a sequence of calls does not drift.
func SleepUntil[N Number](tick N) {
	s := now()
	time.Sleep(time.Until(s.start.Add(s.ticks(float64(tick)))))
}

// Op runs the simulated operation spec: it traces start, waits spec.Ticks
// ticks, then traces succeed and returns spec.Value, or traces fail and
// returns an *Error carrying spec.Error. If ctx is done first it traces
// cancelled and returns ctx.Err().
func Op(ctx context.Context, spec Spec) (int, error) {
	s := now()
	s.count(+1)
	defer s.count(-1)
	s.trace("start", F{"op": spec.ID})

	timer := time.NewTimer(s.ticks(float64(spec.Ticks)))
	defer timer.Stop()
	select {
	case <-ctx.Done():
		s.trace("cancelled", F{"op": spec.ID})
		return 0, ctx.Err()
	case <-timer.C:
	}
	if spec.Error != "" {
		s.trace("fail", F{"op": spec.ID, "error": spec.Error})
		return 0, &Error{Label: spec.Error}
	}
	s.trace("succeed", F{"op": spec.ID, "value": spec.Value})
	return spec.Value, nil
}

// Ops turns specs into tasks, each running Op on its spec: the shape the
// patterns take their operations in.
func Ops(specs []Spec) []func(context.Context) (int, error) {
	tasks := make([]func(context.Context) (int, error), len(specs))
	for i, spec := range specs {
		tasks[i] = func(ctx context.Context) (int, error) { return Op(ctx, spec) }
	}
	return tasks
}

// count adds delta to the Ops in flight.
func (s *scenario) count(delta int) {
	mu.Lock()
	defer mu.Unlock()
	s.inFlight += delta
	s.maxInFlight = max(s.maxInFlight, s.inFlight)
}

// MaxInFlight is the largest number of Ops that ran at once in this scenario.
func MaxInFlight() int {
	mu.Lock()
	defer mu.Unlock()
	return current.maxInFlight
}
