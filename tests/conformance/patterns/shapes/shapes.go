package shapes

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"

	"asyncsuite/suite"
)

func Run(input json.RawMessage) error {
	var failure error = &suite.Error{Label: "boom"}
	suite.Trace("error", suite.F{"error": "bare", "shape": suite.Shape(failure)})
	wrapped := fmt.Errorf("wrapped: %w", failure)
	suite.Trace("error", suite.F{"error": "wrapped", "shape": suite.Shape(wrapped)})
	several := errors.Join(failure, &suite.Error{Label: "bang"})
	suite.Trace("error", suite.F{"error": "several", "shape": suite.Shape(several)})
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	suite.Trace("error", suite.F{"error": "cancelled", "shape": suite.Shape(ctx.Err())})
	return nil
}
