package sqlstore_test

import (
	"context"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/vitrine/vitrine"
	"github.com/vitrine/vitrine/internal/sqlstore"
)

func (f *fixture) tree(t *testing.T, name string) *vitrine.SetTree {
	t.Helper()
	ctx := context.Background()
	e, err := f.db.Lookup(ctx, f.admin.Company.ID, vitrine.ContextImage, vitrine.DestDelivery, name)
	if err != nil {
		t.Fatalf("Lookup(%s): %v", name, err)
	}
	tr, err := f.db.PublishedSet(ctx, e)
	if err != nil {
		t.Fatalf("PublishedSet(%s): %v", name, err)
	}
	return tr
}

func itemNames(items []vitrine.SetItem) []string {
	out := []string{}
	for _, it := range items {
		out = append(out, it.Name)
	}
	return out
}

func TestPublishedSet(t *testing.T) {
	t.Parallel()
	eachEngine(t, func(t *testing.T, db *sqlstore.DB) {
		ctx := context.Background()
		f := newFixture(t, db, "acme")
		f.upload(t, "/", ptr(false), file("a.jpg", 1), file("b.jpg", 2), file("sw.jpg", 3))
		f.upload(t, "/", ptr(false), video("clip.mp4", 4))
		f.derive(t, "clip", "clip-poster", 5)
		_, err := db.SaveSet(ctx, f.user, vitrine.SetSpec{Name: "colors", Type: vitrine.TypeSwatchSet, Members: []vitrine.SetMember{
			{Name: "a", Swatch: &vitrine.Swatch{Color: "ff0000", Label: "Red"}},
			{Name: "b", Swatch: &vitrine.Swatch{Image: "sw"}},
			{Name: "a", Swatch: &vitrine.Swatch{Crop: "0,0,10,10"}},
		}}, true)
		if err != nil {
			t.Fatal(err)
		}
		f.saveSet(t, true, "mms", vitrine.TypeMixedMediaSet, true, "colors", "clip", "b")
		f.wantLive(t, map[string]bool{"sw": true, "clip-poster": true})

		tr := f.tree(t, "mms")
		if diff := cmp.Diff([]string{"colors", "clip", "b"}, itemNames(tr.Items)); diff != "" {
			t.Errorf("mms items (-want +got):\n%s", diff)
		}
		if tr.Items[1].Poster != "clip-poster" || tr.Items[1].Type != vitrine.TypeVideo {
			t.Errorf("video item = %+v", tr.Items[1])
		}
		want := []*vitrine.LiveSwatch{{Color: "ff0000", Label: "Red"}, {Name: "sw"}, {Name: "a", Crop: "0,0,10,10"}}
		var got []*vitrine.LiveSwatch
		for _, it := range tr.Items[0].Set.Items {
			got = append(got, it.Swatch)
		}
		if diff := cmp.Diff(want, got); diff != "" {
			t.Errorf("swatches (-want +got):\n%s", diff)
		}
		// Titles reach the set answer and the catalog entry (labelkey=, issue 14).
		title := "Front"
		if _, err := db.UpdateMetadata(ctx, f.user, "b", sqlstore.MetadataPatch{Title: &title}); err != nil {
			t.Fatal(err)
		}
		if tr := f.tree(t, "mms"); tr.Items[2].Title != "Front" || tr.Items[1].Title != "" {
			t.Errorf("titles = %q %q, want \"\" \"Front\"", tr.Items[1].Title, tr.Items[2].Title)
		}
		if e, err := db.Lookup(ctx, f.user.Company.ID, vitrine.ContextImage, vitrine.DestDelivery, "b"); err != nil || e.Title != "Front" {
			t.Errorf("Lookup(b) = %+v, %v; want title Front", e, err)
		}

		// Unpublished members drop out of the answer; the set stays.
		f.publish(t, vitrine.ActionUnpublish, "b", "sw")
		tr = f.tree(t, "mms")
		if diff := cmp.Diff([]string{"colors", "clip"}, itemNames(tr.Items)); diff != "" {
			t.Errorf("after unpublish (-want +got):\n%s", diff)
		}
		if diff := cmp.Diff([]string{"a", "a"}, itemNames(tr.Items[0].Set.Items)); diff != "" {
			t.Errorf("nested after unpublish (-want +got):\n%s", diff)
		}
	})
}

