package childprocess

import (
	"encoding/json"
	"os/exec"
	"strconv"

	"asyncsuite/suite"
)

func Run(input json.RawMessage) error {
	var in struct{ Seconds int }
	if err := json.Unmarshal(input, &in); err != nil {
		return err
	}
	if err := exec.Command("sleep", strconv.Itoa(in.Seconds)).Start(); err != nil { // never waited for
		return err
	}
	suite.Trace("step", suite.F{"n": 1})
	return nil
}
