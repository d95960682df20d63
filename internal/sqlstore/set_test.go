package sqlstore_test

import (
	"context"
	"fmt"
	"testing"

	"github.com/vitrine/vitrine"
	"github.com/vitrine/vitrine/internal/sqlstore"
)

// saveSet saves a set of typ with members (names), publish after save as given.
func (f *fixture) saveSet(t *testing.T, create bool, name string, typ vitrine.AssetType, publish bool, members ...string) *sqlstore.SetResult {
	t.Helper()
	spec := vitrine.SetSpec{Name: name, Type: typ, PublishAfterSave: &publish}
	for _, m := range members {
		spec.Members = append(spec.Members, vitrine.SetMember{Name: m})
	}
	res, err := f.db.SaveSet(context.Background(), f.user, spec, create)
	if err != nil {
		t.Fatalf("SaveSet(%s): %v", name, err)
	}
	return res
}

func (f *fixture) publish(t *testing.T, action vitrine.Action, names ...string) *sqlstore.PublicationResult {
	t.Helper()
	res, err := f.db.Publish(context.Background(), f.user, sqlstore.Publication{Action: action, Assets: names})
	if err != nil {
		t.Fatalf("Publish(%s %v): %v", action, names, err)
	}
	return res
}

// wantLive checks which of names delivery serves (any version).
func (f *fixture) wantLive(t *testing.T, want map[string]bool) {
	t.Helper()
	for n, w := range want {
		if got := f.live(t, n, vitrine.DestDelivery) > 0; got != w {
			t.Errorf("%s live = %v, want %v", n, got, w)
		}
	}
}

// TestPublishAfterSave has one case per row of the PUB-5 table.
func TestPublishAfterSave(t *testing.T) {
	t.Parallel()
	rows := []struct {
		name      string
		existing  *bool // nil: create; else the set exists, published or not
		publish   bool
		wantSet   bool
		wantOld   bool // the member that was already in the set (unpublished before the save)
		wantNew   bool // a member added by this save (unpublished before)
		wantOther bool // a published member added by this save stays published
	}{
		{name: "create on", publish: true, wantSet: true, wantNew: true, wantOther: true},
		{name: "create off", publish: false, wantSet: false, wantNew: false, wantOther: true},
		{name: "edit published on", existing: ptr(true), publish: true, wantSet: true, wantOld: true, wantNew: true, wantOther: true},
		{name: "edit published off", existing: ptr(true), publish: false, wantSet: true, wantOld: false, wantNew: false, wantOther: true},
		{name: "edit unpublished on", existing: ptr(false), publish: true, wantSet: true, wantOld: true, wantNew: true, wantOther: true},
		{name: "edit unpublished off", existing: ptr(false), publish: false, wantSet: false, wantOld: false, wantNew: false, wantOther: true},
	}
	for _, row := range rows {
		t.Run(row.name, func(t *testing.T) {
			t.Parallel()
			eachEngine(t, func(t *testing.T, db *sqlstore.DB) {
				f := newFixture(t, db, "acme")
				f.upload(t, "/", ptr(false), file("old.jpg", 1), file("new.jpg", 2))
				f.upload(t, "/", ptr(true), file("other.jpg", 3))
				members := []string{"new", "other"}
				if row.existing != nil {
					f.saveSet(t, true, "shoes", vitrine.TypeImageSet, *row.existing, "old")
					// "old" goes back to unpublished, which leaves the set
					// as it is (PUB-4): the members' own state is what the
					// row checks.
					f.publish(t, vitrine.ActionUnpublish, "old")
					members = append([]string{"old"}, members...)
				}
				res := f.saveSet(t, row.existing == nil, "shoes", vitrine.TypeImageSet, row.publish, members...)
				f.wantLive(t, map[string]bool{"shoes": row.wantSet, "new": row.wantNew, "other": row.wantOther})
				if row.existing != nil {
					f.wantLive(t, map[string]bool{"old": row.wantOld})
				}
				if row.wantSet && res.Set.Published.Delivery.Version != res.Set.Version {
					t.Errorf("set live at v%d, want the saved v%d", res.Set.Published.Delivery.Version, res.Set.Version)
				}
			})
		})
	}
}

