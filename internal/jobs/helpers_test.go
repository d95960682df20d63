package jobs_test

import (
	"context"
	"fmt"
	"path/filepath"
	"sync"
	"testing"
	"time"

	_ "github.com/jackc/pgx/v5/stdlib"

	"github.com/vitrine/vitrine"
	"github.com/vitrine/vitrine/internal/blob"
	"github.com/vitrine/vitrine/internal/jobs"
	"github.com/vitrine/vitrine/internal/service"
	"github.com/vitrine/vitrine/internal/sqlstore"
	"github.com/vitrine/vitrine/internal/sqlstore/storetest"
)

// engines runs fn on SQLite and on PostgreSQL (VITRINE_TEST_POSTGRES),
// each with a fresh database.
func engines(t *testing.T, fn func(t *testing.T, dsn string)) {
	t.Helper()
	t.Run("sqlite", func(t *testing.T) {
		t.Parallel()
		fn(t, filepath.Join(t.TempDir(), "vitrine.db"))
	})
	t.Run("postgres", func(t *testing.T) {
		t.Parallel()
		fn(t, storetest.PostgresDSN(t))
	})
}

// clock is a settable clock.
type clock struct {
	mu sync.Mutex
	t  time.Time
}

func (c *clock) Now() time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.t
}

func (c *clock) Set(t time.Time) {
	c.mu.Lock()
	c.t = t
	c.mu.Unlock()
}

// env is a store, a blob store, an engine and a company with an admin and
// a user.
type env struct {
	db    *sqlstore.DB
	eng   *jobs.Engine
	clock *clock
	admin *vitrine.Principal
	user  *vitrine.Principal
	dsn   string
}

func newEnv(t *testing.T, dsn string, mod func(*jobs.Config)) *env {
	t.Helper()
	ctx := context.Background()
	db, err := sqlstore.Open(ctx, dsn)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { db.Close() })
	blobs, err := blob.OpenLocal(t.TempDir())
	if err != nil {
		t.Fatal(err)
	}
	e := &env{db: db, dsn: dsn, clock: &clock{t: time.Date(2026, 3, 2, 9, 0, 0, 0, time.UTC)}}
	cfg := jobs.DefaultConfig()
	cfg.Now = e.clock.Now
	cfg.Rand = func() float64 { return 0.5 }
	cfg.FetchPoll = 50 * time.Millisecond
	cfg.Tick = time.Hour // tests drive RunOnce themselves
	if mod != nil {
		mod(&cfg)
	}
	e.eng, err = jobs.New(ctx, cfg, mustService(t, service.Deps{Store: db, Blobs: blobs}), dsn, nil)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { e.eng.Stop() })
	c, err := db.CreateCompany(ctx, "acme", "")
	if err != nil {
		t.Fatal(err)
	}
	for _, r := range []vitrine.Role{vitrine.RoleAdmin, vitrine.RoleUser} {
		u, err := db.CreateUser(ctx, fmt.Sprintf("acme-%s", r), false)
		if err != nil {
			t.Fatal(err)
		}
		if err := db.SetMembership(ctx, u.ID, c.ID, r); err != nil {
			t.Fatal(err)
		}
		p, err := db.Principal(ctx, u, "acme")
		if err != nil {
			t.Fatal(err)
		}
		if r == vitrine.RoleAdmin {
			e.admin = p
		} else {
			e.user = p
		}
	}
	return e
}

// instantOff turns instant publish off, so that publish jobs move intent.
func (e *env) instantOff(t *testing.T) {
	t.Helper()
	if _, err := e.db.UpdateSettings(context.Background(), e.admin.Company.ID, []byte(`{"instant_publish":false}`)); err != nil {
		t.Fatal(err)
	}
	e.admin.Company.Settings.InstantPublish = false
	e.user.Company.Settings.InstantPublish = false
}

// upload records n images under folder (bytes are not needed by jobs).
func (e *env) upload(t *testing.T, folder string, first, n int) {
	t.Helper()
	var files []vitrine.NewFile
	for i := first; i < first+n; i++ {
		files = append(files, vitrine.NewFile{Filename: fmt.Sprintf("img%05d.jpg", i), Type: vitrine.TypeImage, Format: "jpeg",
			MIME: "image/jpeg", Ext: "jpg", Width: 10, Height: 10, SHA256: fmt.Sprintf("%064x", i), Size: 100})
	}
	if _, err := e.db.Ingest(context.Background(), e.user, files, vitrine.UploadOptions{Folder: folder}); err != nil {
		t.Fatal(err)
	}
}

// live returns the version delivery serves for name, 0 if none.
func (e *env) live(t *testing.T, name string) int {
	t.Helper()
	en, err := e.db.Lookup(context.Background(), e.admin.Company.ID, vitrine.ContextImage, vitrine.DestDelivery, name)
	if vitrine.ErrorCode(err) == vitrine.ENOTPUBLISHED {
		return 0
	} else if err != nil {
		t.Fatal(err)
	}
	return en.Version.Number
}

// wait polls until job id has ended (bounded), and returns it.
func (e *env) wait(t *testing.T, id int64) *sqlstore.JobRun {
	t.Helper()
	deadline := time.Now().Add(60 * time.Second)
	for {
		j, err := e.db.Job(context.Background(), 0, id)
		if err != nil {
			t.Fatal(err)
		}
		if j.Status.Terminal() {
			return j
		}
		if time.Now().After(deadline) {
			t.Fatalf("job %d still %s after 60s", id, j.Status)
		}
		time.Sleep(20 * time.Millisecond) // bounded poll on a condition
	}
}

func sqlstoreUnpublish(names ...string) sqlstore.Publication {
	return sqlstore.Publication{Action: vitrine.ActionUnpublish, Assets: names}
}

// newEngine opens a second store and engine on dsn: another node.
func newEngine(t *testing.T, dsn string) *jobs.Engine {
	t.Helper()
	ctx := context.Background()
	db, err := sqlstore.Open(ctx, dsn)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { db.Close() })
	blobs, err := blob.OpenLocal(t.TempDir())
	if err != nil {
		t.Fatal(err)
	}
	cfg := jobs.DefaultConfig()
	eng, err := jobs.New(ctx, cfg, mustService(t, service.Deps{Store: db, Blobs: blobs}), dsn, nil)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { eng.Stop() })
	return eng
}

// otherUser is a second plain user of the company.
func otherUser(t *testing.T, e *env) *vitrine.Principal {
	t.Helper()
	ctx := context.Background()
	u, err := e.db.CreateUser(ctx, "acme-other", false)
	if err != nil {
		t.Fatal(err)
	}
	if err := e.db.SetMembership(ctx, u.ID, e.admin.Company.ID, vitrine.RoleUser); err != nil {
		t.Fatal(err)
	}
	p, err := e.db.Principal(ctx, u, "acme")
	if err != nil {
		t.Fatal(err)
	}
	return p
}

type sqlstoreNewJob = sqlstore.NewJob

func mustService(t testing.TB, d service.Deps) *service.Service {
	t.Helper()
	svc, err := service.New(d)
	if err != nil {
		t.Fatal(err)
	}
	return svc
}
