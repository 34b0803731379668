// Package pipeline chains stages, each a goroutine between two unbuffered channels.
package pipeline

import (
	"encoding/json"
	"time"

	"asyncsuite/suite"
)

// [pattern]

// Source sends the items on the returned channel, then closes it.
func Source[T any](items []T) <-chan T {
	out := make(chan T)
	go func() {
		defer close(out)
		for _, item := range items {
			out <- item
		}
	}()
	return out
}

// Stage applies f to every value from in, in order, in a goroutine of its
// own, so it works while the stages around it work too. It closes its output
// once in is closed and drained: closing the source ends every stage in turn.
func Stage[In, Out any](in <-chan In, f func(In) Out) <-chan Out {
	out := make(chan Out)
	go func() {
		defer close(out)
		for v := range in {
			out <- f(v)
		}
	}()
	return out
}

// [/pattern]

// work is a stage's work: n ticks, then its output traced as ev.
func work(ev string, n int, f func(int) int) func(int) int {
	return func(v int) int {
		time.Sleep(suite.Ticks(n))
		suite.Trace(ev, suite.F{"value": f(v)})
		return f(v)
	}
}

// Run is the scenario adapter: three stages over the items, the last one's
// values collected until the pipeline closes.
func Run(input json.RawMessage) error {
	var in struct {
		Items []int
		Ticks [3]int
	}
	if err := json.Unmarshal(input, &in); err != nil {
		return err
	}
	produced := Stage(Source(in.Items), work("produced", in.Ticks[0], func(x int) int { return x }))
	scaled := Stage(produced, work("scaled", in.Ticks[1], func(x int) int { return x * 10 }))
	shifted := Stage(scaled, work("shifted", in.Ticks[2], func(x int) int { return x + 1 }))
	values := []int{}
	for v := range shifted {
		values = append(values, v)
	}
	suite.Trace("result", suite.F{"values": values})
	return nil
}