func TestSetCascadeRecursive(t *testing.T) {
	t.Parallel()
	eachEngine(t, func(t *testing.T, db *sqlstore.DB) {
		ctx := context.Background()
		f := newFixture(t, db, "acme")
		f.upload(t, "/", ptr(false), file("a.jpg", 1), file("b.jpg", 2), file("c.jpg", 3))
		f.derive(t, "a", "a-crop", 10)
		f.saveSet(t, true, "views", vitrine.TypeImageSet, false, "a", "b")
		f.saveSet(t, true, "mms", vitrine.TypeMixedMediaSet, false, "views", "c")
		f.wantLive(t, map[string]bool{"mms": false, "views": false, "a": false, "a-crop": false, "c": false})

		res := f.publish(t, vitrine.ActionPublish, "mms")
		f.wantLive(t, map[string]bool{"mms": true, "views": true, "a": true, "b": true, "c": true, "a-crop": true})
		notes := map[string]string{}
		for _, r := range res.Results {
			notes[r.Name] = r.Note
		}
		if notes["views"] != "published with mms" || notes["a"] != "published with views" || notes["a-crop"] != "published with a" {
			t.Errorf("notes = %v", notes)
		}

		// Unpublishing a set unpublishes only the set (PUB-4).
		f.publish(t, vitrine.ActionUnpublish, "mms")
		f.wantLive(t, map[string]bool{"mms": false, "views": true, "a": true, "b": true, "c": true, "a-crop": true})
		f.publish(t, vitrine.ActionUnpublish, "views")
		f.wantLive(t, map[string]bool{"views": false, "a": true, "b": true})

		// A trashed member does not block publishing its set.
		if _, err := db.Trash(ctx, f.user, "b"); err != nil {
			t.Fatal(err)
		}
		f.publish(t, vitrine.ActionPublish, "views")
		f.wantLive(t, map[string]bool{"views": true, "b": false})
	})
}

func TestSetDeleteSemantics(t *testing.T) {
	t.Parallel()
	eachEngine(t, func(t *testing.T, db *sqlstore.DB) {
		ctx := context.Background()
		f := newFixture(t, db, "acme")
		f.upload(t, "/", ptr(true), file("a.jpg", 1), file("b.jpg", 2))
		f.derive(t, "a", "a-crop", 10)
		f.derive(t, "a-crop", "a-crop-sharp", 11)
		f.saveSet(t, true, "views", vitrine.TypeImageSet, true, "a", "b")
		f.wantLive(t, map[string]bool{"views": true, "a": true, "a-crop": true, "a-crop-sharp": true})

		// Deleting a set deletes only the set.
		if _, err := db.Trash(ctx, f.user, "views"); err != nil {
			t.Fatal(err)
		}
		f.wantLive(t, map[string]bool{"views": false, "a": true, "b": true, "a-crop": true})

		// Deleting an image deletes its derived images, recursively.
		changes, err := db.Trash(ctx, f.user, "a")
		if err != nil {
			t.Fatal(err)
		}
		if len(changes) != 6 { // three assets, two destinations
			t.Errorf("trash a: %d catalog changes, want 6", len(changes))
		}
		f.wantLive(t, map[string]bool{"a": false, "a-crop": false, "a-crop-sharp": false, "b": true})
		for _, n := range []string{"a-crop", "a-crop-sharp"} {
			if a, err := db.Asset(ctx, f.admin.Company.ID, n); err != nil || !a.Trashed() {
				t.Errorf("%s: trashed = %v, err %v; want in the Trash", n, a != nil && a.Trashed(), err)
			}
		}
		// Restoring the image restores what went to the Trash with it.
		if _, _, err := db.Restore(ctx, f.user, "a"); err != nil {
			t.Fatal(err)
		}
		f.wantLive(t, map[string]bool{"a": true, "a-crop": true, "a-crop-sharp": true})
	})
}

