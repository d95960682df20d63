package vitrine

import "testing"

func TestCursor(t *testing.T) {
	for _, key := range []string{"a", "summer sale", "ünï/+%", ""} {
		got, err := DecodeCursor(EncodeCursor(key))
		if err != nil || got != key {
			t.Errorf("DecodeCursor(EncodeCursor(%q)) = %q, %v", key, got, err)
		}
	}
	if got, err := DecodeCursor(""); got != "" || err != nil {
		t.Errorf(`DecodeCursor("") = %q, %v; want "", nil`, got, err)
	}
	for _, bad := range []string{"shoe", "!!!", "djI6eA", EncodeCursor("x")[1:]} {
		if _, err := DecodeCursor(bad); ErrorCode(err) != EINVALID {
			t.Errorf("DecodeCursor(%q) = %v, want %s", bad, err, EINVALID)
		}
	}
}
