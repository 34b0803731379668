// One operation, and its value.
package unloadable

import (
	"context"
	"encoding/json"

	"asyncsuite/suite"
)

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
