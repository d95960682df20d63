package sqlstore_test

import (
	"context"
	"testing"
	"time"

	"github.com/vitrine/vitrine"
	"github.com/vitrine/vitrine/internal/sqlstore"
)

func TestPublishUnpublish(t *testing.T) {
	t.Parallel()
	eachEngine(t, func(t *testing.T, db *sqlstore.DB) {
		ctx := context.Background()
		f := newFixture(t, db, "acme")
		f.upload(t, "/a", ptr(false), file("one.jpg", 1), file("two.jpg", 2))
		f.upload(t, "/a/b", ptr(false), file("three.jpg", 3))

		res, err := db.Publish(ctx, f.user, sqlstore.Publication{Action: vitrine.ActionPublish, Folders: []string{"/a"}})
		if err != nil {
			t.Fatal(err)
		}
		if len(res.Results) != 3 || len(res.Changes) != 6 {
			t.Fatalf("publish folder: %d results, %d changes; want 3 and 6", len(res.Results), len(res.Changes))
		}
		for _, n := range []string{"one", "two", "three"} {
			if f.live(t, n, vitrine.DestDelivery) != 1 || f.live(t, n, vitrine.DestPreview) != 1 {
				t.Errorf("%s not live in both destinations", n)
			}
		}
		// Publishing again changes nothing and writes no history.
		res, err = db.Publish(ctx, f.user, sqlstore.Publication{Action: vitrine.ActionPublish, Assets: []string{"one"}})
		if err != nil || len(res.Changes) != 0 || len(res.Results[0].Changed) != 0 {
			t.Errorf("republish = %+v, %v; want no change", res, err)
		}
		if _, err := db.Publish(ctx, f.user, sqlstore.Publication{Action: vitrine.ActionUnpublish, Assets: []string{"one"}}); err != nil {
			t.Fatal(err)
		}
		if f.live(t, "one", vitrine.DestDelivery) != 0 {
			t.Error("unpublished asset still live")
		}
		a, err := db.Asset(ctx, f.admin.Company.ID, "one")
		if err != nil {
			t.Fatal(err)
		}
		if a.LastPublishedAt == nil || a.Published.Delivery != nil {
			t.Errorf("asset = %+v, want last_published_at set and not published", a)
		}
		h, _ := db.History(ctx, f.admin.Company.ID, "one", 0)
		if len(h) != 4 || h[0].Action != vitrine.HistUnpublished || h[0].User != f.user.User.Name {
			t.Errorf("history = %+v", h)
		}
		// publish_delivery is a visible no-op in immediately mode (SEL-6).
		res, err = db.Publish(ctx, f.user, sqlstore.Publication{Action: vitrine.ActionPublishDelivery, Assets: []string{"one"}})
		if err != nil || res.Results[0].Note == "" || len(res.Changes) != 0 {
			t.Errorf("publish_delivery = %+v, %v; want a no-op with a note", res, err)
		}
		_, err = db.Publish(ctx, f.user, sqlstore.Publication{Action: vitrine.ActionPublish, Assets: []string{"nope"}})
		if vitrine.ErrorCode(err) != vitrine.ENOTFOUND {
			t.Errorf("unknown asset: err = %v, want not_found", err)
		}
	})
}

func TestInstantPublishOff(t *testing.T) {
	t.Parallel()
	eachEngine(t, func(t *testing.T, db *sqlstore.DB) {
		ctx := context.Background()
		f := newFixture(t, db, "acme")
		if _, err := db.UpdateSettings(ctx, f.admin.Company.ID, []byte(`{"instant_publish":false}`)); err != nil {
			t.Fatal(err)
		}
		f.admin.Company.Settings.InstantPublish = false
		res := f.upload(t, "/", nil, file("shoe.jpg", 1))
		if res.Assets[0].Published.Delivery != nil || f.live(t, "shoe", vitrine.DestDelivery) != 0 {
			t.Error("with instant publish off an upload must wait for a publish job")
		}
		a, _ := db.Asset(ctx, f.admin.Company.ID, "shoe")
		marked := 0
		for _, i := range a.Intent {
			if i.Marked {
				marked++
			}
		}
		if marked != 2 {
			t.Errorf("intent = %+v, want marked for both destinations", a.Intent)
		}
	})
}

