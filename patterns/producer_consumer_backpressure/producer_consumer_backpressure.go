package producerconsumerbackpressure

import (
	"encoding/json"
	"time"

	"asyncsuite/suite"
)

// [pattern]

// Produce sends the items on buffer, then closes it. With wait, a send blocks
// while the buffer is full (and, unbuffered, until the consumer receives);
// without, a select with default refuses an item the buffer has no room for.
func Produce(buffer chan<- int, items []int, wait bool) {
	defer close(buffer)
	for _, item := range items {
		if wait {
			buffer <- item
			suite.Trace("sent", suite.F{"value": item})
			continue
		}
		select {
		case buffer <- item:
			suite.Trace("sent", suite.F{"value": item})
		default:
			suite.Trace("refused", suite.F{"value": item})
		}
	}
}

// Consume takes the items in order, spending work on each, until the buffer
// is closed and drained.
func Consume(buffer <-chan int, work time.Duration) []int {
	values := []int{}
	for item := range buffer {
		suite.Trace("got", suite.F{"value": item})
		values = append(values, item)
		time.Sleep(work)
	}
	return values
}

// [/pattern]

// Run is the scenario adapter: a producer and a consumer (starting at
// consumer_start) around a channel of the given capacity.
func Run(input json.RawMessage) error {
	var in struct {
		Capacity      int
		Items         []int
		Work          int
		ConsumerStart int `json:"consumer_start"`
		Wait          bool
	}
	if err := json.Unmarshal(input, &in); err != nil {
		return err
	}
	buffer := make(chan int, in.Capacity) // capacity 0: unbuffered, a hand-off
	go Produce(buffer, in.Items, in.Wait)
	suite.SleepUntil(in.ConsumerStart)
	values := Consume(buffer, suite.Ticks(in.Work))
	suite.Trace("result", suite.F{"values": values})
	return nil
}