func TestSetRules(t *testing.T) {
	t.Parallel()
	eachEngine(t, func(t *testing.T, db *sqlstore.DB) {
		ctx := context.Background()
		f := newFixture(t, db, "acme")
		f.upload(t, "/", ptr(false), file("a.jpg", 1))
		f.upload(t, "/", ptr(false), video("clip.mp4", 2))
		sw := func(name string, members ...string) vitrine.SetSpec {
			s := vitrine.SetSpec{Name: name, Type: vitrine.TypeSwatchSet}
			for _, m := range members {
				s.Members = append(s.Members, vitrine.SetMember{Name: m, Swatch: &vitrine.Swatch{Color: "#FF0000"}})
			}
			return s
		}
		if _, err := db.SaveSet(ctx, f.user, sw("inner", "a"), true); err != nil {
			t.Fatal(err)
		}
		if _, err := db.SaveSet(ctx, f.user, sw("outer", "inner", "a"), true); err != nil {
			t.Fatal(err)
		}
		// A cycle is refused, and nothing changes.
		_, err := db.SaveSet(ctx, f.user, sw("inner", "a", "outer"), false)
		if vitrine.ErrorCode(err) != vitrine.EINVALID {
			t.Fatalf("cycle: err = %v, want invalid", err)
		}
		if s, _ := db.Set(ctx, f.admin.Company.ID, "inner"); len(s.Members) != 1 || s.Version != 1 {
			t.Errorf("after a refused save inner = %+v, want unchanged", s)
		}
		if _, err := db.SaveSet(ctx, f.user, sw("inner", "inner"), false); vitrine.ErrorCode(err) != vitrine.EINVALID {
			t.Errorf("self: err = %v, want invalid", err)
		}
		for _, c := range []struct {
			typ    vitrine.AssetType
			member string
		}{{vitrine.TypeImageSet, "clip"}, {vitrine.TypeVideoSet, "a"}, {vitrine.TypeSpinSet, "inner"}, {vitrine.TypeImageSet, "nope"}} {
			_, err := db.SaveSet(ctx, f.user, vitrine.SetSpec{Name: "bad", Type: c.typ, Members: []vitrine.SetMember{{Name: c.member}}}, true)
			if vitrine.ErrorCode(err) != vitrine.EINVALID || len(vitrine.ErrorDetails(err)) != 1 {
				t.Errorf("%s holding %s: err = %v, want invalid with one detail", c.typ, c.member, err)
			}
		}
		if _, err := db.SaveSet(ctx, f.user, vitrine.SetSpec{Name: "mms", Type: vitrine.TypeMixedMediaSet,
			Members: []vitrine.SetMember{{Name: "a"}, {Name: "clip"}, {Name: "outer"}}}, true); err != nil {
			t.Errorf("mixed media set of image, video and swatch set: %v", err)
		}
		if _, err := db.SaveSet(ctx, f.user, vitrine.SetSpec{Name: "mms2", Type: vitrine.TypeMixedMediaSet,
			Members: []vitrine.SetMember{{Name: "mms"}}}, true); vitrine.ErrorCode(err) != vitrine.EINVALID {
			t.Errorf("nested mixed media set: err = %v, want invalid", err)
		}
		if _, err := db.SaveSet(ctx, f.user, vitrine.SetSpec{Name: "a", Type: vitrine.TypeImageSet}, true); vitrine.ErrorCode(err) != vitrine.ECONFLICT {
			t.Errorf("create over an image: err = %v, want conflict", err)
		}
	})
}

