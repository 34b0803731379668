package main

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"maps"
	"math"
	"slices"
	"strconv"
	"strings"
	"unicode/utf8"
)

// fields are those a request may have (languages/protocol.schema.json).
var fields = []string{"id", "key", "pattern", "variant", "scenario", "input", "tick_ms", "window", "settle_ms"}

type request struct {
	id       json.RawMessage // a non-negative integer, or nil when unreadable
	key      string
	input    json.RawMessage
	tickMs   float64
	window   float64
	settleMs float64
}

// parse decodes one request line and checks it as the schema says. On error,
// req.id is still set when the id was readable.
func parse(line []byte) (req request, err error) {
	var raw map[string]json.RawMessage
	if !utf8.Valid(line) {
		return req, errors.New("malformed request: not JSON: invalid UTF-8")
	}
	var value any
	if err := json.Unmarshal(line, &value); err != nil {
		return req, fmt.Errorf("malformed request: not JSON: %v", err)
	}
	if json.Unmarshal(line, &raw) != nil || raw == nil {
		return req, errors.New("malformed request: not a JSON object")
	}
	id, ok := number(raw["id"], 0, math.MaxInt64, true)
	if !ok {
		return req, errors.New("bad request: field 'id' must be a non-negative integer")
	}
	req.id = strconv.AppendUint(nil, uint64(id), 10)
	for _, name := range slices.Sorted(maps.Keys(raw)) {
		if !slices.Contains(fields, name) {
			return req, fmt.Errorf("bad request: unknown field '%s' (a request has: %s)", name, strings.Join(fields, ", "))
		}
	}
	bad := func(name, expected string) error {
		return fmt.Errorf("bad request: field '%s' must be %s", name, expected)
	}
	if json.Unmarshal(raw["key"], &req.key) != nil || isNull(raw["key"]) {
		return req, bad("key", "a string")
	}
	if req.input = raw["input"]; req.input == nil {
		return req, bad("input", "present")
	}
	if req.tickMs, ok = number(raw["tick_ms"], 0, 60000, false); !ok || req.tickMs == 0 {
		return req, bad("tick_ms", "a number in (0, 60000]")
	}
	if req.window, ok = number(raw["window"], 0, 100000, true); !ok {
		return req, bad("window", "an integer in [0, 100000]")
	}
	if _, present := raw["settle_ms"]; present {
		if req.settleMs, ok = number(raw["settle_ms"], 0, 60000, false); !ok {
			return req, bad("settle_ms", "a number in [0, 60000]")
		}
	}
	for _, name := range []string{"pattern", "scenario", "variant"} {
		value, present := raw[name]
		var text string
		nullable := name == "variant"
		if present && (json.Unmarshal(value, &text) != nil || isNull(value) && !nullable) {
			if nullable {
				return req, bad(name, "a string or null")
			}
			return req, bad(name, "a string")
		}
	}
	return req, nil
}

// number is the JSON number raw, when it is one, in [low, high], and whole
// if integer is set.
func number(raw json.RawMessage, low, high float64, integer bool) (float64, bool) {
	var n float64
	if raw == nil || isNull(raw) || json.Unmarshal(raw, &n) != nil {
		return 0, false
	}
	return n, low <= n && n <= high && (!integer || n == math.Trunc(n))
}

// isNull tells a JSON null, which Unmarshal accepts for any type.
func isNull(raw json.RawMessage) bool {
	return bytes.Equal(bytes.TrimSpace(raw), []byte("null"))
}
