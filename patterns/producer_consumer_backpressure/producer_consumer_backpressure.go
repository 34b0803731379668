// Package backpressure lets a bounded channel hold a producer back, or refuse with select default.
package backpressure

import (
	"encoding/json"
	"time"

	"asyncsuite/suite"
)

// [pattern]

// Produce sends the items on buffer, then closes it, and tells onSend whether
// each item was sent. With wait, a send blocks while the buffer is full (and,
// unbuffered, until the consumer receives); without, a select with default
// refuses an item the buffer has no room for.
func Produce(buffer chan<- int, items []int, wait bool, onSend func(item int, sent bool)) {
	defer close(buffer)
	for _, item := range items {
		if wait {
			buffer <- item
			onSend(item, true)
			continue
		}
		select {
		case buffer <- item:
			onSend(item, true)
		default:
			onSend(item, false)
		}
	}
}

// Consume hands the items to handle in order, one at a time, until the buffer
// is closed and drained, and returns them.
func Consume(buffer <-chan int, handle func(item int)) []int {
	values := []int{}
	for item := range buffer {
		handle(item)
		values = append(values, item)
	}
	return values
}

// [/pattern]

// Run is the scenario adapter: a producer and a consumer (starting at
// consumer_start, spending work ticks on each item) around a channel of the
// given capacity.
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
	go Produce(buffer, in.Items, in.Wait, func(item int, sent bool) {
		if sent {
			suite.Trace("sent", suite.F{"value": item})
		} else {
			suite.Trace("refused", suite.F{"value": item})
		}
	})
	suite.SleepUntil(in.ConsumerStart)
	values := Consume(buffer, func(item int) {
		suite.Trace("got", suite.F{"value": item})
		time.Sleep(suite.Ticks(in.Work))
	})
	suite.Trace("result", suite.F{"values": values})
	return nil
}