func TestTenantIsolation(t *testing.T) {
	t.Parallel()
	eachEngine(t, func(t *testing.T, db *sqlstore.DB) {
		ctx := context.Background()
		acme := newFixture(t, db, "acme")
		globex := newFixture(t, db, "globex")
		acme.upload(t, "/", nil, file("secret.jpg", 1))
		if _, err := db.Asset(ctx, globex.admin.Company.ID, "secret"); vitrine.ErrorCode(err) != vitrine.ENOTFOUND {
			t.Errorf("foreign asset: err = %v, want not_found", err)
		}
		if _, err := db.Lookup(ctx, globex.admin.Company.ID, vitrine.ContextImage, vitrine.DestDelivery, "secret"); vitrine.ErrorCode(err) != vitrine.ENOTPUBLISHED {
			t.Errorf("foreign catalog: err = %v", err)
		}
		if _, err := db.Publish(ctx, globex.user, sqlstore.Publication{Action: vitrine.ActionUnpublish, Assets: []string{"secret"}}); vitrine.ErrorCode(err) != vitrine.ENOTFOUND {
			t.Errorf("foreign publish: err = %v, want not_found", err)
		}
		if _, err := db.Principal(ctx, &globex.user.User, "acme"); vitrine.ErrorCode(err) != vitrine.ENOTFOUND {
			t.Errorf("foreign company: err = %v, want not_found", err)
		}
		page, err := db.Assets(ctx, globex.admin.Company.ID, vitrine.AssetFilter{})
		if err != nil || len(page.Assets) != 0 {
			t.Errorf("globex sees %d assets, err %v", len(page.Assets), err)
		}
		tok, err := db.CreateToken(ctx, globex.user.User.ID, "t", "")
		if err != nil {
			t.Fatal(err)
		}
		if _, err := db.TokenPrincipal(ctx, tok, "acme"); vitrine.ErrorCode(err) != vitrine.ENOTFOUND {
			t.Errorf("foreign company by token: err = %v, want not_found", err)
		}
		if p, err := db.TokenPrincipal(ctx, tok, "globex"); err != nil || p.Role != vitrine.RoleUser || p.Company.RootID != "globex" {
			t.Errorf("own company by token = %+v, %v", p, err)
		}
		if _, err := db.TokenPrincipal(ctx, "vtr_not_a_real_token", "globex"); vitrine.ErrorCode(err) != vitrine.EUNAUTHORIZED {
			t.Errorf("bad token: err = %v, want unauthorized", err)
		}
		// Both companies may use the same asset id.
		globex.upload(t, "/", nil, file("secret.jpg", 2))
	})
}

func TestCopyMove(t *testing.T) {
	t.Parallel()
	eachEngine(t, func(t *testing.T, db *sqlstore.DB) {
		ctx := context.Background()
		f := newFixture(t, db, "acme")
		f.upload(t, "/a", nil, file("shoe.jpg", 1))
		cp, err := db.Copy(ctx, f.user, "shoe", "/b", "")
		if err != nil {
			t.Fatal(err)
		}
		if cp.Name != "shoe-1" || cp.Folder != "/b" || cp.Published.Delivery != nil || f.live(t, "shoe-1", vitrine.DestDelivery) != 0 {
			t.Errorf("copy = %+v, want unpublished shoe-1 in /b", cp)
		}
		mv, _, err := db.Move(ctx, f.user, "shoe", "/c", "boot")
		if err != nil {
			t.Fatal(err)
		}
		if mv.Folder != "/c" || mv.Name != "boot" || f.live(t, "boot", vitrine.DestDelivery) != 1 {
			t.Errorf("move = %+v, want published boot in /c", mv)
		}
		if f.live(t, "shoe", vitrine.DestDelivery) != 0 {
			t.Error("the old name still serves after a move (orphan URL)")
		}
		h, _ := db.History(ctx, f.admin.Company.ID, "boot", 0)
		gone := 0
		for _, e := range h {
			if e.AssetName == "shoe" && e.Action == vitrine.HistUnpublished {
				gone++
			}
		}
		if gone != 2 {
			t.Errorf("history after a rename = %+v, want the old name unpublished in both destinations", h)
		}
		if _, err := db.Trash(ctx, f.user, "shoe-1"); err != nil {
			t.Fatal(err)
		}
		if _, err := db.Copy(ctx, f.user, "shoe-1", "/c", ""); vitrine.ErrorCode(err) != vitrine.ECONFLICT {
			t.Errorf("copying a trashed asset: %v, want conflict", err)
		}
		if _, err := db.Copy(ctx, f.user, "boot", "/c", "shoe-1"); vitrine.ErrorCode(err) != vitrine.ECONFLICT {
			t.Errorf("copy onto a taken name: %v, want conflict", err)
		}
	})
}

func TestPurgeTrash(t *testing.T) {
	t.Parallel()
	eachEngine(t, func(t *testing.T, db *sqlstore.DB) {
		ctx := context.Background()
		f := newFixture(t, db, "acme")
		f.upload(t, "/", nil, file("old.jpg", 1), file("keep.jpg", 2))
		f.upload(t, "/", nil, file("twin.jpg", 2)) // same bytes as keep
		for _, n := range []string{"old", "keep"} {
			if _, err := db.Trash(ctx, f.user, n); err != nil {
				t.Fatal(err)
			}
		}
		n, _, err := db.PurgeTrash(ctx, time.Now().Add(6*24*time.Hour))
		if err != nil || n != 0 {
			t.Fatalf("purge before 7 days: %d, %v", n, err)
		}
		n, orphans, err := db.PurgeTrash(ctx, time.Now().Add(8*24*time.Hour))
		if err != nil || n != 2 {
			t.Fatalf("purge after 7 days: %d, %v; want 2", n, err)
		}
		if len(orphans) != 1 || orphans[0] != file("", 1).SHA256 {
			t.Errorf("orphans = %v, want only old's digest (twin still uses keep's)", orphans)
		}
		if _, err := db.Asset(ctx, f.admin.Company.ID, "old"); vitrine.ErrorCode(err) != vitrine.ENOTFOUND {
			t.Errorf("purged asset: %v", err)
		}
		res := f.upload(t, "/", nil, file("old.jpg", 3))
		if res.Assets[0].Name != "old" {
			t.Errorf("after purge the id is free again: got %q", res.Assets[0].Name)
		}
	})
}
