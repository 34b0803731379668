package leak

import (
	"encoding/json"

	"asyncsuite/suite"
)

func Run(input json.RawMessage) error {
	var in struct{ Mode string }
	if err := json.Unmarshal(input, &in); err != nil {
		return err
	}
	suite.Trace("step", suite.F{"n": 1})
	switch in.Mode {
	case "trace":
		go func() {
			suite.SleepUntil(1.5)
			suite.Trace("step", suite.F{"n": 2})
		}()
	case "forever":
		go func() { select {} }() // blocks for ever, never waited for
	}
	return nil
}
