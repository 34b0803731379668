package flood

import (
	"encoding/json"
	"fmt"

	"asyncsuite/suite"
)

func Run(input json.RawMessage) error {
	var in struct{ Lines int }
	if err := json.Unmarshal(input, &in); err != nil {
		return err
	}
	for i := range in.Lines {
		fmt.Printf("conformance flood line %d\n", i)
	}
	suite.Trace("step", suite.F{"n": 1})
	return nil
}
