// Command jobbench measures jobs at scale, as `make bench` runs it (with
// -gc: the daily maintenance job's blob collection, gc.go). Publish jobs:
// a full publish of N assets (all marked, none live: instant publish off),
// a full publish with nothing to do, and an incremental publish with C new
// assets among N. The assets are seeded with batched SQL inserts, not
// through the API. With -db a PostgreSQL DSN it runs in a fresh schema;
// with -compare as well it runs the same publishes on SQLite first and
// prints PostgreSQL's full publish as a multiple of SQLite's (the sizing
// target in docs/operations.md: at most 2×).
package main

import (
	"context"
	"crypto/rand"
	"database/sql"
	"encoding/hex"
	"flag"
	"fmt"
	"net/url"
	"os"
	"path/filepath"
	"runtime/pprof"
	"strconv"
	"strings"
	"time"

	"github.com/vitrine/vitrine"
	"github.com/vitrine/vitrine/internal/sqlstore"
)

func main() {
	dsn := flag.String("db", "", "PostgreSQL DSN (a fresh schema is made); default a temporary SQLite file")
	n := flag.Int("n", 100000, "assets")
	changed := flag.Int("changed", 100, "new assets for the incremental job")
	batch := flag.Int("batch", 1000, "assets per publish transaction")
	gc := flag.Int("gc", 0, "instead: time the daily maintenance job collecting this many blobs, half unreferenced")
	compare := flag.Bool("compare", false, "with -db: run on SQLite first and print the PostgreSQL/SQLite ratio of the full publish")
	cpuprofile := flag.String("cpuprofile", "", "write this process's CPU profile to this file")
	flag.Parse()
	if *cpuprofile != "" {
		f, err := os.Create(*cpuprofile)
		if err != nil {
			fmt.Fprintln(os.Stderr, "jobbench:", err)
			os.Exit(1)
		}
		if err := pprof.StartCPUProfile(f); err != nil {
			fmt.Fprintln(os.Stderr, "jobbench:", err)
			os.Exit(1)
		}
		defer pprof.StopCPUProfile()
	}
	var err error
	switch {
	case *gc > 0:
		err = runGC(*dsn, *gc)
	case *compare && *dsn != "":
		err = runCompare(*dsn, *n, *changed, *batch)
	default:
		_, _, err = run(*dsn, *n, *changed, *batch)
	}
	if err != nil {
		fmt.Fprintln(os.Stderr, "jobbench:", err)
		os.Exit(1)
	}
}

// runCompare runs the publishes on SQLite, then on PostgreSQL, and prints
// how many times longer PostgreSQL's full publish took.
func runCompare(dsn string, n, changed, batch int) error {
	lite, liteCPU, err := run("", n, changed, batch)
	if err != nil {
		return err
	}
	pg, pgCPU, err := run(dsn, n, changed, batch)
	if err != nil {
		return err
	}
	fmt.Printf("postgres/sqlite: full publish of %d assets takes %.2f× as long (target at most 2×); %.2f× the CPU time\n",
		n, pg.Seconds()/lite.Seconds(), pgCPU.total().Seconds()/liteCPU.total().Seconds())
	return nil
}

