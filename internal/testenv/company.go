package testenv

import (
	"context"
	"fmt"
	"testing"

	"github.com/vitrine/vitrine"
	"github.com/vitrine/vitrine/internal/sqlstore"
)

// Company is a company with two members: <name>-admin, its admin, and
// <name>-user, a plain user.
type Company struct {
	*vitrine.Company
	Admin *vitrine.Principal
	User  *vitrine.Principal
}

// NewCompany creates company name (its root ID) with an admin and a user.
func NewCompany(t testing.TB, db *sqlstore.DB, name string) *Company {
	t.Helper()
	ctx := context.Background()
	c, err := db.CreateCompany(ctx, name, "")
	if err != nil {
		t.Fatalf("CreateCompany(%q): %v", name, err)
	}
	out := &Company{Company: c}
	out.Admin = Member(t, db, c, name+"-admin", vitrine.RoleAdmin)
	out.User = Member(t, db, c, name+"-user", vitrine.RoleUser)
	return out
}

// Member creates user name with role in company c and returns the
// principal it acts as.
func Member(t testing.TB, db *sqlstore.DB, c *vitrine.Company, name string, role vitrine.Role) *vitrine.Principal {
	t.Helper()
	ctx := context.Background()
	u, err := db.CreateUser(ctx, name, false)
	if err != nil {
		t.Fatalf("CreateUser(%q): %v", name, err)
	}
	if err := db.SetMembership(ctx, u.ID, c.ID, role); err != nil {
		t.Fatalf("SetMembership(%q): %v", name, err)
	}
	p, err := db.Principal(ctx, u, c.RootID)
	if err != nil {
		t.Fatalf("Principal(%q): %v", name, err)
	}
	return p
}

// Token creates an API token for p's user.
func Token(t testing.TB, db *sqlstore.DB, p *vitrine.Principal) string {
	t.Helper()
	tok, err := db.CreateToken(context.Background(), p.User.ID, "test", "")
	if err != nil {
		t.Fatalf("CreateToken: %v", err)
	}
	return tok
}

// Image returns a NewFile describing a JPEG image whose digest derives
// from seed: what the store records, without bytes.
func Image(name string, seed int) vitrine.NewFile {
	return vitrine.NewFile{Filename: name, Type: vitrine.TypeImage, Format: "jpeg", MIME: "image/jpeg", Ext: "jpg",
		Width: 100, Height: 80, SHA256: fmt.Sprintf("%064x", seed), Size: int64(1000 + seed)}
}
