// Deliberately wrong: a package-level variable's initialiser ends the process, before main.
package unloadable

import (
	"context"
	"encoding/json"
	"os"

	"asyncsuite/suite"
)

var _ = func() int {
	os.Exit(3)
	return 0
}()

func Run(input json.RawMessage) error {
	var in struct{ Op suite.Spec }
	if err := json.Unmarshal(input, &in); err != nil {
		return err
	}
	value, err := suite.Op(context.Background(), in.Op)
	if err != nil {
		return err
	}
	suite.Trace("result", suite.F{"value": value})
	return nil
}
