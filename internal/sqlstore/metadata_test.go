package sqlstore_test

import (
	"context"
	"testing"

	"github.com/vitrine/vitrine"
	"github.com/vitrine/vitrine/internal/sqlstore"
)

// TestSearch covers the search the UI, the API and publish scopes use: by
// name, title, keywords, folder, type and publish state per destination.
func TestSearch(t *testing.T) {
	t.Parallel()
	eachEngine(t, func(t *testing.T, db *sqlstore.DB) {
		ctx := context.Background()
		f := newFixture(t, db, "acme")
		f.upload(t, "/shoes", nil, file("runner.jpg", 1), file("boot.jpg", 2))
		f.upload(t, "/hats", ptr(false), file("cap.jpg", 3))
		sel := vitrine.PublishSelective
		db.CreateFolder(ctx, &f.admin.Company, "/sel")
		db.UpdateFolder(ctx, &f.admin.Company, "/sel", sqlstore.FolderPatch{PublishMode: &sel})
		f.upload(t, "/sel", ptr(true), file("sandal.jpg", 4)) // selective: preview only
		title := "Trail Runner 2"
		if _, err := db.UpdateMetadata(ctx, f.user, "runner", sqlstore.MetadataPatch{Title: &title, Keywords: &[]string{"Summer", "red", "summer"}}); err != nil {
			t.Fatal(err)
		}
		a, err := db.Asset(ctx, f.admin.Company.ID, "runner")
		if err != nil || a.Title != title || len(a.Keywords) != 2 || a.Keywords[0] != "Summer" {
			t.Fatalf("metadata = %q %v, %v; want the title and 2 keywords (duplicates dropped)", a.Title, a.Keywords, err)
		}
		cp, err := db.Copy(ctx, f.user, "runner", "/copies", "")
		if err != nil || cp.Title != title || len(cp.Keywords) != 2 {
			t.Errorf("copy metadata = %q %v, %v", cp.Title, cp.Keywords, err)
		}
		yes, no := true, false
		cases := []struct {
			name string
			f    vitrine.AssetFilter
			want []string
		}{
			{"keyword", vitrine.AssetFilter{Query: "SUMMER"}, []string{"runner", "runner-1"}},
			{"title", vitrine.AssetFilter{Query: "trail"}, []string{"runner", "runner-1"}},
			{"name", vitrine.AssetFilter{Query: "oo"}, []string{"boot"}},
			{"folder", vitrine.AssetFilter{Folder: "/shoes", Recursive: true}, []string{"boot", "runner"}},
			{"on delivery", vitrine.AssetFilter{Published: &yes}, []string{"boot", "runner"}},
			{"not on delivery", vitrine.AssetFilter{Published: &no}, []string{"cap", "runner-1", "sandal"}},
			{"on preview", vitrine.AssetFilter{PublishedPreview: &yes}, []string{"boot", "runner", "sandal"}},
			{"preview, not delivery", vitrine.AssetFilter{PublishedPreview: &yes, Published: &no}, []string{"sandal"}},
		}
		for _, tc := range cases {
			page, err := db.Assets(ctx, f.admin.Company.ID, tc.f)
			if err != nil {
				t.Fatal(err)
			}
			var got []string
			for _, a := range page.Assets {
				got = append(got, a.Name)
			}
			if len(got) != len(tc.want) {
				t.Errorf("%s: %v, want %v", tc.name, got, tc.want)
				continue
			}
			for i := range got {
				if got[i] != tc.want[i] {
					t.Errorf("%s: %v, want %v", tc.name, got, tc.want)
					break
				}
			}
		}
		if _, err := db.UpdateMetadata(ctx, f.user, "boot", sqlstore.MetadataPatch{Keywords: &[]string{"bad\x00"}}); vitrine.ErrorCode(err) != vitrine.EINVALID {
			t.Errorf("bad keyword: %v, want invalid", err)
		}
	})
}

// TestEditAssetAtomic: a PATCH that sets a title and renames onto a taken
// name fails whole; the title is not changed.
func TestEditAssetAtomic(t *testing.T) {
	t.Parallel()
	eachEngine(t, func(t *testing.T, db *sqlstore.DB) {
		ctx := context.Background()
		f := newFixture(t, db, "acme")
		f.upload(t, "/", nil, file("a.jpg", 1), file("b.jpg", 2))
		title := "New title"
		if _, _, err := db.EditAsset(ctx, f.user, "a", sqlstore.MetadataPatch{Title: &title}, "", "b"); vitrine.ErrorCode(err) != vitrine.ECONFLICT {
			t.Fatalf("rename onto b: %v, want conflict", err)
		}
		if a, _ := db.Asset(ctx, f.admin.Company.ID, "a"); a.Title != "" {
			t.Errorf("title = %q after a refused edit, want unchanged", a.Title)
		}
		a, _, err := db.EditAsset(ctx, f.user, "a", sqlstore.MetadataPatch{Title: &title}, "/x", "c")
		if err != nil || a.Name != "c" || a.Title != title || a.Folder != "/x" {
			t.Errorf("edit = %+v, %v", a, err)
		}
	})
}
