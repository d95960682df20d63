package api

import (
	"strings"
	"testing"
)

func TestCheckArrays(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct {
		body string
		want string // "" for accepted, else the start of the message
	}{
		{`{"a":[1,2,3]}`, ""},
		{`{"a":[1,2,3,4]}`, "a: at most 3"},
		{`[1,2,3,4]`, "the body: at most 3"},
		{`{"options":{"urls":["x","y","z","w"]}}`, "options.urls: at most 3"},
		{`{"members":[{"k":[1]},{},{},{}]}`, "members: at most 3"},
		{`{"a":[[1,2,3],[4,5,6]],"b":{"c":[1,2,3]}}`, ""},
		{`{"a":[[1,2,3,4]]}`, "a: at most 3"},
		{`{"a":"[1,2,3,4]"}`, ""},
	} {
		err := checkArrays([]byte(tc.body), 3)
		switch {
		case tc.want == "" && err != nil:
			t.Errorf("checkArrays(%s) = %v, want nil", tc.body, err)
		case tc.want != "" && (err == nil || !strings.Contains(err.Error(), tc.want)):
			t.Errorf("checkArrays(%s) = %v, want %q", tc.body, err, tc.want)
		}
	}
}
