package ui

import (
	"net/url"
	"testing"
)

func TestBuildURL(t *testing.T) {
	t.Parallel()
	presets := map[string]string{"thumb": "wid=100"}
	for _, tc := range []struct {
		name, query, want string
	}{
		{"nothing", "", "/is/image/demo/red shoe"},
		{"size", "wid=300&hei=200&fit=crop", "/is/image/demo/red shoe?wid=300&hei=200&fit=crop"},
		{"order and blanks", "qlt=80&fmt=webp&wid=&crop=10,20,100,50", "/is/image/demo/red shoe?crop=10,20,100,50&fmt=webp&qlt=80"},
		{"preset first", "wid=50&preset=thumb", "/is/image/demo/red shoe?$thumb$&wid=50"},
		{"unknown preset", "preset=nope", "/is/image/demo/red shoe"},
		{"junk left out", "wid=1%262&fmt=<x>", "/is/image/demo/red shoe"},
		{"unknown field", "op_blur=5", "/is/image/demo/red shoe"},
	} {
		q, _ := url.ParseQuery(tc.query)
		got, err := url.PathUnescape(buildURL("demo", "red shoe", q, presets))
		if err != nil || got != tc.want {
			t.Errorf("%s: buildURL(%q) = %q, want %q", tc.name, tc.query, got, tc.want)
		}
	}
}
