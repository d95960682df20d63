package api

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"os"
	"strings"

	"github.com/vitrine/vitrine"
)

// decode reads a JSON request body into v, refusing unknown fields, a body
// over MaxJSONBytes, one that does not arrive within BodyTimeout (set by
// wrap), and any array longer than MaxArrayItems, wherever it sits: every
// request type is capped in this one place.
func (s *Server) decode(r *http.Request, v any) error {
	data, err := s.readJSON(r)
	if err != nil {
		return err
	}
	dec := json.NewDecoder(bytes.NewReader(data))
	dec.DisallowUnknownFields()
	if err := dec.Decode(v); err != nil {
		return vitrine.Errorf(vitrine.EINVALID, "request body: %v", err)
	}
	return nil
}

// readJSON reads a JSON request body whole, with decode's checks, for
// handlers that decode it themselves.
func (s *Server) readJSON(r *http.Request) ([]byte, error) {
	data, err := io.ReadAll(io.LimitReader(r.Body, s.cfg.MaxJSONBytes+1))
	if err != nil {
		return nil, bodyError(err)
	}
	if int64(len(data)) > s.cfg.MaxJSONBytes {
		return nil, vitrine.Errorf(vitrine.ETOOLARGE, "request body is larger than %d bytes", s.cfg.MaxJSONBytes)
	}
	if len(bytes.TrimSpace(data)) == 0 {
		return nil, vitrine.Errorf(vitrine.EINVALID, "request body is empty; send a JSON object")
	}
	if err := checkArrays(data, s.cfg.MaxArrayItems); err != nil {
		return nil, err
	}
	return data, nil
}

// checkArrays refuses a JSON document with an array of more than max
// items, naming where it is ("members", "options.urls"). A byte scan
// answers the common case; the token walk, which allocates per token
// (a 10,000-name publication spent more time here than in its decode),
// runs only to name the place or the syntax error.
func checkArrays(data []byte, max int) error {
	if n, ok := longestArray(data); ok && n <= max {
		return nil
	}
	return checkArraysSlow(data, max)
}

// longestArray returns the item count of the longest array in a JSON
// document, by a scan of its bytes; ok is false when the brackets do not
// balance (the token walk then says what is wrong).
func longestArray(data []byte) (longest int, ok bool) {
	type frame struct {
		array     bool
		n         int
		wantValue bool // the next value starts an item
	}
	var stack []frame
	start := func() { // a value starts here
		if len(stack) > 0 {
			if f := &stack[len(stack)-1]; f.array && f.wantValue {
				f.n, f.wantValue = f.n+1, false
				longest = max(longest, f.n)
			}
		}
	}
	for i := 0; i < len(data); i++ {
		switch c := data[i]; c {
		case '"':
			start()
			for i++; i < len(data) && data[i] != '"'; i++ {
				if data[i] == '\\' {
					i++
				}
			}
		case '[', '{':
			start()
			stack = append(stack, frame{array: c == '[', wantValue: c == '['})
		case ']', '}':
			if len(stack) == 0 || stack[len(stack)-1].array != (c == ']') {
				return 0, false
			}
			stack = stack[:len(stack)-1]
		case ',':
			if len(stack) > 0 && stack[len(stack)-1].array {
				stack[len(stack)-1].wantValue = true
			}
		case ' ', '\t', '\n', '\r', ':':
		default: // a number or a literal
			start()
		}
	}
	return longest, len(stack) == 0
}

// checkArraysSlow is checkArrays by a walk of the document's tokens.
func checkArraysSlow(data []byte, max int) error {
	type frame struct {
		array   bool
		n       int    // items so far (arrays)
		key     string // the current key (objects)
		wantKey bool
	}
	var stack []*frame
	path := func() string {
		var parts []string
		for _, f := range stack {
			if !f.array && f.key != "" {
				parts = append(parts, f.key)
			}
		}
		if len(parts) == 0 {
			return "the body"
		}
		return strings.Join(parts, ".")
	}
	// value notes that a value was read in the innermost container.
	value := func() error {
		if len(stack) == 0 {
			return nil
		}
		f := stack[len(stack)-1]
		if f.array {
			if f.n++; f.n > max {
				return vitrine.Errorf(vitrine.EINVALID, "%s: at most %d items per list", path(), max)
			}
		} else {
			f.wantKey = true
		}
		return nil
	}
	dec := json.NewDecoder(bytes.NewReader(data))
	dec.UseNumber()
	for {
		tok, err := dec.Token()
		if errors.Is(err, io.EOF) {
			return nil
		} else if err != nil {
			return vitrine.Errorf(vitrine.EINVALID, "request body: %v", err)
		}
		if d, ok := tok.(json.Delim); ok {
			switch d {
			case '[', '{':
				if err := value(); err != nil {
					return err
				}
				stack = append(stack, &frame{array: d == '[', wantKey: d == '{'})
			default:
				stack = stack[:len(stack)-1]
			}
			continue
		}
		if len(stack) > 0 && !stack[len(stack)-1].array && stack[len(stack)-1].wantKey {
			f := stack[len(stack)-1]
			f.key, f.wantKey = fmt.Sprint(tok), false
			continue
		}
		if err := value(); err != nil {
			return err
		}
	}
}

// bodyError translates a failed body read: too large, too slow, or
// malformed.
func bodyError(err error) error {
	var mbe *http.MaxBytesError
	if errors.As(err, &mbe) {
		return vitrine.Errorf(vitrine.ETOOLARGE, "request body is larger than %d bytes", mbe.Limit)
	}
	if errors.Is(err, os.ErrDeadlineExceeded) {
		return vitrine.Errorf(vitrine.EINVALID, "request body arrived too slowly; send it faster")
	}
	return vitrine.Errorf(vitrine.EINVALID, "malformed or truncated request body: %v", err)
}
