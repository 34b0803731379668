// Package lostupdate keeps a read-wait-write whole with sync.RWMutex.
package lostupdate

import (
	"encoding/json"

	"asyncsuite/suite"
)

// [pattern]

import (
	"sync"
	"time"
)

// Counter is a counter whose increment waits between its read and its write
// (a round trip). The mutex is held across that wait, so no other increment
// can read until this one has written; readers of Value share the lock.
type Counter struct {
	OnStep func(step string, value int) // optional: each "read" and "write", with the lock held

	mu    sync.RWMutex
	value int
}

func (c *Counter) Increment(roundTrip time.Duration) {
	c.mu.Lock()
	defer c.mu.Unlock()
	seen := c.value
	c.report("read", seen)
	time.Sleep(roundTrip)
	c.value = seen + 1
	c.report("write", c.value)
}

func (c *Counter) Value() int {
	c.mu.RLock()
	defer c.mu.RUnlock()
	return c.value
}

func (c *Counter) report(step string, value int) {
	if c.OnStep != nil {
		c.OnStep(step, value)
	}
}

// [/pattern]

// Run starts the increments together and traces each read and write, then
// the final count.
func Run(input json.RawMessage) error {
	var in struct{ Workers, Hold int }
	if err := json.Unmarshal(input, &in); err != nil {
		return err
	}
	counter := &Counter{OnStep: func(step string, value int) {
		suite.Trace(step, suite.F{"value": value})
	}}
	var wg sync.WaitGroup
	for range in.Workers {
		wg.Add(1)
		go func() {
			defer wg.Done()
			counter.Increment(suite.Ticks(in.Hold))
		}()
	}
	wg.Wait()
	suite.Trace("result", suite.F{"count": counter.Value()})
	return nil
}
