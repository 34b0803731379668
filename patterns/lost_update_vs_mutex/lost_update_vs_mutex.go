package lost_update_vs_mutex

import (
	"encoding/json"
	"sync"
	"time"

	"asyncsuite/suite"
)

// [pattern]

// Counter is a counter whose increment waits between its read and its write
// (a round trip). The mutex is held across that wait, so no other increment
// can read until this one has written; readers of Value share the lock.
type Counter struct {
	mu    sync.RWMutex
	value int
}

func (c *Counter) Increment(roundTrip time.Duration) {
	c.mu.Lock()
	defer c.mu.Unlock()
	seen := c.value
	suite.Trace("read", suite.F{"value": seen})
	time.Sleep(roundTrip)
	c.value = seen + 1
	suite.Trace("write", suite.F{"value": c.value})
}

func (c *Counter) Value() int {
	c.mu.RLock()
	defer c.mu.RUnlock()
	return c.value
}

// [/pattern]

// Run starts the increments together and traces the final count.
func Run(input json.RawMessage) error {
	var in struct{ Workers, Hold int }
	if err := json.Unmarshal(input, &in); err != nil {
		return err
	}
	var counter Counter
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
