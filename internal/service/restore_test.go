package service_test

import (
	"bytes"
	"context"
	"testing"

	"github.com/vitrine/vitrine"
	"github.com/vitrine/vitrine/internal/service"
	"github.com/vitrine/vitrine/internal/testenv"
)

// TestRestoreVersion: restoring version 1 of a twice-uploaded image makes
// its bytes version 3, live at once for a published asset; the current
// version, an unknown one and a non-image are refused.
func TestRestoreVersion(t *testing.T) {
	t.Parallel()
	testenv.EachEngine(t, func(t *testing.T, env *testenv.Env) {
		ctx := context.Background()
		blobs := testenv.Blobs(t)
		svc, err := service.New(service.Deps{Store: env.DB, Blobs: blobs})
		if err != nil {
			t.Fatal(err)
		}
		c := testenv.NewCompany(t, env.DB, "acme")
		upload := func(name string, data []byte) {
			sp, err := service.Spool(bytes.NewReader(data), name, blobs.SpoolDir())
			if err != nil {
				t.Fatal(err)
			}
			defer sp.Remove()
			if _, err := svc.Ingest(ctx, c.Admin, []service.Spooled{*sp}, vitrine.UploadOptions{Folder: "/"}); err != nil {
				t.Fatal(err)
			}
		}
		upload("shoe.jpg", testenv.JPEG(t, 40, 30, 1))
		upload("shoe.jpg", testenv.JPEG(t, 80, 60, 2))
		upload("notes.txt", []byte("hello"))

		res, err := svc.RestoreVersion(ctx, c.Admin, "shoe", 1)
		if err != nil {
			t.Fatalf("RestoreVersion: %v", err)
		}
		vs, err := env.DB.Versions(ctx, c.ID, "shoe")
		if err != nil {
			t.Fatal(err)
		}
		byNumber := map[int]vitrine.Version{}
		for _, v := range vs {
			byNumber[v.Number] = v
		}
		if res.Asset.Version != 3 || byNumber[3].SHA256 != byNumber[1].SHA256 || byNumber[3].Width != 40 {
			t.Errorf("after restoring version 1: current %d, versions %+v; want version 3 = version 1's bytes", res.Asset.Version, vs)
		}
		a, err := env.DB.Asset(ctx, c.ID, "shoe")
		if err != nil {
			t.Fatal(err)
		}
		if a.Published.Delivery == nil || a.Published.Delivery.Version != 3 {
			t.Errorf("published at %v, want version 3 live at once", a.Published.Delivery)
		}
		for _, tc := range []struct {
			name, asset string
			version     int
			want        string
		}{
			{"the current version", "shoe", 3, vitrine.EINVALID},
			{"no such version", "shoe", 9, vitrine.ENOTFOUND},
			{"not an image", "notes", 1, vitrine.EINVALID},
			{"no such asset", "nope", 1, vitrine.ENOTFOUND},
		} {
			if _, err := svc.RestoreVersion(ctx, c.Admin, tc.asset, tc.version); vitrine.ErrorCode(err) != tc.want {
				t.Errorf("%s: RestoreVersion = %v, want %s", tc.name, err, tc.want)
			}
		}
	})
}
