package main

import (
	"context"
	"errors"
	"fmt"
	"io/fs"
	"log/slog"
	"os"
	"path/filepath"
	"strings"

	"github.com/vitrine/vitrine"
	"github.com/vitrine/vitrine/internal/sqlstore"
)

// bootstrap creates, on first start, the initial company and a system
// admin with an API token, written to DATA/admin-token (0600). The token is
// VITRINE_ADMIN_TOKEN when set. A first start that stopped half way (or
// that an older version left without an admin token) is finished the same
// way, and said so in the log.
//
// The token reaches the disk before the database: it is written to
// DATA/admin-token.pending, the store commits, and the file is renamed. A
// crash in between leaves either a pending token the store never took
// (dropped on the next start, which bootstraps again) or one it took (moved
// into place on the next start). Either way the token is never lost.
func bootstrap(ctx context.Context, db *sqlstore.DB, cfg *serveConfig, log *slog.Logger) error {
	path := filepath.Join(cfg.Data, "admin-token")
	if err := finishPendingToken(ctx, db, path, log); err != nil {
		return err
	}
	needed, err := db.BootstrapNeeded(ctx)
	if err != nil || !needed {
		return err
	}
	token := cfg.AdminToken
	if token == "" {
		if token, err = sqlstore.NewToken(); err != nil {
			return err
		}
	}
	pending := path + ".pending"
	if err := writeSecret(pending, token); err != nil {
		return fmt.Errorf("write admin token: %w", err)
	}
	res, err := db.Bootstrap(ctx, sqlstore.BootstrapRequest{Company: cfg.InitCompany, Admin: "admin", Token: token})
	if err != nil || !res.CreatedToken {
		// Another node finished first, or nothing was written.
		_ = os.Remove(pending)
		if err != nil {
			return fmt.Errorf("first start: %w", err)
		}
		return nil
	}
	if err := os.Rename(pending, path); err != nil {
		return fmt.Errorf("write admin token: %w", err)
	}
	if res.FirstStart {
		log.Info("first start: created company and admin", "company", res.Company, "user", res.Admin, "token_file", path)
		return nil
	}
	log.Warn("repaired an unfinished first start: the admin had no API token", "made", strings.Join(res.Made(), ", "),
		"user", res.Admin, "token_file", path)
	return nil
}

// finishPendingToken moves a pending admin token into place when the store
// took it (the previous start stopped between commit and rename), and
// drops it otherwise.
func finishPendingToken(ctx context.Context, db *sqlstore.DB, path string, log *slog.Logger) error {
	pending := path + ".pending"
	b, err := os.ReadFile(pending)
	if errors.Is(err, fs.ErrNotExist) {
		return nil
	} else if err != nil {
		return fmt.Errorf("admin token: %w", err)
	}
	u, err := db.Authenticate(ctx, strings.TrimSpace(string(b)))
	if err != nil && vitrine.ErrorCode(err) != vitrine.EUNAUTHORIZED {
		// The database did not answer: keep the file for the next start
		// rather than lose a token that may have been committed.
		return fmt.Errorf("admin token: %w", err)
	}
	if err != nil || !u.SystemAdmin {
		if err := os.Remove(pending); err != nil {
			return fmt.Errorf("admin token: %w", err)
		}
		return nil
	}
	if err := os.Rename(pending, path); err != nil {
		return fmt.Errorf("admin token: %w", err)
	}
	log.Warn("repaired an unfinished first start: wrote the admin token file", "user", u.Name, "token_file", path)
	return nil
}

// writeSecret writes a 0600 file and syncs it, so it is on disk before the
// store commits the token it holds.
func writeSecret(path, secret string) error {
	f, err := os.OpenFile(path, os.O_WRONLY|os.O_CREATE|os.O_TRUNC, 0o600)
	if err != nil {
		return err
	}
	if _, err := f.WriteString(secret + "\n"); err != nil {
		f.Close()
		return err
	}
	if err := f.Sync(); err != nil {
		f.Close()
		return err
	}
	return f.Close()
}
