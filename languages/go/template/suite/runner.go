package suite

import (
	"encoding/json"
	"os"
	"time"
)

// The runner's side of the helper: snippets do not call these.

// stderrMark is the stderr line written before each settled line: a record
// separator (U+001E) alone.
const stderrMark = "\x1e\n"

// Begin starts a scenario: traces from now on carry id, and t counts from now.
func Begin(id json.RawMessage, tickMs float64) {
	if len(id) == 0 {
		id = json.RawMessage("null")
	}
	s := &scenario{
		id:    id,
		start: time.Now(),
		tick:  time.Duration(tickMs * float64(time.Millisecond)),
	}
	mu.Lock()
	defer mu.Unlock()
	current = s
}

// End closes the scenario's window and writes its terminal line, {"id", "end", ...more}.
// Anything the scenario's work traces afterwards is marked late.
func End(end string, more map[string]string) {
	mu.Lock()
	defer mu.Unlock()
	current.closed = true
	msg := map[string]any{"id": current.id, "end": end}
	for k, v := range more {
		msg[k] = v
	}
	writeLocked(msg)
}

// Settled writes the request's last line, {"id", "settled": true, "pending"}:
// what the scenario left running after the settle time. The stderr mark goes
// first, so the harness knows when it has all the stderr the request wrote.
func Settled(pending []string) {
	if pending == nil {
		pending = []string{}
	}
	mu.Lock()
	defer mu.Unlock()
	os.Stderr.WriteString(stderrMark)
	writeLocked(map[string]any{"id": current.id, "settled": true, "pending": pending})
}

// Emit writes one protocol line (the hello) on stdout.
func Emit(msg any) {
	mu.Lock()
	defer mu.Unlock()
	writeLocked(msg)
}

func writeLocked(msg any) {
	line, err := json.Marshal(msg)
	if err != nil {
		panic("suite: " + err.Error())
	}
	stdout.Write(append(line, '\n'))
}