// run seeds n assets and times a full publish, a full publish with nothing
// to do and an incremental one; it returns the first's wall and CPU time.
func run(dsn string, n, changed, batch int) (time.Duration, cpuTime, error) {
	ctx := context.Background()
	db, c, _, done, err := openBench(ctx, dsn)
	if err != nil {
		return 0, cpuTime{}, err
	}
	defer done()
	if _, err := db.UpdateSettings(ctx, c.ID, []byte(`{"instant_publish":false}`)); err != nil {
		return 0, cpuTime{}, err
	}
	u, err := db.CreateUser(ctx, "bench", false)
	if err != nil {
		return 0, cpuTime{}, err
	}
	t0 := time.Now()
	if err := seed(ctx, db, c.ID, 1, n); err != nil {
		return 0, cpuTime{}, err
	}
	fmt.Printf("%s: seeded %d assets in %s\n", db.Dialect(), n, time.Since(t0).Round(time.Millisecond))
	cpu0 := cpuNow(ctx, db)
	full, err := publish(ctx, db, c.ID, u.ID, sqlstore.ReconcileFull, batch, n)
	cpu := cpuNow(ctx, db).sub(cpu0)
	if err != nil {
		return 0, cpuTime{}, err
	}
	idle, err := publish(ctx, db, c.ID, u.ID, sqlstore.ReconcileFull, batch, 0)
	if err != nil {
		return 0, cpuTime{}, err
	}
	if err := seed(ctx, db, c.ID, n+1, changed); err != nil {
		return 0, cpuTime{}, err
	}
	incr, err := publish(ctx, db, c.ID, u.ID, sqlstore.ReconcileIncremental, batch, changed)
	if err != nil {
		return 0, cpuTime{}, err
	}
	fmt.Printf("%s: full publish of %d assets:            %s, %s\n", db.Dialect(), n, full.Round(time.Millisecond), cpu)
	fmt.Printf("%s: full publish, nothing to do:           %s\n", db.Dialect(), idle.Round(time.Millisecond))
	fmt.Printf("%s: incremental, %d new among %d:       %s (%.2f%% of full)\n", db.Dialect(), changed, n+changed,
		incr.Round(time.Millisecond), 100*incr.Seconds()/full.Seconds())
	return full, cpu, nil
}

// publish runs one publish job to the end and checks how many assets it changed.
func publish(ctx context.Context, db *sqlstore.DB, companyID, userID int64, mode sqlstore.ReconcileMode, batch, want int) (time.Duration, error) {
	j, err := db.CreateJob(ctx, sqlstore.NewJob{CompanyID: companyID, Type: vitrine.JobPublish, Name: "Bench",
		Status: vitrine.JobQueued, UserID: userID, SubmittedBy: userID})
	if err != nil {
		return 0, err
	}
	start := time.Now()
	if _, err := db.StartJob(ctx, j.ID); err != nil {
		return 0, err
	}
	scope := sqlstore.PublishScope{Mode: mode}
	total, err := db.CountPublishCandidates(ctx, companyID, scope)
	if err != nil {
		return 0, err
	}
	if err := db.SetJobTotal(ctx, j.ID, total); err != nil {
		return 0, err
	}
	for {
		r, _, ended, err := db.PublishBatch(ctx, j.ID, scope, batch)
		if err != nil {
			return 0, err
		}
		if ended {
			if r.Published != want {
				return 0, fmt.Errorf("job published %d assets, want %d", r.Published, want)
			}
			return time.Since(start), nil
		}
	}
}

// seed inserts n image assets (ids from first) in the company's root
// folder, each with one version and marked for both destinations.
func seed(ctx context.Context, db *sqlstore.DB, companyID int64, first, n int) error {
	var folder int64
	if err := db.SQL().QueryRowContext(ctx, bind(db, `SELECT id FROM folders WHERE company_id = ? AND path = '/'`), companyID).Scan(&folder); err != nil {
		return err
	}
	now := time.Now().UnixMicro()
	const per = 500
	for start := first; start < first+n; start += per {
		end := min(start+per, first+n)
		tx, err := db.SQL().BeginTx(ctx, nil)
		if err != nil {
			return err
		}
		var rows [][]any
		for i := start; i < end; i++ {
			rows = append(rows, []any{companyID, fmt.Sprintf("asset%07d", i), "image", folder, "jpg", 1, "sync", "immediately", now, now})
		}
		ids, err := insertReturning(ctx, db, tx, `INSERT INTO assets (company_id, name, type, folder_id, ext, current_version, sync_mode, publish_mode, created_at, updated_at) VALUES `, rows)
		if err != nil {
			tx.Rollback()
			return fmt.Errorf("seed assets: %w", err)
		}
		var vers, intents [][]any
		for k, id := range ids {
			vers = append(vers, []any{id, 1, fmt.Sprintf("%064x", start+k), 1000, "jpeg", "image/jpeg", 100, 100, "x.jpg", now})
			for _, d := range []string{"delivery", "preview"} {
				intents = append(intents, []any{id, "image", d, true, now})
			}
		}
		if err := insert(ctx, db, tx, `INSERT INTO versions (asset_id, number, sha256, size, format, mime, width, height, filename, created_at) VALUES `, vers); err != nil {
			tx.Rollback()
			return fmt.Errorf("seed versions: %w", err)
		}
		if err := insert(ctx, db, tx, `INSERT INTO intents (asset_id, context, destination, marked, updated_at) VALUES `, intents); err != nil {
			tx.Rollback()
			return fmt.Errorf("seed intents: %w", err)
		}
		if err := tx.Commit(); err != nil {
			return err
		}
	}
	return nil
}

