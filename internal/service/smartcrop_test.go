package service_test

import (
	"bytes"
	"context"
	"sync"
	"testing"

	"github.com/vitrine/vitrine"
	"github.com/vitrine/vitrine/internal/imaging"
	"github.com/vitrine/vitrine/internal/service"
	"github.com/vitrine/vitrine/internal/testenv"
)

// changeLog records announced changes: the fan-out's last subscribers.
type changeLog struct {
	mu  sync.Mutex
	got []vitrine.CatalogChange
}

func (l *changeLog) CatalogChanged(_ context.Context, _ *vitrine.Company, ch []vitrine.CatalogChange) {
	l.mu.Lock()
	defer l.mu.Unlock()
	l.got = append(l.got, ch...)
}

func (l *changeLog) take() []vitrine.CatalogChange {
	l.mu.Lock()
	defer l.mu.Unlock()
	out := l.got
	l.got = nil
	return out
}

// TestSmartCropUseCases: an upload into a folder with a profile gets its
// crops at once; a profile change queues the folder's images and the
// worker recomputes them, keeping an adjusted crop; adjusting and
// resetting announce the asset as republished (so the edges purge it);
// bad boxes and unknown crops are refused.
func TestSmartCropUseCases(t *testing.T) {
	t.Parallel()
	testenv.EachEngine(t, func(t *testing.T, env *testenv.Env) {
		ctx := context.Background()
		blobs := testenv.Blobs(t)
		log := &changeLog{}
		svc, err := service.New(service.Deps{Store: env.DB, Blobs: blobs, Crops: imaging.SmartCrops,
			Changes: service.NewChanges(service.Subscribers{Others: []service.Subscriber{log}})})
		if err != nil {
			t.Fatal(err)
		}
		c := testenv.NewCompany(t, env.DB, "acme")
		if _, err := env.DB.CreateFolder(ctx, &c.Admin.Company, "/shoes"); err != nil {
			t.Fatal(err)
		}
		two := &vitrine.ImageProfile{Crops: []vitrine.CropDef{{Name: "Square", Width: 200, Height: 200}, {Name: "Wide", Width: 400, Height: 200}}}
		if err := svc.SetFolderProfile(ctx, c.Admin, "/shoes", two); err != nil {
			t.Fatal(err)
		}
		sp, err := service.Spool(bytes.NewReader(testenv.JPEG(t, 600, 400, 1)), "boot.jpg", blobs.SpoolDir())
		if err != nil {
			t.Fatal(err)
		}
		defer sp.Remove()
		if _, err := svc.Ingest(ctx, c.Admin, []service.Spooled{*sp}, vitrine.UploadOptions{Folder: "/shoes"}); err != nil {
			t.Fatal(err)
		}
		crops, err := svc.Crops(ctx, c.Admin, "boot")
		if err != nil || len(crops) != 2 || crops[0].Box.W != 400 || crops[1].Box.H != 300 || crops[0].SourceWidth != 600 {
			t.Fatalf("crops after upload = %+v, %v; want Square 400x400 and Wide 600x300", crops, err)
		}
		log.take()

		if _, err := svc.AdjustCrop(ctx, c.Admin, "boot", "Square", vitrine.CropBox{X: 0, Y: 0, W: 300, H: 300}); err != nil {
			t.Fatalf("AdjustCrop: %v", err)
		}
		if got := log.take(); len(got) != 2 || got[0].Asset != "boot" || got[0].Action != vitrine.HistRepublished {
			t.Errorf("changes after AdjustCrop = %+v, want boot republished in both destinations", got)
		}
		for _, bad := range []vitrine.CropBox{{X: 0, Y: 0, W: 300, H: 200}, {X: 400, Y: 0, W: 300, H: 300}} {
			if _, err := svc.AdjustCrop(ctx, c.Admin, "boot", "Square", bad); vitrine.ErrorCode(err) != vitrine.EINVALID {
				t.Errorf("AdjustCrop(%+v) = %v, want EINVALID", bad, err)
			}
		}
		if _, err := svc.AdjustCrop(ctx, c.Admin, "boot", "Nope", vitrine.CropBox{W: 1, H: 1}); vitrine.ErrorCode(err) != vitrine.ENOTFOUND {
			t.Errorf("AdjustCrop(Nope) = %v, want ENOTFOUND", err)
		}

		// The profile changes: Wide is resized, Tall added; the worker
		// recomputes, the adjusted Square stays.
		three := &vitrine.ImageProfile{Crops: []vitrine.CropDef{{Name: "Square", Width: 200, Height: 200}, {Name: "Wide", Width: 600, Height: 200}, {Name: "Tall", Width: 100, Height: 200}}}
		if err := svc.SetFolderProfile(ctx, c.Admin, "/", three); err != nil { // the parent's profile does not apply below /shoes
			t.Fatal(err)
		}
		if err := svc.SetFolderProfile(ctx, c.Admin, "/shoes", three); err != nil {
			t.Fatal(err)
		}
		n, err := svc.CropWorker().RunOnce(ctx)
		if err != nil || n != 1 {
			t.Fatalf("RunOnce = %d, %v; want 1 image", n, err)
		}
		if n, _ := svc.CropWorker().RunOnce(ctx); n != 0 {
			t.Errorf("second RunOnce = %d, want an empty queue", n)
		}
		crops, _ = svc.Crops(ctx, c.Admin, "boot")
		byName := map[string]vitrine.SmartCrop{}
		for _, c := range crops {
			byName[c.Name] = c
		}
		if sq := byName["Square"]; len(crops) != 3 || !sq.Adjusted || sq.Box.W != 300 {
			t.Errorf("after the profile change: %+v; want the adjusted Square kept", crops)
		}
		if w := byName["Wide"]; w.Box.W != 600 || w.Box.H != 200 || byName["Tall"].Box.H != 400 {
			t.Errorf("after the profile change: Wide %+v Tall %+v", w.Box, byName["Tall"].Box)
		}
		if len(log.take()) == 0 {
			t.Errorf("the worker's recomputed crops were not announced")
		}

		reset, err := svc.ResetCrop(ctx, c.Admin, "boot", "Square")
		if err != nil || reset.Adjusted || reset.Box.W != 400 {
			t.Errorf("ResetCrop = %+v, %v; want a computed 400x400 box", reset, err)
		}

		// Clearing the profile leaves no crops.
		if err := svc.SetFolderProfile(ctx, c.Admin, "/shoes", nil); err != nil {
			t.Fatal(err)
		}
		if err := svc.SetFolderProfile(ctx, c.Admin, "/", nil); err != nil {
			t.Fatal(err)
		}
		if _, err := svc.CropWorker().RunOnce(ctx); err != nil {
			t.Fatal(err)
		}
		if crops, _ = svc.Crops(ctx, c.Admin, "boot"); len(crops) != 0 {
			t.Errorf("crops after clearing the profile = %+v, want none", crops)
		}
	})
}
