// Deliberately wrong: imports syscall/js, which has no files outside GOOS=js, so Go cannot load the
// package and names it only by its import path, with no file and line (as Go 1.22 does for iter).
package unloadable

import (
	"encoding/json"
	"syscall/js"

	"asyncsuite/suite"
)

func Run(input json.RawMessage) error {
	suite.Trace("result", suite.F{"value": js.Global().Length()})
	return nil
}
