// Package timerrestartdrain restarts a time.Timer as every Go needs: Stop, drain t.C, Reset.
package timerrestartdrain

import (
	"context"
	"encoding/json"

	"asyncsuite/suite"
)

// [pattern]

import "time"

// RestartAndWait makes t fire d from now and waits until it does, whether or
// not t has fired already. Nobody else may receive from t.C.
//
// Stop reports false when t has already fired. With the timer channels of
// before Go 1.23 (a go.mod go line below 1.23) the value it sent then is still
// in t.C, so it is drained before the Reset, or the receive below would take
// that stale value at once. From Go 1.23 Stop discards a value nobody received
// and reports true, so the drain is skipped: the same code is right on every
// version. On both, a value that was received leaves Stop reporting false with
// nothing to drain, and the drain would block forever.
func RestartAndWait(t *time.Timer, d time.Duration) {
	if !t.Stop() {
		<-t.C
	}
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