// TestPublishedSetVersion checks that with instant publish off, delivery
// keeps serving the published member list while the set is edited.
func TestPublishedSetVersion(t *testing.T) {
	t.Parallel()
	eachEngine(t, func(t *testing.T, db *sqlstore.DB) {
		ctx := context.Background()
		f := newFixture(t, db, "acme")
		f.upload(t, "/", ptr(true), file("a.jpg", 1), file("b.jpg", 2))
		f.saveSet(t, true, "views", vitrine.TypeImageSet, true, "a")
		if _, err := db.UpdateSettings(ctx, f.admin.Company.ID, []byte(`{"instant_publish":false}`)); err != nil {
			t.Fatal(err)
		}
		f.saveSet(t, false, "views", vitrine.TypeImageSet, true, "a", "b")
		if diff := cmp.Diff([]string{"a"}, itemNames(f.tree(t, "views").Items)); diff != "" {
			t.Errorf("before the publish job (-want +got):\n%s", diff)
		}
		s, err := db.Set(ctx, f.admin.Company.ID, "views")
		if err != nil || s.Version != 2 || len(s.Members) != 2 || s.Published.Delivery.Version != 1 {
			t.Errorf("set = %+v, %v; want v2 with 2 members, v1 live", s, err)
		}
	})
}

func TestVideoCascade(t *testing.T) {
	t.Parallel()
	eachEngine(t, func(t *testing.T, db *sqlstore.DB) {
		ctx := context.Background()
		f := newFixture(t, db, "acme")
		f.upload(t, "/", ptr(false), video("clip.mp4", 1), video("clip-720.mp4", 2), video("clip-360.mp4", 3))
		f.derive(t, "clip", "clip-poster", 4)
		if _, err := db.SaveSet(ctx, f.user, vitrine.SetSpec{Name: "clip-AVS", Type: vitrine.TypeVideoSet, Source: "clip",
			Members: []vitrine.SetMember{{Name: "clip-720"}, {Name: "clip-360"}}, PublishAfterSave: ptr(false)}, true); err != nil {
			t.Fatal(err)
		}
		f.publish(t, vitrine.ActionPublish, "clip")
		for n, c := range map[string]vitrine.Context{"clip": vitrine.ContextVideo, "clip-720": vitrine.ContextVideo,
			"clip-poster": vitrine.ContextImage, "clip-AVS": vitrine.ContextImage} {
			if _, err := db.Lookup(ctx, f.admin.Company.ID, c, vitrine.DestDelivery, n); err != nil {
				t.Errorf("%s not live in %s: %v", n, c, err)
			}
		}
		// Deleting the video deletes its thumbnail, not its video set.
		if _, err := db.Trash(ctx, f.user, "clip"); err != nil {
			t.Fatal(err)
		}
		f.wantLive(t, map[string]bool{"clip-poster": false, "clip-AVS": true})
	})
}

func TestDeriveStore(t *testing.T) {
	t.Parallel()
	eachEngine(t, func(t *testing.T, db *sqlstore.DB) {
		ctx := context.Background()
		f := newFixture(t, db, "acme")
		f.upload(t, "/shoes", ptr(true), file("shoe.jpg", 1))
		res := f.derive(t, "shoe", "shoe-crop", 2)
		if res.Asset.Folder != "/shoes" || res.Asset.Version != 1 {
			t.Errorf("derived = %+v", res.Asset)
		}
		// Derived from a published parent: published with it.
		f.wantLive(t, map[string]bool{"shoe-crop": true})
		// Deriving again under the name is a new version of it.
		if res = f.derive(t, "shoe", "shoe-crop", 3); res.Asset.Version != 2 || f.live(t, "shoe-crop", vitrine.DestDelivery) != 2 {
			t.Errorf("re-derive: version %d, live %d; want 2", res.Asset.Version, f.live(t, "shoe-crop", vitrine.DestDelivery))
		}
		rel, err := db.Relations(ctx, f.admin.Company.ID, "shoe")
		if err != nil || len(rel.Derived) != 1 || rel.Derived[0].Name != "shoe-crop" || rel.Derived[0].Recipe != "rotate=90" {
			t.Errorf("Relations(shoe) = %+v, %v", rel, err)
		}
		if rel, _ := db.Relations(ctx, f.admin.Company.ID, "shoe-crop"); rel.Parent != "shoe" {
			t.Errorf("Relations(shoe-crop).Parent = %q", rel.Parent)
		}
		// Another asset's name is taken.
		f.upload(t, "/", ptr(false), file("other.jpg", 9))
		if _, err := db.Derive(ctx, f.user, "shoe", vitrine.Derivation{Name: "other", Recipe: "rotate=90"}, file("x.jpg", 10)); vitrine.ErrorCode(err) != vitrine.ECONFLICT {
			t.Errorf("derive over another asset: err = %v, want conflict", err)
		}
		// Replace original: a new version of the parent, live at once.
		if _, err := db.Derive(ctx, f.user, "shoe", vitrine.Derivation{Recipe: "rotate=90", ReplaceOriginal: true}, file("shoe.jpg", 11)); err != nil {
			t.Fatal(err)
		}
		if f.live(t, "shoe", vitrine.DestDelivery) != 2 {
			t.Errorf("replace original: live v%d, want v2", f.live(t, "shoe", vitrine.DestDelivery))
		}
	})
}

