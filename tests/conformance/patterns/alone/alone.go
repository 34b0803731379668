package alone

import (
	"encoding/json"

	"asyncsuite/suite"
)

func Run(input json.RawMessage) error {
	var in struct{ Fail bool }
	if err := json.Unmarshal(input, &in); err != nil {
		return err
	}
	suite.Trace("step", suite.F{"n": 1})
	if in.Fail {
		panic("conformance unobserved")
	}
	return nil
}
