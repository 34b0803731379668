// Package timerrestart restarts a time.Timer with Reset and waits on t.C, without draining it.
package timerrestart

import (
	"context"
	"encoding/json"

	"asyncsuite/suite"
)

// [pattern]

import "time"

// RestartAndWait makes t fire d from now and waits until it does, whether or
// not t has fired already.
//
// Reset does not drain t.C, and from Go 1.23 it need not: for a module whose
// go.mod says go 1.23 or later, Reset and Stop discard a value the timer sent
// that nobody received, so the receive below always waits d. Built with an
// older go line, that stale value stays buffered in t.C and the receive takes
// it at once: code for older Go stops and drains first, if !t.Stop() { <-t.C }.
func RestartAndWait(t *time.Timer, d time.Duration) {
	t.Reset(d)
	<-t.C
}

// [/pattern]

// Run is the scenario adapter: a timer of `timer` ticks is started, then a
// synchronous operation keeps this goroutine busy (nobody receives from t.C),
// then the timer is restarted for `restart` ticks and waited on.
func Run(input json.RawMessage) error {
	var in struct {
		Timer   int
		Busy    suite.Spec
		Restart int
	}
	if err := json.Unmarshal(input, &in); err != nil {
		return err
	}
	t := time.NewTimer(suite.Ticks(in.Timer))
	defer t.Stop()
	if _, err := suite.Op(context.Background(), in.Busy); err != nil {
		return err
	}
	suite.Trace("restart", nil)
	RestartAndWait(t, suite.Ticks(in.Restart))
	suite.Trace("fired", nil)
	return nil
}
