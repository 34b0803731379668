package ok

import (
	"encoding/json"

	"asyncsuite/suite"
)

func Run(input json.RawMessage) error {
	suite.Trace("step", suite.F{"n": 1})
	suite.SleepUntil(1)
	suite.Trace("step", suite.F{"n": 2})
	return nil
}
