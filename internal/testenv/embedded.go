package testenv

import (
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"image/jpeg"
	"os"
	"path/filepath"

	"github.com/vitrine/vitrine"
	"github.com/vitrine/vitrine/internal/blob"
	"github.com/vitrine/vitrine/internal/sqlstore"
)

// Embedded builds in data the embedded installation `vitrine serve` would
// leave, fast: the first start's company "demo" and system admin "admin"
// (with API token), blobs real JPEGs in DATA/blobs, and n assets made
// through the store (SeedInstallation), asset i with blob i%blobs.
func Embedded(ctx context.Context, data string, n, blobs int, token string) error {
	store, err := blob.OpenLocal(filepath.Join(data, "blobs"))
	if err != nil {
		return err
	}
	files := make([]vitrine.NewFile, blobs)
	for i := range files {
		w := 64 + i/256
		var b bytes.Buffer
		if err := jpeg.Encode(&b, Pattern(w, 48, byte(i)), nil); err != nil {
			return fmt.Errorf("encode JPEG: %w", err)
		}
		sum := sha256.Sum256(b.Bytes())
		digest := hex.EncodeToString(sum[:])
		spooled := filepath.Join(store.SpoolDir(), digest)
		if err := os.WriteFile(spooled, b.Bytes(), 0o600); err != nil {
			return err
		}
		if err := store.PutFile(ctx, digest, spooled); err != nil {
			return err
		}
		files[i] = vitrine.NewFile{Type: vitrine.TypeImage, Format: "jpeg", MIME: "image/jpeg", Ext: "jpg",
			Width: w, Height: 48, SHA256: digest, Size: int64(b.Len())}
	}
	db, err := sqlstore.Open(ctx, filepath.Join(data, "vitrine.db"))
	if err != nil {
		return err
	}
	defer db.Close()
	if _, err := db.Bootstrap(ctx, sqlstore.BootstrapRequest{Company: "demo", Admin: "admin", Token: token}); err != nil {
		return fmt.Errorf("bootstrap: %w", err)
	}
	c, err := db.Company(ctx, "demo")
	if err != nil {
		return err
	}
	u, err := db.UserByName(ctx, "admin")
	if err != nil {
		return err
	}
	p, err := db.Principal(ctx, u, "demo")
	if err != nil {
		return err
	}
	return SeedInstallation(ctx, db, &Company{Company: c, Admin: p}, n, func(i int) vitrine.NewFile {
		f := files[i%len(files)]
		f.Filename = fmt.Sprintf("img-%05d.jpg", i)
		return f
	})
}
