package service_test

import (
	"context"
	"slices"
	"sync"
	"testing"

	"github.com/vitrine/vitrine"
	"github.com/vitrine/vitrine/internal/cdn"
	"github.com/vitrine/vitrine/internal/service"
	"github.com/vitrine/vitrine/internal/testenv"
)

// TestRotateSigningKey: each rotation puts a new key first and keeps the
// one before it live; older keys stop verifying. Members may not rotate.
func TestRotateSigningKey(t *testing.T) {
	t.Parallel()
	env := testenv.Open(t, testenv.SQLite)
	ctx := context.Background()
	svc, err := service.New(service.Deps{Store: env.DB, Blobs: testenv.Blobs(t)})
	if err != nil {
		t.Fatal(err)
	}
	c := testenv.NewCompany(t, env.DB, "acme")
	if _, _, err := svc.RotateSigningKey(ctx, c.User); vitrine.ErrorCode(err) != vitrine.EFORBIDDEN {
		t.Fatalf("member rotates: %v, want forbidden", err)
	}
	var keys []string
	for i := range 3 {
		key, st, err := svc.RotateSigningKey(ctx, c.Admin)
		if err != nil {
			t.Fatalf("rotation %d: %v", i, err)
		}
		c.Admin.Company.Settings = *st // the next request's principal
		keys = append(keys, key)
		if len(key) < 32 || st.URLSigningKeys[0] != key {
			t.Errorf("rotation %d: key %q, keys %v", i, key, st.URLSigningKeys)
		}
	}
	got := c.Admin.Company.Settings.URLSigningKeys
	if len(got) != 2 || got[0] != keys[2] || got[1] != keys[1] {
		t.Errorf("after three rotations keys = %v, want [%s %s]", got, keys[2], keys[1])
	}

	// Two rotations at once, from principals read before either: both new
	// keys stay live (each was shown once to an admin).
	stale := *c.Admin
	made := make(chan string, 2)
	var wg sync.WaitGroup
	for range 2 {
		wg.Go(func() {
			key, _, err := svc.RotateSigningKey(ctx, &stale)
			if err != nil {
				t.Error(err)
			}
			made <- key
		})
	}
	wg.Wait()
	close(made)
	co, err := env.DB.Company(ctx, "acme")
	if err != nil {
		t.Fatal(err)
	}
	for k := range made {
		if !slices.Contains(co.Settings.URLSigningKeys, k) {
			t.Errorf("concurrent rotations: key %s lost; keys %v", k, co.Settings.URLSigningKeys)
		}
	}
}

// TestInvalidateWithoutEdges: with no edges wired, an invalidation is
// recorded with nothing to purge; members are refused by the use case.
func TestInvalidateWithoutEdges(t *testing.T) {
	t.Parallel()
	env := testenv.Open(t, testenv.SQLite)
	ctx := context.Background()
	svc, err := service.New(service.Deps{Store: env.DB, Blobs: testenv.Blobs(t)})
	if err != nil {
		t.Fatal(err)
	}
	c := testenv.NewCompany(t, env.DB, "acme")
	req := cdn.Request{URLs: []string{"/is/image/acme/shoe"}}
	if _, err := svc.Invalidate(ctx, c.User, req); vitrine.ErrorCode(err) != vitrine.EFORBIDDEN {
		t.Fatalf("member invalidates: %v, want forbidden", err)
	}
	res, err := svc.Invalidate(ctx, c.Admin, req)
	if err != nil {
		t.Fatal(err)
	}
	j, log, err := svc.Invalidation(ctx, c.Admin, res.JobID)
	if err != nil || !j.Status.Terminal() || len(log) != 1 {
		t.Fatalf("invalidation %d: %+v %v %v", res.JobID, j, log, err)
	}
	if _, _, err := svc.Invalidation(ctx, c.User, res.JobID); vitrine.ErrorCode(err) != vitrine.EFORBIDDEN {
		t.Errorf("member reads the invalidation: %v", err)
	}
}
