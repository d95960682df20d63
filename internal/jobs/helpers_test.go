package jobs_test

import (
	"context"
	"fmt"
	"sync"
	"testing"
	"time"

	_ "github.com/jackc/pgx/v5/stdlib"

	"github.com/vitrine/vitrine"
	"github.com/vitrine/vitrine/internal/jobs"
	"github.com/vitrine/vitrine/internal/service"
	"github.com/vitrine/vitrine/internal/sqlstore"
	"github.com/vitrine/vitrine/internal/testenv"
)

// engines runs fn on SQLite and on PostgreSQL (VITRINE_TEST_POSTGRES),
// each with a fresh database.
func engines(t *testing.T, fn func(t *testing.T, dsn string)) {
	t.Helper()
	for _, engine := range []string{testenv.SQLite, testenv.Postgres} {
		t.Run(engine, func(t *testing.T) {
			t.Parallel()
			fn(t, testenv.DSN(t, engine))
		})
	}
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
	db     *sqlstore.DB
	eng    *jobs.Engine
	clock  *clock
	admin  *vitrine.Principal
	user   *vitrine.Principal
	dsn    string
	events *events
}

func newEnv(t *testing.T, dsn string, mod func(*jobs.Config)) *env {
	t.Helper()
	ctx := context.Background()
	db := testenv.OpenDSN(t, dsn)
	e := &env{db: db, dsn: dsn, clock: &clock{t: time.Date(2026, 3, 2, 9, 0, 0, 0, time.UTC)}}
	cfg := jobs.DefaultConfig()
	cfg.Now = e.clock.Now
	cfg.Rand = func() float64 { return 0.5 }
	cfg.FetchPoll = 50 * time.Millisecond
	cfg.Tick = time.Hour // tests drive RunOnce themselves
	if mod != nil {
		mod(&cfg)
	}
	var err error
	e.eng, err = jobs.New(ctx, cfg, mustService(t, service.Deps{Store: db, Blobs: testenv.Blobs(t)}), dsn, nil)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { e.eng.Stop() })
	e.events = subscribe(t, e.eng) // before any job can end
	c := testenv.NewCompany(t, db, "acme")
	e.admin, e.user = c.Admin, c.User
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

// uploadNew records one image with the digest of seed (new bytes) under
// folder and returns the version it made.
func (e *env) uploadNew(t *testing.T, folder, filename string, seed int) int {
	t.Helper()
	f := vitrine.NewFile{Filename: filename, Type: vitrine.TypeImage, Format: "jpeg", MIME: "image/jpeg", Ext: "jpg",
		Width: 10, Height: 10, SHA256: fmt.Sprintf("%064x", seed), Size: 100}
	res, err := e.db.Ingest(context.Background(), e.user, []vitrine.NewFile{f}, vitrine.UploadOptions{Folder: folder})
	if err != nil {
		t.Fatal(err)
	}
	return res.Assets[0].Version
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

// wait waits until a run of job id has ended for good (River will not
// run it again) and returns the job, which has then ended too, with its
// notification and follow-on job enqueued.
func (e *env) wait(t *testing.T, id int64) *sqlstore.JobRun {
	t.Helper()
	e.events.wait(t, jobs.Event{JobID: id, Final: true})
	j, err := e.db.Job(context.Background(), 0, id)
	if err != nil {
		t.Fatal(err)
	}
	if !j.Status.Terminal() {
		t.Fatalf("job %d is %s after its last run", id, j.Status)
	}
	return j
}

// events records the engine's events, so that a test may wait for one
// that arrived while it waited for another.
type events struct {
	ch   <-chan jobs.Event
	seen map[jobs.Event]bool
}

func subscribe(t *testing.T, eng *jobs.Engine) *events {
	ch, cancel := eng.Subscribe()
	t.Cleanup(cancel) // runs before the engine's Stop (cleanups run last first)
	return &events{ch: ch, seen: map[jobs.Event]bool{}}
}

// wait waits for the event want, seen before or arriving within a minute.
func (ev *events) wait(t *testing.T, want jobs.Event) {
	t.Helper()
	timeout := time.NewTimer(time.Minute)
	defer timeout.Stop()
	for !ev.seen[want] {
		select {
		case x, ok := <-ev.ch:
			if !ok {
				t.Fatalf("waiting for %+v: the engine stopped", want)
			}
			ev.seen[x] = true
		case <-timeout.C:
			t.Fatalf("no event %+v within a minute", want)
		}
	}
}

func sqlstoreUnpublish(names ...string) sqlstore.Publication {
	return sqlstore.Publication{Action: vitrine.ActionUnpublish, Assets: names}
}

// newEngine opens a second store and engine on dsn: another node.
func newEngine(t *testing.T, dsn string) *jobs.Engine {
	t.Helper()
	ctx := context.Background()
	cfg := jobs.DefaultConfig()
	eng, err := jobs.New(ctx, cfg, mustService(t, service.Deps{Store: testenv.OpenDSN(t, dsn), Blobs: testenv.Blobs(t)}), dsn, nil)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { eng.Stop() })
	return eng
}

// otherUser is a second plain user of the company.
func otherUser(t *testing.T, e *env) *vitrine.Principal {
	t.Helper()
	return testenv.Member(t, e.db, &e.admin.Company, "acme-other", vitrine.RoleUser)
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
