package main

import (
	"context"
	"fmt"
	"log/slog"
	"os"
	"path/filepath"

	"github.com/vitrine/vitrine"
	"github.com/vitrine/vitrine/internal/sqlstore"
)

// bootstrap creates, on first start, the initial company and a system
// admin with an API token, written to DATA/admin-token (0600). The token is
// VITRINE_ADMIN_TOKEN when set.
func bootstrap(ctx context.Context, db *sqlstore.DB, cfg *serveConfig, log *slog.Logger) error {
	companies, err := db.Companies(ctx)
	if err != nil {
		return err
	}
	if len(companies) > 0 {
		return nil
	}
	c, err := db.CreateCompany(ctx, cfg.InitCompany, cfg.InitCompany)
	if err != nil {
		return fmt.Errorf("create company %s: %w", cfg.InitCompany, err)
	}
	u, err := db.UserByName(ctx, "admin")
	if vitrine.ErrorCode(err) == vitrine.ENOTFOUND {
		u, err = db.CreateUser(ctx, "admin", true)
	}
	if err != nil {
		return fmt.Errorf("create admin: %w", err)
	}
	if err := db.SetMembership(ctx, u.ID, c.ID, vitrine.RoleAdmin); err != nil {
		return err
	}
	token, err := db.CreateToken(ctx, u.ID, "bootstrap", os.Getenv("VITRINE_ADMIN_TOKEN"))
	if err != nil {
		return fmt.Errorf("create admin token: %w", err)
	}
	path := filepath.Join(cfg.Data, "admin-token")
	if err := os.WriteFile(path, []byte(token+"\n"), 0o600); err != nil {
		return fmt.Errorf("write admin token: %w", err)
	}
	log.Info("first start: created company and admin", "company", c.RootID, "user", "admin", "token_file", path)
	return nil
}
