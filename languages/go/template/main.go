// The Go runner of the async pattern suite, protocol version 2
// (languages/README.md): it reads one JSON request per line on stdin, runs the
// snippet registered under its key (registry.go), keeps the window open, and
// answers with the snippet's traces, one end line and one settled line.
// stdout carries protocol lines only.
package main

import (
	"bufio"
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"os"
	"runtime"
	"runtime/debug"
	"strconv"
	"time"
	"unicode/utf8"

	"asyncsuite/suite"
)

func main() {
	warmUp()
	os.Stderr.WriteString("\x1e\n") // the stderr mark: what came before is the start's
	suite.Emit(map[string]any{"hello": map[string]any{"protocol": 2, "language": "go", "version": runtime.Version()}})
	// A scenario that runs alone has this process to itself: one request, then
	// main returns (languages/README.md, Alone).
	alone := os.Getenv("ASYNC_SUITE_ALONE") == "1"
	in := bufio.NewReader(os.Stdin)
	for {
		line, err := in.ReadBytes('\n')
		if len(bytes.TrimSpace(line)) > 0 {
			serve(line, alone)
			if alone {
				return
			}
		}
		if err == io.EOF {
			return
		} else if err != nil {
			fmt.Fprintln(os.Stderr, "go runner: reading stdin:", err)
			os.Exit(1)
		}
	}
}

// warmUp runs timers, goroutines and JSON encoding once, so the first timed
// scenario does not pay for lazy initialisation.
func warmUp() {
	done := make(chan struct{})
	for range 20 {
		go func() {
			<-time.NewTimer(5 * time.Millisecond).C
			done <- struct{}{}
		}()
		<-done
	}
	if _, err := json.Marshal(map[string]any{"ev": "warm", "fields": map[string]any{"values": []int{1}}}); err != nil {
		panic(err)
	}
}

// request is what the runner reads of a request line. The harness sends only
// requests that follow harness/schemas/protocol.schema.json, so nothing else is
// checked.
type request struct {
	ID       json.RawMessage `json:"id"`
	Key      any             `json:"key"`
	Input    json.RawMessage `json:"input"`
	TickMs   float64         `json:"tick_ms"`
	Window   float64         `json:"window"`
	SettleMs float64         `json:"settle_ms"`
}

// serve answers one request line: the snippet's traces and the end line, then
// the settled line.
func serve(line []byte, alone bool) {
	req, run, err := parse(line)
	suite.Begin(req.ID, req.TickMs)
	if err != nil {
		suite.Fail(err.Error(), "")
		suite.Settled(nil)
		return
	}
	before := runtime.NumGoroutine()
	if message, stack, failed := call(run, req.Input, alone); failed {
		suite.Fail(message, stack)
	} else {
		suite.SleepUntil(req.Window) // at once when the snippet outlasted its window
		suite.Done()
	}
	suite.Settled(settle(before, req.SettleMs))
}

// parse reads a request line and finds its entry point. A line it cannot
// dispatch is an error, the refusal's message; req.ID is set if it was readable.
func parse(line []byte) (req request, run func(json.RawMessage) error, err error) {
	if !utf8.Valid(line) { // which Go's decoder would take, replacing the bad bytes
		return req, nil, errors.New("malformed request: not JSON: invalid UTF-8")
	}
	err = json.Unmarshal(line, &req) // a field of another type is skipped: fields are trusted
	var wrongType *json.UnmarshalTypeError
	key, isString := req.Key.(string)
	switch {
	case err != nil && !errors.As(err, &wrongType):
		return req, nil, fmt.Errorf("malformed request: not JSON: %v", err)
	case wrongType != nil && wrongType.Field == "":
		return req, nil, errors.New("malformed request: not a JSON object")
	case !isInteger(req.ID):
		req.ID = nil // unreadable: the answer's id is null
		return req, nil, errors.New("malformed request: no integer id")
	case !isString:
		return req, nil, errors.New("malformed request: no string key")
	case entryPoints[key] == nil:
		return req, nil, fmt.Errorf("unknown key %q", key)
	}
	return req, entryPoints[key], nil
}

// isInteger tells a JSON integer that fits in a uint64.
func isInteger(raw json.RawMessage) bool {
	_, err := strconv.ParseUint(string(raw), 10, 64)
	return err == nil
}

// call runs a snippet's entry point, turning a returned error or a panic into
// a message and a stack. (A panic in a goroutine the snippet started cannot be
// recovered here: it ends the runner, which the harness reports as a crash.)
// Alone, nothing is recovered: a panic ends the process as it ends a program.
func call(run func(json.RawMessage) error, input json.RawMessage, alone bool) (message, stack string, failed bool) {
	if !alone {
		defer func() {
			if r := recover(); r != nil {
				message, stack, failed = fmt.Sprintf("panic: %v", r), string(debug.Stack()), true
			}
		}()
	}
	if err := run(input); err != nil {
		return err.Error(), "(returned by Run, no stack)", true
	}
	return "", "", false
}

// settle waits until the request has left no more goroutines running than
// there were before it, looking every 5 ms for settleMs at most, and names
// what it left: ["2 goroutines"], or nil.
func settle(before int, settleMs float64) []string {
	deadline := time.Now().Add(time.Duration(settleMs * float64(time.Millisecond)))
	for {
		left := runtime.NumGoroutine() - before
		wait := time.Until(deadline)
		switch {
		case left <= 0:
			return nil
		case wait > 0:
			time.Sleep(min(wait, 5*time.Millisecond))
		case left == 1:
			return []string{"1 goroutine"}
		default:
			return []string{fmt.Sprintf("%d goroutines", left)}
		}
	}
}
