package exits

import (
	"encoding/json"
	"os"

	"asyncsuite/suite"
)

func Run(input json.RawMessage) error {
	var in struct{ Code int }
	if err := json.Unmarshal(input, &in); err != nil {
		return err
	}
	suite.Trace("step", suite.F{"n": 1})
	os.Exit(in.Code)
	return nil
}
