// Package spawnlimit spawns tasks under errgroup.SetLimit: g.Go blocks its caller at the limit.
package spawnlimit

import (
	"encoding/json"

	"asyncsuite/suite"
)

// [pattern]

import (
	"context"

	"golang.org/x/sync/errgroup"
)

// SpawnAll runs each task in a goroutine of the group, at most limit at once,
// and waits for them all. With a limit set, g.Go blocks its caller while limit
// goroutines run: the loop (and whatever feeds it) waits for a slot, and
// spawned(i) is called once task i has its goroutine.
func SpawnAll(ctx context.Context, limit int, tasks []func(context.Context) error, spawned func(i int)) error {
	g, ctx := errgroup.WithContext(ctx)
	g.SetLimit(limit)
	for i, task := range tasks {
		g.Go(func() error { return task(ctx) })
		spawned(i)
	}
	return g.Wait()
}

// [/pattern]

// Run is the scenario adapter: it spawns the simulated operations, traces each
// spawn as the call returns, then the largest number seen running at once.
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
	})
	if err != nil {
		suite.Trace("error", suite.F{"error": err.Error()})
		return nil
	}
	suite.Trace("result", suite.F{"max_in_flight": suite.MaxInFlight()})
	return nil
}
