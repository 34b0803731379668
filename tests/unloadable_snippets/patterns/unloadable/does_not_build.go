// Deliberately wrong: assigns a string to an int, so the package does not compile.
package unloadable

import (
	"encoding/json"

	"asyncsuite/suite"
)

func Run(input json.RawMessage) error {
	var count int = "one"
	suite.Trace("result", suite.F{"value": count})
	return nil
}
