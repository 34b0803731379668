// Package slidingwindow limits calls per sliding window with a log of times, guarded by sync.Mutex.
package slidingwindow

import (
	"encoding/json"

	"asyncsuite/suite"
)

// [pattern]

import (
	"sync"
)

// SlidingWindow allows at most limit calls in any window (in the unit of the
// times given to TryAcquire). It is safe for concurrent callers.
type SlidingWindow struct {
	mu      sync.Mutex
	limit   int
	window  int
	allowed []int // times of the allowed calls, oldest first
}

func NewSlidingWindow(limit int, window int) *SlidingWindow {
	return &SlidingWindow{limit: limit, window: window}
}

func (w *SlidingWindow) TryAcquire(now int) bool {
	w.mu.Lock()
	defer w.mu.Unlock()
	// The window is (now - window, now]: a call exactly window ago has left it.
	for len(w.allowed) > 0 && w.allowed[0] <= now-w.window {
		w.allowed = w.allowed[1:]
	}
	if len(w.allowed) >= w.limit {
		return false // denied calls are not logged
	}
	w.allowed = append(w.allowed, now)
	return true
}

// [/pattern]

// Run is the scenario adapter: each call tries at its tick, and is traced
// allowed or denied.
func Run(input json.RawMessage) error {
	var in struct {
		Limit  int
		Window int
		Calls  []struct {
			ID string
			At int
		}
	}
	if err := json.Unmarshal(input, &in); err != nil {
		return err
	}
	limiter := NewSlidingWindow(in.Limit, in.Window)
	for _, call := range in.Calls {
		suite.SleepUntil(call.At)
		if limiter.TryAcquire(call.At) {
			suite.Trace("allow", suite.F{"call": call.ID})
		} else {
			suite.Trace("deny", suite.F{"call": call.ID})
		}
	}
	return nil
}
