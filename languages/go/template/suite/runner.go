package suite

import (
	"encoding/json"
	"os"
	"time"
)

// The runner's side of the helper: snippets do not call these.

// Begin starts a request's scenario: traces from now on carry id (null when
// nil), and t counts from now.
func Begin(id json.RawMessage, tickMs float64) {
	s := &scenario{id: id, start: time.Now(), tick: time.Duration(tickMs * float64(time.Millisecond))}
	mu.Lock()
	defer mu.Unlock()
	current = s
}

// Done closes the scenario's window and writes {"id", "end": "done"}. What
// the scenario's work traces afterwards is marked late.
func Done() {
	end(map[string]any{"end": "done"})
}

// Fail is Done for a request that failed: {"id", "end": "error", "message", "stack"}.
func Fail(message, stack string) {
	end(map[string]any{"end": "error", "message": message, "stack": stack})
}

func end(line map[string]any) {
	mu.Lock()
	defer mu.Unlock()
	current.closed = true
	line["id"] = current.id
	writeLocked(line)
}

// Settled writes the request's last line, {"id", "settled": true, "pending"}:
// what the scenario left running. The stderr mark, a line holding only U+001E,
// goes first, so the harness knows when it has all the request's stderr.
func Settled(pending []string) {
	if pending == nil {
		pending = []string{}
	}
	mu.Lock()
	defer mu.Unlock()
	os.Stderr.WriteString("\x1e\n")
	writeLocked(map[string]any{"id": current.id, "settled": true, "pending": pending})
}

// Emit writes one protocol line (the hello) on stdout.
func Emit(line any) {
	mu.Lock()
	defer mu.Unlock()
	writeLocked(line)
}

// writeLocked writes line as JSON on stdout, in one write (os.Stdout is not
// buffered), with mu held.
func writeLocked(line any) {
	data, err := json.Marshal(line)
	if err != nil {
		panic("suite: " + err.Error())
	}
	os.Stdout.Write(append(data, '\n'))
}