func TestSetMemberLimits(t *testing.T) {
	t.Parallel()
	eachEngine(t, func(t *testing.T, db *sqlstore.DB) {
		ctx := context.Background()
		f := newFixture(t, db, "acme")
		var files []vitrine.NewFile
		for i := range 50 {
			files = append(files, file(fmt.Sprintf("img%02d.jpg", i), i+1))
		}
		f.upload(t, "/", ptr(false), files...)
		spec := vitrine.SetSpec{Name: "big", Type: vitrine.TypeImageSet}
		for range vitrine.MaxSetDuplicates {
			for i := range 50 {
				spec.Members = append(spec.Members, vitrine.SetMember{Name: fmt.Sprintf("img%02d", i)})
			}
		}
		res, err := db.SaveSet(ctx, f.user, spec, true)
		if err != nil || len(res.Set.Members) != vitrine.MaxSetMembers {
			t.Fatalf("1000 members: %v", err)
		}
		f.wantLive(t, map[string]bool{"big": true, "img00": true, "img49": true})
		spec.Members = append(spec.Members, vitrine.SetMember{Name: "img00"})
		if _, err := db.SaveSet(ctx, f.user, spec, false); vitrine.ErrorCode(err) != vitrine.ETOOLARGE {
			t.Errorf("1001 members: err = %v, want too_large", err)
		}
		spec.Members = spec.Members[:vitrine.MaxSetMembers-1]
		spec.Members[0].Name = "img01" // img01 is now there 21 times
		if _, err := db.SaveSet(ctx, f.user, spec, false); vitrine.ErrorCode(err) != vitrine.EINVALID {
			t.Errorf("21 duplicates: err = %v, want invalid", err)
		}
	})
}

// video returns a NewFile for a video whose digest derives from seed.
func video(name string, seed int) vitrine.NewFile {
	return vitrine.NewFile{Filename: name, Type: vitrine.TypeVideo, Format: "mp4", MIME: "video/mp4", Ext: "mp4",
		SHA256: fmt.Sprintf("%064x", seed), Size: int64(5000 + seed)}
}

// derive records a derived image of parent named name.
func (f *fixture) derive(t *testing.T, parent, name string, seed int) *sqlstore.DeriveResult {
	t.Helper()
	nf := file(name+".jpg", seed)
	res, err := f.db.Derive(context.Background(), f.user, parent, vitrine.Derivation{Name: name, Recipe: "rotate=90"}, nf)
	if err != nil {
		t.Fatalf("Derive(%s from %s): %v", name, parent, err)
	}
	return res
}

func TestSetCopy(t *testing.T) {
	t.Parallel()
	eachEngine(t, func(t *testing.T, db *sqlstore.DB) {
		ctx := context.Background()
		f := newFixture(t, db, "acme")
		f.upload(t, "/", ptr(true), file("a.jpg", 1), file("b.jpg", 2))
		f.saveSet(t, true, "views", vitrine.TypeImageSet, true, "a", "b")
		if _, err := db.Copy(ctx, f.user, "views", "/copies", "views2"); err != nil {
			t.Fatal(err)
		}
		s, err := db.Set(ctx, f.admin.Company.ID, "views2")
		if err != nil || len(s.Members) != 2 || s.Published.Delivery != nil {
			t.Fatalf("copy = %+v, %v; want 2 members, unpublished", s, err)
		}
		f.publish(t, vitrine.ActionPublish, "views2")
		if got := itemNames(f.tree(t, "views2").Items); len(got) != 2 {
			t.Errorf("copied set serves %v", got)
		}
	})
}

// TestPlanListsCascade: Manage Publication's plan lists what publishes with
// the selection (a set's members), and an exact apply of a reduced list
// leaves a deselected member alone (SEL-5).
func TestPlanListsCascade(t *testing.T) {
	t.Parallel()
	eachEngine(t, func(t *testing.T, db *sqlstore.DB) {
		ctx := context.Background()
		f := newFixture(t, db, "acme")
		f.upload(t, "/", ptr(false), file("m1.jpg", 1), file("m2.jpg", 2))
		f.saveSet(t, true, "look", vitrine.TypeImageSet, false, "m1", "m2")
		plan, err := db.PlanPublication(ctx, f.user, sqlstore.Publication{Action: vitrine.ActionPublish, Assets: []string{"look"}})
		if err != nil {
			t.Fatal(err)
		}
		got := map[string]string{}
		for _, it := range plan {
			got[it.Name] = it.Target
		}
		if len(plan) != 3 || got["m1"] != "preview and delivery" || got["m2"] != "preview and delivery" {
			t.Fatalf("plan = %+v, want the set and both members", plan)
		}
		if _, err := db.Publish(ctx, f.user, sqlstore.Publication{Action: vitrine.ActionPublish, Assets: []string{"look", "m1"}, Exact: true}); err != nil {
			t.Fatal(err)
		}
		f.wantLive(t, map[string]bool{"look": true, "m1": true, "m2": false})
	})
}
