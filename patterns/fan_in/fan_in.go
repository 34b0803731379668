// Package fanin merges several channels into one, closed once every source is.
package fanin

import (
	"encoding/json"

	"asyncsuite/suite"
)

// [pattern]

import (
	"sync"
)

// Merge forwards the values of every source to one channel as they arrive,
// and closes it once every source has been closed and drained.
func Merge[T any](sources ...<-chan T) <-chan T {
	out := make(chan T)
	var wg sync.WaitGroup
	for _, source := range sources {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for v := range source {
				out <- v
			}
		}()
	}
	go func() {
		wg.Wait() // every source ended: nothing more will be sent
		close(out)
	}()
	return out
}

// [/pattern]

type producerSpec struct {
	ID     string
	Every  int
	Values []int
}

// producer sends its values every spec.Every ticks, then closes its channel.
func producer(spec producerSpec) <-chan int {
	ch := make(chan int)
	go func() {
		defer close(ch)
		for k, v := range spec.Values {
			suite.SleepUntil((k + 1) * spec.Every)
			ch <- v
		}
		suite.Trace("ended", suite.F{"producer": spec.ID})
	}()
	return ch
}

// Run is the scenario adapter: it starts the producers, merges them and
// traces every value received, then the end of the merged stream.
func Run(input json.RawMessage) error {
	var in struct{ Producers []producerSpec }
	if err := json.Unmarshal(input, &in); err != nil {
		return err
	}
	sources := make([]<-chan int, len(in.Producers))
	for i, spec := range in.Producers {
		sources[i] = producer(spec)
	}
	merged := Merge(sources...)
	values := []int{}
	for {
		v, ok := <-merged
		if !ok { // closed: every producer has ended
			break
		}
		suite.Trace("received", suite.F{"value": v})
		values = append(values, v)
	}
	suite.Trace("end", suite.F{"values": values})
	return nil
}
