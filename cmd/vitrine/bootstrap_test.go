package main

import (
	"context"
	"log/slog"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/vitrine/vitrine/internal/sqlstore"
)

// TestBootstrapPendingToken covers a start that stopped between the
// store's commit and the token file's rename (the token is moved into
// place), and one that stopped before the commit (the stale token is
// dropped and the next start bootstraps afresh).
func TestBootstrapPendingToken(t *testing.T) {
	t.Parallel()
	const committed, stale = "vtr_committed_token_0123456789", "vtr_stale_token_012345678901"
	for _, tt := range []struct {
		name    string
		commit  bool   // the store took the pending token
		want    string // admin-token afterwards
		wantLog string
	}{
		{"after commit", true, committed, "wrote the admin token file"},
		{"before commit", false, "", "first start: created company and admin"},
	} {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			ctx := context.Background()
			data := t.TempDir()
			db, err := sqlstore.Open(ctx, filepath.Join(data, "vitrine.db"))
			if err != nil {
				t.Fatal(err)
			}
			defer db.Close()
			pendingToken := stale
			if tt.commit {
				pendingToken = committed
				if _, err := db.Bootstrap(ctx, sqlstore.BootstrapRequest{Company: "demo", Admin: "admin", Token: committed}); err != nil {
					t.Fatal(err)
				}
			}
			path := filepath.Join(data, "admin-token")
			if err := writeSecret(path+".pending", pendingToken); err != nil {
				t.Fatal(err)
			}
			var logBuf strings.Builder
			cfg := &serveConfig{Data: data, InitCompany: "demo"}
			if err := bootstrap(ctx, db, cfg, slog.New(slog.NewTextHandler(&logBuf, nil))); err != nil {
				t.Fatalf("bootstrap: %v", err)
			}
			b, err := os.ReadFile(path)
			if err != nil {
				t.Fatal(err)
			}
			got := string(b[:len(b)-1])
			if tt.want != "" && got != tt.want {
				t.Errorf("admin-token = %q, want %q", got, tt.want)
			}
			if got == stale {
				t.Errorf("admin-token holds the token the store never took")
			}
			if _, err := db.Authenticate(ctx, got); err != nil {
				t.Errorf("admin-token does not sign in: %v", err)
			}
			if _, err := os.Stat(path + ".pending"); !os.IsNotExist(err) {
				t.Errorf("pending token file left: %v", err)
			}
			if !strings.Contains(logBuf.String(), tt.wantLog) {
				t.Errorf("log = %s, want %q", logBuf.String(), tt.wantLog)
			}
		})
	}
}
