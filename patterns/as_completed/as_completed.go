// Package ascompleted hands out outcomes in completion order on a buffered channel.
package ascompleted

import (
	"encoding/json"

	"asyncsuite/suite"
)

// [pattern]

import (
	"context"
	"sync"
)

// Outcome is what one task gave: a value, or an error.
type Outcome[T any] struct {
	Value T
	Err   error
}

// InCompletionOrder runs every task in its own goroutine and sends each
// outcome on the returned channel as soon as it is known, so a range over
// the channel sees them in completion order. The channel is closed once every
// task has finished; it is buffered, so no task blocks on a slow reader.
func InCompletionOrder[T any](ctx context.Context, tasks []func(context.Context) (T, error)) <-chan Outcome[T] {
	outcomes := make(chan Outcome[T], len(tasks))
	var wg sync.WaitGroup
	for _, task := range tasks {
		wg.Add(1)
		go func() {
			defer wg.Done()
			v, err := task(ctx)
			outcomes <- Outcome[T]{v, err}
		}()
	}
	go func() {
		wg.Wait()
		close(outcomes)
	}()
	return outcomes
}

// [/pattern]

// Run is the scenario adapter: it decodes the input, runs the pattern on
// simulated operations and traces each outcome as it is consumed.
func Run(input json.RawMessage) error {
	var in struct{ Ops []suite.Spec }
	if err := json.Unmarshal(input, &in); err != nil {
		return err
	}
	values := []int{}
	for o := range InCompletionOrder(context.Background(), suite.Ops(in.Ops)) {
		if o.Err != nil {
			suite.Trace("next", suite.F{"error": o.Err.Error()})
			continue
		}
		suite.Trace("next", suite.F{"value": o.Value})
		values = append(values, o.Value)
	}
	suite.Trace("result", suite.F{"values": values})
	return nil
}
