// Package fanoutfanin starts a goroutine per task and collects their outcomes on one channel.
package fanoutfanin

import (
	"encoding/json"

	"asyncsuite/suite"
)

// [pattern]

import (
	"context"
)

// Outcome is what one task gave: a value, or an error.
type Outcome[T any] struct {
	Value T
	Err   error
}

// FanOutFanIn starts one goroutine per task and collects every outcome, in
// task order, once the slowest task is done. Each goroutine sends its outcome
// on one unbuffered channel; the collector receives exactly len(tasks) of
// them, calling onOutcome as each arrives.
func FanOutFanIn[T any](ctx context.Context, tasks []func(context.Context) (T, error), onOutcome func(Outcome[T])) []Outcome[T] {
	type indexed struct {
		index int
		Outcome[T]
	}
	results := make(chan indexed) // unbuffered: a send waits for the collector
	for i, task := range tasks {
		go func() {
			v, err := task(ctx)
			results <- indexed{i, Outcome[T]{v, err}}
		}()
	}
	outcomes := make([]Outcome[T], len(tasks))
	for range tasks {
		r := <-results
		onOutcome(r.Outcome)
		outcomes[r.index] = r.Outcome
	}
	return outcomes
}

// [/pattern]

// fields is how an outcome is traced: {value} or {error}.
func fields(o Outcome[int]) suite.F {
	if o.Err != nil {
		return suite.F{"error": o.Err.Error()}
	}
	return suite.F{"value": o.Value}
}

// Run is the scenario adapter: it decodes the input, runs the pattern on
// simulated operations and traces each outcome as it is collected.
func Run(input json.RawMessage) error {
	var in struct{ Items []suite.Spec }
	if err := json.Unmarshal(input, &in); err != nil {
		return err
	}
	outcomes := FanOutFanIn(context.Background(), suite.Ops(in.Items), func(o Outcome[int]) {
		suite.Trace("collected", fields(o))
	})
	traced := make([]suite.F, len(outcomes))
	for i, o := range outcomes {
		traced[i] = fields(o)
	}
	suite.Trace("result", suite.F{"outcomes": traced})
	return nil
}
