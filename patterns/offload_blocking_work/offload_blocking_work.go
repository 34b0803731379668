// Package offload runs blocking work in a goroutine of its own and waits on a channel.
package offload

import (
	"encoding/json"
	"sync"
	"time"

	"asyncsuite/suite"
)

// [pattern]

// Offload runs blocking work in a goroutine of its own and returns a channel
// that yields its result. Work run inline does not stop the other goroutines
// either: they run on the scheduler's other threads (GOMAXPROCS of them), and
// a goroutine that computes for long is preempted. The goroutine here only
// lets the caller go on meanwhile.
func Offload[T any](work func() T) <-chan T {
	result := make(chan T, 1)
	go func() { result <- work() }()
	return result
}

// [/pattern]

// busyUntil is CPU-bound work: it spins until the clock reaches deadline.
func busyUntil(deadline time.Time) struct{} {
	for time.Now().Before(deadline) {
	}
	return struct{}{}
}

// Run is the scenario adapter: a heartbeat every tick, beside busy work of
// work ticks, offloaded or run inline.
func Run(input json.RawMessage) error {
	var in struct {
		Work, Beats int
		Offload     bool
	}
	if err := json.Unmarshal(input, &in); err != nil {
		return err
	}
	var wg sync.WaitGroup
	wg.Add(1)
	go func() {
		defer wg.Done()
		for n := 1; n <= in.Beats; n++ {
			suite.SleepUntil(n)
			suite.Trace("beat", suite.F{"n": n})
		}
	}()
	deadline := time.Now().Add(suite.Ticks(in.Work))
	work := func() struct{} { return busyUntil(deadline) }
	if in.Offload {
		<-Offload(work)
	} else {
		work()
	}
	suite.Trace("work_done", nil)
	wg.Wait()
	return nil
}