func values(db *sqlstore.DB, rows [][]any) (string, []any) {
	var b strings.Builder
	var args []any
	for i, r := range rows {
		if i > 0 {
			b.WriteString(", ")
		}
		b.WriteString("(")
		for j, v := range r {
			if j > 0 {
				b.WriteString(", ")
			}
			args = append(args, v)
			if db.Dialect() == sqlstore.Postgres {
				b.WriteString("$" + strconv.Itoa(len(args)))
			} else {
				b.WriteString("?")
			}
		}
		b.WriteString(")")
	}
	return b.String(), args
}

func insert(ctx context.Context, db *sqlstore.DB, tx *sql.Tx, head string, rows [][]any) error {
	for len(rows) > 0 {
		k := min(len(rows), 500)
		q, args := values(db, rows[:k])
		if _, err := tx.ExecContext(ctx, head+q, args...); err != nil {
			return err
		}
		rows = rows[k:]
	}
	return nil
}

func insertReturning(ctx context.Context, db *sqlstore.DB, tx *sql.Tx, head string, rows [][]any) ([]int64, error) {
	q, args := values(db, rows)
	rs, err := tx.QueryContext(ctx, head+q+" RETURNING id", args...)
	if err != nil {
		return nil, err
	}
	defer rs.Close()
	var ids []int64
	for rs.Next() {
		var id int64
		if err := rs.Scan(&id); err != nil {
			return nil, err
		}
		ids = append(ids, id)
	}
	return ids, rs.Err()
}

func bind(db *sqlstore.DB, q string) string {
	if db.Dialect() == sqlstore.Postgres {
		return strings.Replace(q, "?", "$1", 1)
	}
	return q
}

// openBench opens a fresh store (prepare) with company "bench"; done
// closes it and cleans up. dsn is the one actually used.
func openBench(ctx context.Context, dsn string) (*sqlstore.DB, *vitrine.Company, string, func(), error) {
	dsn, cleanup, err := prepare(dsn)
	if err != nil {
		return nil, nil, "", nil, err
	}
	db, err := sqlstore.Open(ctx, dsn)
	if err != nil {
		cleanup()
		return nil, nil, "", nil, err
	}
	done := func() { db.Close(); cleanup() }
	c, err := db.CreateCompany(ctx, "bench", "")
	if err != nil {
		done()
		return nil, nil, "", nil, err
	}
	return db, c, dsn, done, nil
}

// prepare returns the DSN to use and how to clean up after it.
func prepare(dsn string) (string, func(), error) {
	b := make([]byte, 6)
	rand.Read(b)
	if dsn == "" {
		dir, err := os.MkdirTemp("", "jobbench")
		if err != nil {
			return "", nil, err
		}
		return filepath.Join(dir, "bench.db"), func() { os.RemoveAll(dir) }, nil
	}
	schema := "bench_" + hex.EncodeToString(b)
	admin, err := sql.Open("pgx", dsn)
	if err != nil {
		return "", nil, err
	}
	if _, err := admin.Exec("CREATE SCHEMA " + schema); err != nil {
		admin.Close()
		return "", nil, err
	}
	u, err := url.Parse(dsn)
	if err != nil {
		return "", nil, err
	}
	q := u.Query()
	q.Set("search_path", schema)
	u.RawQuery = q.Encode()
	return u.String(), func() { admin.Exec("DROP SCHEMA " + schema + " CASCADE"); admin.Close() }, nil
}
