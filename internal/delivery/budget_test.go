package delivery_test

import (
	"testing"
)

// TestWorkBudgetRefusedBeforeRender (issue 15, item 3): a crop whose work
// is unbounded answers 403, not cached, without a render, however small
// the reply.
func TestWorkBudgetRefusedBeforeRender(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	e.put(t, "shoe", "/", nil)
	for _, path := range []string{
		"/is/image/acme/shoe?crop=0,0,100000,99999",
		"/is/image/acme/shoe?crop=0,0,1000000,1000000",
		"/is/image/acme/shoe?crop=0,0,100000,99999&wid=10",
		"/is/image/acme/shoe?scl=0.0001",
		"/is/image/acme/shoe?crop=0,0,100000,99999&req=props",
	} {
		if r, body := e.get(t, path); r.StatusCode != 403 || r.Header.Get("Cache-Control") != "no-store" {
			t.Errorf("GET %s = %d %q (%s), want 403 no-store", path, r.StatusCode, r.Header.Get("Cache-Control"), body)
		}
	}
	if n := e.h.Stats().Renders.Load(); n != 0 {
		t.Errorf("%d renders ran, want none", n)
	}
}
