package events

import "encoding/json"

// mustJSON encodes the broker's own event types, which always encode.
func mustJSON(v any) json.RawMessage {
	raw, err := json.Marshal(v)
	if err != nil {
		panic("events: " + err.Error())
	}
	return raw
}
