// Package taskcancel cancels a task and waits for its deferred cleanup, with context.WithCancel.
package taskcancel

import (
	"encoding/json"
	"errors"
	"time"

	"asyncsuite/suite"
)

// [pattern]

import (
	"context"
)

// Task is work running in its own goroutine under a context it can cancel.
type Task[T any] struct {
	cancel context.CancelFunc
	done   chan struct{} // closed once work and cleanup have returned
	value  T
	err    error
}

// Start runs work(ctx) in a goroutine, then the deferred cleanup on every way
// out. A goroutine cannot be stopped from outside: work stops only where it
// watches ctx.Done().
func Start[T any](ctx context.Context, work func(context.Context) (T, error), cleanup func()) *Task[T] {
	ctx, cancel := context.WithCancel(ctx)
	t := &Task[T]{cancel: cancel, done: make(chan struct{})}
	go func() {
		defer close(t.done) // deferred calls run last in, first out: after cleanup
		defer cleanup()
		t.value, t.err = work(ctx)
	}()
	return t
}

// Cancel cancels the task's context and waits until it has returned, cleanup
// included. A task that had already finished keeps its outcome.
func (t *Task[T]) Cancel() (T, error) {
	t.cancel()
	<-t.done
	return t.value, t.err
}

// [/pattern]

// Run is the scenario adapter: it starts the task, cancels it at cancel_at and
// traces what the canceller observes.
func Run(input json.RawMessage) error {
	var in struct {
		Op       suite.Spec
		Cleanup  int
		CancelAt int  `json:"cancel_at"`
		StartAt  int  `json:"start_at"`
		Ignores  bool `json:"ignores_cancel"`
	}
	if err := json.Unmarshal(input, &in); err != nil {
		return err
	}
	task := Start(context.Background(), func(ctx context.Context) (int, error) {
		suite.SleepUntil(in.StartAt)
		if in.Ignores {
			ctx = context.WithoutCancel(ctx) // work the cancel does not reach
		}
		return suite.Op(ctx, in.Op)
	}, func() {
		suite.Trace("cleanup", nil)
		time.Sleep(suite.Ticks(in.Cleanup))
		suite.Trace("cleaned", nil)
	})
	suite.SleepUntil(in.CancelAt)
	suite.Trace("cancel", nil)
	value, err := task.Cancel()
	switch {
	case errors.Is(err, context.Canceled):
		suite.Trace("error", suite.F{"error": "cancelled"})
	case err != nil:
		suite.Trace("error", suite.F{"error": err.Error()})
	default:
		suite.Trace("result", suite.F{"value": value})
	}
	return nil
}
