package main

import (
	"context"
	"fmt"
	"log/slog"

	"github.com/vitrine/vitrine"
	"github.com/vitrine/vitrine/internal/sqlstore"
)

// adminPasswordLink logs, while the bootstrap admin has no password, a
// one-time link (full URL under origin) to set it: never a default
// password. Each start makes a new link and the older ones stop working,
// so a lost log line costs only a restart.
func adminPasswordLink(ctx context.Context, db *sqlstore.DB, origin string, log *slog.Logger) error {
	u, err := db.UserByName(ctx, "admin")
	if vitrine.ErrorCode(err) == vitrine.ENOTFOUND {
		return nil
	} else if err != nil {
		return err
	}
	has, err := db.HasPassword(ctx, u.ID)
	if err != nil || has {
		return err
	}
	secret, err := db.CreateLink(ctx, u.ID, vitrine.LinkSetPassword, vitrine.SetPasswordLinkTTL, nil)
	if err != nil {
		return fmt.Errorf("admin password link: %w", err)
	}
	log.Info("sign in to the workspace: set the admin password at this one-time link", "user", u.Name, "url", origin+vitrine.SetPasswordPath(secret))
	return nil
}
