// Package suite is the helper every Go snippet of the async pattern suite uses:
// Trace reports what happens, Op is the simulated operation, Ticks and
// SleepUntil measure time in the scenario's ticks, MaxInFlight reports the
// largest number of Ops that ran at once.
//
// The runner (main.go) drives one scenario at a time through Begin and End.
package suite

import (
	"context"
	"encoding/json"
	"errors"
	"os"
	"strconv"
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
	id     json.RawMessage
	start  time.Time
	tick   time.Duration
	closed bool // the window has closed: later traces are late

	inFlight, maxInFlight int
}

var (
	mu      sync.Mutex // guards current, every scenario's fields and stdout
	current = &scenario{id: json.RawMessage("null"), start: time.Now(), tick: 50 * time.Millisecond, closed: true}
	stdout  = os.Stdout
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

// TraceOutcome traces the caller's outcome: `result {value}`, or
// `error {errors: [...]}` for errors joined with errors.Join (each by its
// label, in order), or `error {error}` for a single one.
func TraceOutcome(value any, err error) {
	var all interface{ Unwrap() []error } // what errors.Join returns
	switch {
	case errors.As(err, &all):
		var labels []string
		for _, e := range all.Unwrap() {
			labels = append(labels, e.Error())
		}
		Trace("error", F{"errors": labels})
	case err != nil:
		Trace("error", F{"error": err.Error()})
	default:
		Trace("result", F{"value": value})
	}
}

func (s *scenario) trace(ev string, fields F) {
	if fields == nil {
		fields = F{}
	}
	body, err := json.Marshal(struct {
		Ev     string `json:"ev"`
		Fields F      `json:"fields"`
	}{ev, fields})
	if err != nil {
		panic("suite.Trace: " + err.Error())
	}
	mu.Lock()
	defer mu.Unlock()
	// Stamp and write under one lock, so lines appear in the order of their t.
	ms := float64(time.Since(s.start)) / float64(time.Millisecond)
	line := make([]byte, 0, len(body)+64)
	line = append(line, `{"id":`...)
	line = append(line, s.id...)
	line = append(line, `,"t":`...)
	line = strconv.AppendFloat(line, ms, 'f', 3, 64)
	if s.closed {
		line = append(line, `,"late":true`...)
	}
	line = append(line, ',')
	line = append(line, body[1:]...) // body without its opening brace
	line = append(line, '\n')
	stdout.Write(line) // os.Stdout is unbuffered: one write, flushed
}

// Ticks is the duration of n ticks.
func Ticks[N Number](n N) time.Duration {
	return ticks(now().tick, float64(n))
}

func ticks(tick time.Duration, n float64) time.Duration {
	return time.Duration(n * float64(tick))
}

// SleepUntil waits until tick ticks after the scenario started. It measures
// from the start, so a sequence of calls does not drift.
func SleepUntil[N Number](tick N) {
	s := now()
	time.Sleep(time.Until(s.start.Add(ticks(s.tick, float64(tick)))))
}

// Op runs the simulated operation spec: it traces start, waits spec.Ticks
// ticks, then traces succeed and returns spec.Value, or traces fail and
// returns an *Error carrying spec.Error. If ctx is done first it traces
// cancelled and returns ctx.Err().
func Op(ctx context.Context, spec Spec) (int, error) {
	s := now()
	s.enter()
	defer s.leave()
	s.trace("start", F{"op": spec.ID})

	timer := time.NewTimer(ticks(s.tick, float64(spec.Ticks)))
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

func (s *scenario) enter() {
	mu.Lock()
	defer mu.Unlock()
	s.inFlight++
	s.maxInFlight = max(s.maxInFlight, s.inFlight)
}

func (s *scenario) leave() {
	mu.Lock()
	defer mu.Unlock()
	s.inFlight--
}

// MaxInFlight is the largest number of Ops that ran at once in this scenario.
func MaxInFlight() int {
	mu.Lock()
	defer mu.Unlock()
	return current.maxInFlight
}
