// Command gridbench measures the server time of the workspace's Grid view
// (Browse, first page of a folder) on SQLite: a folder of 1,000 assets and
// one of 100,000, seeded with batched inserts, half of them published.
// It reports p50 and p99 over -n requests to the ui handler (no network),
// signed in with a real session.
package main

import (
	"context"
	"database/sql"
	"flag"
	"fmt"
	"log"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"time"

	"github.com/vitrine/vitrine"
	"github.com/vitrine/vitrine/internal/auth"
	"github.com/vitrine/vitrine/internal/blob"
	"github.com/vitrine/vitrine/internal/service"
	"github.com/vitrine/vitrine/internal/sqlstore"
	"github.com/vitrine/vitrine/internal/ui"
)

func main() {
	n := flag.Int("n", 200, "requests per folder")
	flag.Parse()
	if err := run(context.Background(), *n); err != nil {
		log.Fatal(err)
	}
}

func run(ctx context.Context, n int) error {
	dir, err := os.MkdirTemp("", "gridbench-")
	if err != nil {
		return err
	}
	defer os.RemoveAll(dir)
	db, err := sqlstore.Open(ctx, filepath.Join(dir, "v.db"))
	if err != nil {
		return err
	}
	defer db.Close()
	blobs, err := blob.OpenLocal(filepath.Join(dir, "blobs"))
	if err != nil {
		return err
	}
	c, err := db.CreateCompany(ctx, "bench", "")
	if err != nil {
		return err
	}
	u, err := db.Invite(ctx, c.ID, vitrine.Invitation{Name: "ann", Email: "ann@example.com", Role: vitrine.RoleUser})
	if err != nil {
		return err
	}
	// The small folder's names sort after the big one's: a plan that walks
	// the company's names in order would pass all 100,000 first.
	for _, f := range []struct {
		path, prefix string
		n            int
	}{{"/big", "big", 100_000}, {"/small", "small", 1_000}} {
		start := time.Now()
		if err := seed(ctx, db, c, f.path, f.prefix, f.n); err != nil {
			return err
		}
		fmt.Printf("seeded %s with %d assets in %v\n", f.path, f.n, time.Since(start).Round(time.Millisecond))
	}
	svc, err := service.New(service.Deps{Store: db, Blobs: blobs})
	if err != nil {
		return err
	}
	cfg := auth.DefaultConfig()
	signIn, err := auth.New(cfg, db)
	if err != nil {
		return err
	}
	link, err := db.CreateLink(ctx, u.ID, vitrine.LinkSetPassword, vitrine.SetPasswordLinkTTL, nil)
	if err != nil {
		return err
	}
	if _, err := signIn.SetPassword(ctx, link, "bench pass phrase"); err != nil {
		return err
	}
	secret, _, err := signIn.SignIn(ctx, "ann", "bench pass phrase", "127.0.0.1:1", "gridbench")
	if err != nil {
		return err
	}
	w, err := ui.New(svc, db, signIn, slog.New(slog.DiscardHandler))
	if err != nil {
		return err
	}
	for _, folder := range []string{"/small", "/big"} {
		times := make([]time.Duration, 0, n)
		for i := range n + 5 {
			req := httptest.NewRequest("GET", "http://127.0.0.1/c/bench/browse?folder="+folder, nil)
			req.AddCookie(&http.Cookie{Name: "__Host-vitrine_session", Value: secret})
			rec := httptest.NewRecorder()
			start := time.Now()
			w.ServeHTTP(rec, req)
			d := time.Since(start)
			if rec.Code != 200 || strings.Count(rec.Body.String(), `class="asset"`) != 100 {
				return fmt.Errorf("GET %s: %d, %d assets", folder, rec.Code, strings.Count(rec.Body.String(), `class="asset"`))
			}
			if i >= 5 { // warm-up
				times = append(times, d)
			}
		}
		slices.Sort(times)
		fmt.Printf("Grid of %-6s (first page of 100): p50 %v  p99 %v  (n=%d; targets p50 < 30ms, p99 < 100ms)\n", folder,
			times[len(times)/2].Round(10*time.Microsecond), times[len(times)*99/100].Round(10*time.Microsecond), n)
	}
	return nil
}

