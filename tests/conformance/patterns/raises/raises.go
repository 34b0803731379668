package raises

import (
	"encoding/json"

	"asyncsuite/suite"
)

func Run(input json.RawMessage) error {
	suite.Trace("step", suite.F{"n": 1})
	panic("conformance boom")
}
