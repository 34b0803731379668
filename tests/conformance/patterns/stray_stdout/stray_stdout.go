package straystdout

import (
	"encoding/json"
	"fmt"

	"asyncsuite/suite"
)

func Run(input json.RawMessage) error {
	fmt.Println("conformance stray")
	suite.Trace("step", suite.F{"n": 1})
	return nil
}
