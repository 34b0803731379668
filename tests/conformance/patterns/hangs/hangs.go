package hangs

import (
	"encoding/json"
	"time"

	"asyncsuite/suite"
)

func Run(input json.RawMessage) error {
	suite.Trace("step", suite.F{"n": 1})
	// A sleep, not a bare select{}: were every goroutine blocked, Go would end
	// the program as deadlocked instead of hanging.
	time.Sleep(time.Hour)
	return nil
}
