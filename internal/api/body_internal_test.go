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

// TestLongestArray: the byte scan counts what the token walk counts, on
// strings holding brackets, commas and escaped quotes, nested arrays,
// arrays of objects and literals.
func TestLongestArray(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct {
		body string
		want int
		ok   bool
	}{
		{`{}`, 0, true},
		{`[]`, 0, true},
		{`[ ]`, 0, true},
		{`[1]`, 1, true},
		{`[1, 2 ,3]`, 3, true},
		{`{"a":[true,false,null,-1.5e3]}`, 4, true},
		{`{"a":["x,y","[","]\"],[,"]}`, 3, true},
		{`{"a":[[1,2],[3,4,5],{"b":[1,2,3,4,5,6]}]}`, 6, true},
		{`{"k":"\\","l":[1,2]}`, 2, true},
		{`[{"a":1,"b":2},{"c":3}]`, 2, true},
		{`{"a":[1,2}`, 0, false},
		{`[1,2`, 0, false},
		{`]`, 0, false},
	} {
		n, ok := longestArray([]byte(tc.body))
		if n != tc.want && tc.ok || ok != tc.ok {
			t.Errorf("longestArray(%s) = %d, %v; want %d, %v", tc.body, n, ok, tc.want, tc.ok)
		}
		// The scan and the token walk agree on where max lies.
		if tc.ok && tc.want > 0 {
			if err := checkArraysSlow([]byte(tc.body), tc.want); err != nil {
				t.Errorf("token walk refuses %s at max %d: %v", tc.body, tc.want, err)
			}
			if err := checkArraysSlow([]byte(tc.body), tc.want-1); err == nil {
				t.Errorf("token walk accepts %s at max %d", tc.body, tc.want-1)
			}
		}
	}
}
