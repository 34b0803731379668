package main

import (
	"fmt"
	"os"
	"path/filepath"
	"runtime"
	"strings"
	"time"
)

// settlePoll is how often settle looks again while work is still running.
const settlePoll = 5 * time.Millisecond

// snapshot is what was alive before a scenario: goroutines and child
// processes. Its pending method names what there is more of since.
type snapshot struct {
	goroutines int
	children   map[string]bool
}

func takeSnapshot() snapshot {
	return snapshot{runtime.NumGoroutine(), children()}
}

// pending is ["1 goroutine", "2 child processes"], or nil when nothing was left.
func (s snapshot) pending() []string {
	var found []string
	if n := runtime.NumGoroutine() - s.goroutines; n > 0 {
		found = append(found, plural(n, "goroutine", "goroutines"))
	}
	started := 0
	for pid := range children() {
		if !s.children[pid] {
			started++
		}
	}
	if started > 0 {
		found = append(found, plural(started, "child process", "child processes"))
	}
	return found
}

// settle waits until the request has left nothing running, or settleMs at
// most, and returns what is still running then.
func (s snapshot) settle(settleMs float64) []string {
	deadline := time.Now().Add(time.Duration(settleMs * float64(time.Millisecond)))
	for {
		pending := s.pending()
		left := time.Until(deadline)
		if len(pending) == 0 || left <= 0 {
			return pending
		}
		time.Sleep(min(left, settlePoll))
	}
}

func plural(n int, one, many string) string {
	if n == 1 {
		return "1 " + one
	}
	return fmt.Sprintf("%d %s", n, many)
}

// children are the runner's live child processes (Linux /proc; none are seen
// elsewhere).
func children() map[string]bool {
	pids := map[string]bool{}
	listings, _ := filepath.Glob("/proc/self/task/*/children")
	for _, listing := range listings {
		text, err := os.ReadFile(listing)
		if err != nil {
			continue // the thread ended meanwhile
		}
		for _, pid := range strings.Fields(string(text)) {
			if !zombie(pid) {
				pids[pid] = true
			}
		}
	}
	return pids
}

// zombie tells a child that has ended without being waited for (or is gone).
func zombie(pid string) bool {
	stat, err := os.ReadFile("/proc/" + pid + "/stat")
	if err != nil {
		return true
	}
	// The state follows the command's name, which is in parentheses.
	fields := strings.Fields(string(stat[strings.LastIndexByte(string(stat), ')')+1:]))
	return len(fields) == 0 || fields[0] == "Z"
}