func TestPublishSearchData(t *testing.T) {
	t.Parallel()
	eachEngine(t, func(t *testing.T, db *sqlstore.DB) {
		ctx := context.Background()
		f := newFixture(t, db, "acme")
		cid := f.admin.Company.ID
		f.upload(t, "/", ptr(false), file("p1.jpg", 1), file("p2.jpg", 2), file("p3.jpg", 3))
		spec := vitrine.SetSpec{Name: "spring", Type: vitrine.TypeECatalog, Members: []vitrine.SetMember{
			{Name: "p1", Keywords: []string{"Boots", "leather"}, Text: "Winter boots for hiking"},
			{Name: "p2", Keywords: []string{"sandals"}, Text: "Summer sandals"},
			{Name: "p3", Text: "Leather bags"},
		}}
		if _, err := db.SaveSet(ctx, f.user, spec, true); err != nil {
			t.Fatal(err)
		}
		f.publish(t, vitrine.ActionUnpublish, "p3")
		search := func(q string) []vitrine.SearchHit {
			t.Helper()
			hits, err := db.SearchPublished(ctx, cid, q, 0)
			if err != nil {
				t.Fatalf("SearchPublished(%q): %v", q, err)
			}
			return hits
		}
		if hits := search("leather"); len(hits) != 0 {
			t.Errorf("before any full_with_search: %d hits, want none", len(hits))
		}
		if err := db.PublishSearchData(ctx, cid); err != nil {
			t.Fatal(err)
		}
		want := []vitrine.SearchHit{{Catalog: "spring", Page: 1, Image: "p1", Keywords: []string{"Boots", "leather"}, Text: "Winter boots for hiking"}}
		if diff := cmp.Diff(want, search("LEATHER")); diff != "" {
			t.Errorf("search leather (-want +got):\n%s", diff) // p3 is not published
		}
		if hits := search("boots hiking"); len(hits) != 1 {
			t.Errorf("two words: %d hits, want 1", len(hits))
		}
		// Edits and publishes change nothing until the next such publish.
		spec.Members[1].Keywords = []string{"leather"}
		spec.PublishAfterSave = ptr(false) // p3 stays unpublished
		if _, err := db.SaveSet(ctx, f.user, spec, false); err != nil {
			t.Fatal(err)
		}
		if hits := search("leather"); len(hits) != 1 {
			t.Errorf("after an edit: %d hits, want still 1", len(hits))
		}
		if err := db.PublishSearchData(ctx, cid); err != nil {
			t.Fatal(err)
		}
		if hits := search("leather"); len(hits) != 2 {
			t.Errorf("after the next publish: %d hits, want 2", len(hits))
		}
		f.publish(t, vitrine.ActionUnpublish, "spring")
		// Gone at once, not at the next full_with_search: nothing that left
		// delivery stays public.
		if hits := search("leather"); len(hits) != 0 {
			t.Errorf("unpublished eCatalog: %d hits, want none", len(hits))
		}
		if err := db.PublishSearchData(ctx, cid); err != nil {
			t.Fatal(err)
		}
		if hits := search("leather"); len(hits) != 0 {
			t.Errorf("unpublished eCatalog after the next publish: %d hits, want none", len(hits))
		}
	})
}
