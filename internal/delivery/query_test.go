package delivery

import (
	"net/http/httptest"
	"net/url"
	"testing"

	"github.com/google/go-cmp/cmp"
)

func TestQuery(t *testing.T) {
	for _, tc := range []struct {
		raw  string
		want url.Values
	}{
		{"", url.Values{}},
		{"req=set&imageSet=a,b;sw,c;{0xff0000%20Red}", url.Values{"req": {"set"}, "imageSet": {"a,b;sw,c;{0xff0000 Red}"}}},
		{"imageSet=a%3Bsw", url.Values{"imageSet": {"a;sw"}}},
		{"handler=cb&handler=&&labelkey", url.Values{"handler": {"cb", ""}, "labelkey": {""}}},
		{"a=%zz&b+c=d+e", url.Values{"a": {"%zz"}, "b c": {"d e"}}},
	} {
		r := httptest.NewRequest("GET", "/is/image/co?"+tc.raw, nil)
		if diff := cmp.Diff(tc.want, query(r)); diff != "" {
			t.Errorf("query(%q) (-want +got):\n%s", tc.raw, diff)
		}
	}
}