// seed inserts n image assets named prefix0000001… into folder, each with
// one version and marked for both destinations; every other one is live
// on delivery and preview.
func seed(ctx context.Context, db *sqlstore.DB, c *vitrine.Company, folder, prefix string, n int) error {
	f, err := db.CreateFolder(ctx, c, folder)
	if err != nil {
		return err
	}
	var folderID int64
	if err := db.SQL().QueryRowContext(ctx, `SELECT id FROM folders WHERE company_id = ? AND path = ?`, c.ID, f.Path).Scan(&folderID); err != nil {
		return err
	}
	now := time.Now().UnixMicro()
	const per = 500
	for start := 0; start < n; start += per {
		end := min(start+per, n)
		tx, err := db.SQL().BeginTx(ctx, nil)
		if err != nil {
			return err
		}
		if err := seedBatch(ctx, tx, c.ID, folderID, prefix, start, end, now); err != nil {
			tx.Rollback()
			return err
		}
		if err := tx.Commit(); err != nil {
			return err
		}
	}
	return nil
}

func seedBatch(ctx context.Context, tx *sql.Tx, companyID, folderID int64, prefix string, start, end int, now int64) error {
	var rows [][]any
	for i := start; i < end; i++ {
		rows = append(rows, []any{companyID, fmt.Sprintf("%s%07d", prefix, i), "image", folderID, "jpg", 1, "sync", "immediately", now, now})
	}
	ids, err := insertReturning(ctx, tx, `INSERT INTO assets (company_id, name, type, folder_id, ext, current_version, sync_mode, publish_mode, created_at, updated_at) VALUES `, rows)
	if err != nil {
		return fmt.Errorf("seed assets: %w", err)
	}
	var vers, intents [][]any
	for k, id := range ids {
		vers = append(vers, []any{id, 1, fmt.Sprintf("%s%058x", prefix[:1], start+k), 1000 + k, "jpeg", "image/jpeg", 100, 100, "x.jpg", now})
		for _, d := range []string{"delivery", "preview"} {
			intents = append(intents, []any{id, "image", d, true, now})
		}
	}
	vids, err := insertReturning(ctx, tx, `INSERT INTO versions (asset_id, number, sha256, size, format, mime, width, height, filename, created_at) VALUES `, vers)
	if err != nil {
		return fmt.Errorf("seed versions: %w", err)
	}
	if _, err := insertReturning(ctx, tx, `INSERT INTO intents (asset_id, context, destination, marked, updated_at) VALUES `, intents); err != nil {
		return fmt.Errorf("seed intents: %w", err)
	}
	var cat [][]any
	for k, id := range ids {
		if k%2 == 0 {
			for _, d := range []string{"delivery", "preview"} {
				cat = append(cat, []any{companyID, "image", d, rows[k][1], id, vids[k], now})
			}
		}
	}
	if _, err := insertReturning(ctx, tx, `INSERT INTO catalog (company_id, context, destination, name, asset_id, version_id, published_at) VALUES `, cat); err != nil {
		return fmt.Errorf("seed catalog: %w", err)
	}
	return nil
}

// insertReturning inserts rows in one statement (SQLite placeholders) and
// returns the new ids in order, when the table has an id column.
func insertReturning(ctx context.Context, tx *sql.Tx, head string, rows [][]any) ([]int64, error) {
	var b strings.Builder
	var args []any
	for i, r := range rows {
		if i > 0 {
			b.WriteString(", ")
		}
		b.WriteString("(" + strings.TrimSuffix(strings.Repeat("?, ", len(r)), ", ") + ")")
		args = append(args, r...)
	}
	returning := " RETURNING id"
	if strings.Contains(head, "intents") || strings.Contains(head, "catalog") {
		returning = ""
	}
	rs, err := tx.QueryContext(ctx, head+b.String()+returning, args...)
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
