package media

import (
	"testing"

	"github.com/google/go-cmp/cmp"
)

func TestScanProlog(t *testing.T) {
	t.Parallel()
	tests := []struct {
		in         string
		want       prolog
		wantMarkup bool
	}{
		{`<svg width="1">`, prolog{root: "svg", attrs: []byte(` width="1"`)}, true},
		{`<?xml version="1.0"?><a/>`, prolog{xmlDecl: true, root: "a", attrs: []byte(`/`)}, true},
		{"<!-- <html> -->\n<feed>", prolog{root: "feed", attrs: []byte{}}, true},
		{`<!DOCTYPE html><p>`, prolog{doctype: "html", root: "p", attrs: []byte{}}, true},
		{`<!doctype svg [ <!ENTITY a "]>"> ]><svg>`, prolog{doctype: "svg", root: "svg", attrs: []byte{}}, true},
		{`<x title="a>b" y='>'>`, prolog{root: "x", attrs: []byte(` title="a>b" y='>'`)}, true},
		{`<svg:svg>`, prolog{root: "svg:svg", attrs: []byte{}}, true},
		{`<svg width="1"`, prolog{root: "svg"}, true}, // the tag does not end
		{`<?php echo 1; ?>`, prolog{}, true},
		{`<!-- unclosed`, prolog{}, true},
		{`<?xml version="1.0"?>`, prolog{xmlDecl: true}, true},
		{` <?xml version="1.0"?>`, prolog{xmlDecl: true}, true},
		{`<a/><?xml version="1.0"?>`, prolog{root: "a", attrs: []byte("/")}, true},
		{`<3 you`, prolog{}, false},
		{`<!-- c --> text`, prolog{}, false},
		{`< svg>`, prolog{}, false},
	}
	for _, tc := range tests {
		t.Run(tc.in, func(t *testing.T) {
			t.Parallel()
			got, isMarkup := scanProlog([]byte(tc.in))
			if isMarkup != tc.wantMarkup {
				t.Fatalf("scanProlog(%q) markup = %v, want %v", tc.in, isMarkup, tc.wantMarkup)
			}
			if diff := cmp.Diff(tc.want, got, cmp.AllowUnexported(prolog{})); diff != "" {
				t.Errorf("scanProlog(%q) mismatch (-want +got):\n%s", tc.in, diff)
			}
		})
	}
}

func TestSVGSize(t *testing.T) {
	t.Parallel()
	tests := []struct {
		attrs string
		w, h  int
	}{
		{` width="100" height="50"`, 100, 50},
		{` width='100px' height = "50px"`, 100, 50},
		{` height="72pt" width="1in"`, 96, 96},
		{` width="10.2" height="0.1"`, 11, 1},
		{` viewBox="0 0 640 480"`, 640, 480},
		{` viewBox="-10,-10,20.5,10"`, 21, 10},
		{` width="320" viewBox="0 0 640 480"`, 320, 240},
		{` height="240" viewBox="0 0 640 480"`, 320, 240},
		{` width="100%" height="100%" viewBox="0 0 10 20"`, 10, 20},
		{` width="100%" height="100%"`, 0, 0},
		{` width="1em" height="2em"`, 0, 0},
		{` width="-5" height="5"`, 0, 0},
		{` width="1e300" height="5"`, 0, 0},
		{` width="NaN" height="Inf"`, 0, 0},
		{` viewBox="0 0 0 10"`, 0, 0},
		{` data-width="5" width="7" height="8"`, 7, 8},
		{` xmlns:width="x" width="7" height="8"`, 7, 8},
		{` hidden width="7" height="8"`, 7, 8},
		{` =x width="7" height="8"`, 7, 8},
		{` width="7 height="8"`, 0, 0},
		{` WIDTH="7" HEIGHT="8"`, 0, 0},
		{``, 0, 0},
	}
	for _, tc := range tests {
		t.Run(tc.attrs, func(t *testing.T) {
			t.Parallel()
			w, h := svgSize([]byte(tc.attrs))
			if w != tc.w || h != tc.h {
				t.Errorf("svgSize(%q) = %d×%d, want %d×%d", tc.attrs, w, h, tc.w, tc.h)
			}
		})
	}
}

func TestCutSample(t *testing.T) {
	t.Parallel()
	tests := []struct {
		in   string
		n    int
		want string
	}{
		{"abc", 8, "abc"},
		{"abcdef", 3, "abc"},
		{"ab\u00e9", 3, "ab"}, // é (2 bytes) split
		{"a\u20ac", 3, "a"},   // € (3 bytes) split after 2
		{"a\U0001F600b", 5, "a\U0001F600"},
		{"ab\xff\xfe", 3, "ab\xff"}, // invalid bytes are left for isText to refuse
	}
	for _, tc := range tests {
		if got := string(cutSample([]byte(tc.in), tc.n)); got != tc.want {
			t.Errorf("cutSample(%q, %d) = %q, want %q", tc.in, tc.n, got, tc.want)
		}
	}
}
