// Package spawnlimittrygo spawns tasks with errgroup's TryGo: at the limit it refuses instead of waiting.
package spawnlimittrygo

import (
	"encoding/json"

	"asyncsuite/suite"
)

// [pattern]

import (
	"context"

	"golang.org/x/sync/errgroup"
)

// SpawnAll runs each task in a goroutine of the group if a slot is free, and
// waits for those it started. g.TryGo never blocks: while limit goroutines
// run, it returns false without running the task, and the task is rejected.
func SpawnAll(ctx context.Context, limit int, tasks []func(context.Context) error, spawned, rejected func(i int)) error {
	g, ctx := errgroup.WithContext(ctx)
	g.SetLimit(limit)
	for i, task := range tasks {
		if g.TryGo(func() error { return task(ctx) }) {
			spawned(i)
		} else {
			rejected(i)
		}
	}
	return g.Wait()
}

// [/pattern]

// Run is the scenario adapter: it spawns the simulated operations, traces each
// spawn or rejection as the call returns, then the largest number seen running
// at once.
func Run(input json.RawMessage) error {
	var in struct {
		Limit int
		Ops   []suite.Spec
	}
	if err := json.Unmarshal(input, &in); err != nil {
		return err
	}
	tasks := make([]func(context.Context) error, len(in.Ops))
	for i, spec := range in.Ops {
		tasks[i] = func(ctx context.Context) error {
			_, err := suite.Op(ctx, spec)
			return err
		}
	}
	err := SpawnAll(context.Background(), in.Limit, tasks, func(i int) {
		suite.Trace("spawned", suite.F{"task": in.Ops[i].ID})
	}, func(i int) {
		suite.Trace("rejected", suite.F{"task": in.Ops[i].ID})
	})
	if err != nil {
		suite.Trace("error", suite.F{"error": err.Error()})
		return nil
	}
	suite.Trace("result", suite.F{"max_in_flight": suite.MaxInFlight()})
	return nil
}
