package testenv

import (
	"context"
	"fmt"
	"testing"
	"time"

	"github.com/vitrine/vitrine"
	"github.com/vitrine/vitrine/internal/sqlstore"
)

// Installation fills db, through the store, with what a used installation
// holds: in company c, n assets in n/100 folders (uploaded in batches of
// 500: upload jobs, their logs and history), every tenth replaced (a second
// version), published as they upload except every seventh, a set per 500
// assets, a derived image, a folder with its own modes, an API token and
// a session, changed settings and a scheduled publication. file(i) describes asset i's file (its name gives the asset id).
func Installation(t testing.TB, db *sqlstore.DB, c *Company, n int, file func(i int) vitrine.NewFile) {
	t.Helper()
	if err := SeedInstallation(context.Background(), db, c, n, file); err != nil {
		t.Fatal(err)
	}
}

// SeedInstallation is Installation for a program (tools/seedinstall).
func SeedInstallation(ctx context.Context, db *sqlstore.DB, c *Company, n int, file func(i int) vitrine.NewFile) error {
	yes, no := true, false
	const batch = 500
	for start := 0; start < n; start += batch {
		var pub, unpub []vitrine.NewFile
		for i := start; i < min(start+batch, n); i++ {
			if i%7 == 3 {
				unpub = append(unpub, file(i))
			} else {
				pub = append(pub, file(i))
			}
		}
		folder := fmt.Sprintf("/catalog/f%03d", start/100)
		for _, files := range []struct {
			f       []vitrine.NewFile
			publish *bool
		}{{pub, &yes}, {unpub, &no}} {
			if len(files.f) == 0 {
				continue
			}
			if _, err := db.Ingest(ctx, c.Admin, files.f, vitrine.UploadOptions{Folder: folder, Publish: files.publish}); err != nil {
				return fmt.Errorf("ingest batch %d: %w", start, err)
			}
		}
	}
	var again []vitrine.NewFile
	for i := 0; i < n; i += 10 {
		f := file((i + 1) % n) // other bytes, same name: a new version
		f.Filename = file(i).Filename
		again = append(again, f)
	}
	for i := 0; i < len(again); i += batch {
		if _, err := db.Ingest(ctx, c.Admin, again[i:min(i+batch, len(again))], vitrine.UploadOptions{Folder: "/catalog/f000"}); err != nil {
			return fmt.Errorf("ingest replacements: %w", err)
		}
	}
	for s := 0; s+3 <= n; s += 500 {
		spec := vitrine.SetSpec{Name: fmt.Sprintf("set-%d", s), Type: vitrine.TypeImageSet, PublishAfterSave: &yes}
		for i := s; i < s+3; i++ {
			spec.Members = append(spec.Members, vitrine.SetMember{Name: assetName(file(i))})
		}
		if _, err := db.SaveSet(ctx, c.Admin, spec, true); err != nil {
			return fmt.Errorf("save set: %w", err)
		}
	}
	derived := file(0)
	derived.Filename = "derived-0.jpg"
	if _, err := db.Derive(ctx, c.Admin, assetName(file(0)), vitrine.Derivation{Name: "derived-0", Recipe: "rotate=90"}, derived); err != nil {
		return fmt.Errorf("derive: %w", err)
	}
	if _, err := db.CreateFolder(ctx, c.Company, "/selective"); err != nil {
		return fmt.Errorf("create folder: %w", err)
	}
	if _, err := db.CreateToken(ctx, c.Admin.User.ID, "migration test", ""); err != nil {
		return fmt.Errorf("create token: %w", err)
	}
	if _, err := db.CreateSession(ctx, c.Admin.User.ID, time.Hour, "test", "127.0.0.1"); err != nil {
		return fmt.Errorf("create session: %w", err)
	}
	if _, err := db.UpdateSettings(ctx, c.ID, []byte(`{"image_ttl_seconds":7200}`)); err != nil {
		return fmt.Errorf("update settings: %w", err)
	}
	next := time.Now().Add(24 * time.Hour).UTC()
	_, err := db.CreateJob(ctx, sqlstore.NewJob{CompanyID: c.ID, Type: vitrine.JobPublish, Name: "Nightly", Status: vitrine.JobScheduled,
		UserID: c.Admin.User.ID, SubmittedBy: c.Admin.User.ID, Options: `{"publish_type":"full"}`,
		Schedule: &vitrine.Schedule{Kind: "custom", Rule: "0 0 3 * * ?", TimeZone: "UTC", Active: true, NextRun: &next}})
	if err != nil {
		return fmt.Errorf("scheduled job: %w", err)
	}
	return nil
}

// assetName is the asset id of an uploaded file: its name without extension.
func assetName(f vitrine.NewFile) string {
	name := f.Filename
	for i := len(name) - 1; i >= 0; i-- {
		if name[i] == '.' {
			return name[:i]
		}
	}
	return name
}
