package auth

import (
	"context"
	"path/filepath"
	"sync"
	"testing"
	"time"

	"github.com/vitrine/vitrine"
	"github.com/vitrine/vitrine/internal/sqlstore"
)

// clock is a settable time shared by the store and the service.
type clock struct {
	mu sync.Mutex
	t  time.Time
}

func (c *clock) Now() time.Time      { c.mu.Lock(); defer c.mu.Unlock(); return c.t }
func (c *clock) Add(d time.Duration) { c.mu.Lock(); defer c.mu.Unlock(); c.t = c.t.Add(d) }
func testArgon2() Argon2             { return Argon2{MemoryKiB: 64, Time: 1, Threads: 1} }

// must stops a test at a setup error (a panic fails the test with the error).
func must[T any](v T, err error) T {
	if err != nil {
		panic(err)
	}
	return v
}

type env struct {
	db    *sqlstore.DB
	svc   *Service
	clock *clock
	link  string // set-password link of user "ana", ana@example.com
}

func setup(t *testing.T) *env {
	t.Helper()
	ctx := context.Background()
	db := must(sqlstore.Open(ctx, filepath.Join(t.TempDir(), "v.db")))
	t.Cleanup(func() { db.Close() })
	clk := &clock{t: time.Date(2026, 1, 5, 9, 0, 0, 0, time.UTC)}
	db.Now = clk.Now
	cfg := DefaultConfig()
	cfg.Argon2 = testArgon2()
	svc := must(New(cfg, db))
	svc.now = clk.Now
	co := must(db.CreateCompany(ctx, "acme", "Acme"))
	u := must(db.Invite(ctx, co.ID, vitrine.Invitation{Name: "ana", Email: "ana@example.com", Role: vitrine.RoleUser}))
	link := must(db.CreateLink(ctx, u.ID, vitrine.LinkSetPassword, vitrine.SetPasswordLinkTTL, nil))
	return &env{db: db, svc: svc, clock: clk, link: link}
}

func TestPasswordHash(t *testing.T) {
	t.Parallel()
	h := must(testArgon2().Hash("correct horse"))
	if !Verify(h, "correct horse") || Verify(h, "correct horsE") || Verify("$argon2id$garbage", "x") {
		t.Errorf("Verify does not tell %q apart", h)
	}
}

func TestSignIn(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	e := setup(t)
	if _, _, err := e.svc.SignIn(ctx, "ana", "", "192.0.2.1:5000", ""); vitrine.ErrorCode(err) != vitrine.EUNAUTHORIZED {
		t.Fatalf("sign-in before a password is set = %v, want unauthorized", err)
	}
	if _, err := e.svc.SetPassword(ctx, e.link, "ana@example.com"); vitrine.ErrorCode(err) != vitrine.EINVALID {
		t.Errorf("password = email: %v, want invalid", err)
	}
	must(e.svc.SetPassword(ctx, e.link, "a long pass phrase"))
	for _, login := range []string{"ana", "ANA@example.com "} {
		secret, u, err := e.svc.SignIn(ctx, login, "a long pass phrase", "192.0.2.1:5000", "test")
		if err != nil || u.Name != "ana" {
			t.Fatalf("SignIn(%q) = %v, %v", login, u, err)
		}
		if got := must(e.svc.Session(ctx, secret)); got.Name != "ana" {
			t.Errorf("Session = %v", got)
		}
	}
}

func TestThrottle(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	e := setup(t)
	must(e.svc.SetPassword(ctx, e.link, "a long pass phrase"))
	for i := range DefaultConfig().AccountFailures {
		login := []string{"ana", "ana@example.com"}[i%2] // both name the same account
		if _, _, err := e.svc.SignIn(ctx, login, "wrong", "192.0.2.1:5000", ""); vitrine.ErrorCode(err) != vitrine.EUNAUTHORIZED {
			t.Fatalf("failure %d = %v, want unauthorized", i, err)
		}
	}
	// The account is throttled, even with the right password, from any address.
	if _, _, err := e.svc.SignIn(ctx, "ana", "a long pass phrase", "198.51.100.7:1", ""); vitrine.ErrorCode(err) != vitrine.ETHROTTLED {
		t.Fatalf("after %d failures = %v, want throttled", DefaultConfig().AccountFailures, err)
	}
	e.clock.Add(DefaultConfig().Window + time.Second)
	if _, _, err := e.svc.SignIn(ctx, "ana", "a long pass phrase", "192.0.2.1:5000", ""); err != nil {
		t.Fatalf("after the window = %v", err)
	}

	// One address guessing many accounts is throttled too.
	cfg := e.svc.cfg
	for i := range cfg.AddrFailures {
		_, _, err := e.svc.SignIn(ctx, "nobody"+string(rune('a'+i%26))+string(rune('a'+i/26)), "x", "[2001:db8::1]:1", "")
		if vitrine.ErrorCode(err) != vitrine.EUNAUTHORIZED {
			t.Fatalf("guess %d = %v", i, err)
		}
	}
	// …and its whole /64 with it.
	if _, _, err := e.svc.SignIn(ctx, "ana", "a long pass phrase", "[2001:db8::2]:1", ""); vitrine.ErrorCode(err) != vitrine.ETHROTTLED {
		t.Errorf("address after %d failures = %v, want throttled", cfg.AddrFailures, err)
	}
}

func TestSessionExpiry(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	e := setup(t)
	must(e.svc.SetPassword(ctx, e.link, "a long pass phrase"))
	cfg := e.svc.cfg
	signIn := func() string {
		s, _, err := e.svc.SignIn(ctx, "ana", "a long pass phrase", "192.0.2.1:1", "")
		if err != nil {
			t.Fatal(err)
		}
		return s
	}

	// Idle: used within SessionIdle it lives on…
	s := signIn()
	for range 3 {
		e.clock.Add(cfg.SessionIdle - time.Minute)
		if _, err := e.svc.Session(ctx, s); err != nil {
			t.Fatalf("session used within the idle time: %v", err)
		}
	}
	// …unused for SessionIdle it ends.
	e.clock.Add(cfg.SessionIdle)
	if _, err := e.svc.Session(ctx, s); vitrine.ErrorCode(err) != vitrine.EUNAUTHORIZED {
		t.Errorf("idle session = %v, want unauthorized", err)
	}

	// Absolute: however busy, it ends after SessionMax.
	s = signIn()
	for elapsed := time.Duration(0); elapsed < cfg.SessionMax-cfg.SessionIdle; elapsed += cfg.SessionIdle / 2 {
		e.clock.Add(cfg.SessionIdle / 2)
		if _, err := e.svc.Session(ctx, s); err != nil {
			t.Fatalf("busy session at %v: %v", elapsed, err)
		}
	}
	e.clock.Add(cfg.SessionIdle)
	if _, err := e.svc.Session(ctx, s); vitrine.ErrorCode(err) != vitrine.EUNAUTHORIZED {
		t.Errorf("session past SessionMax = %v, want unauthorized", err)
	}

	// Sign out everywhere ends them all.
	a, b := signIn(), signIn()
	u := must(e.svc.Session(ctx, a))
	if err := e.svc.SignOutEverywhere(ctx, u.ID); err != nil {
		t.Fatal(err)
	}
	for _, s := range []string{a, b} {
		if _, err := e.svc.Session(ctx, s); err == nil {
			t.Error("a session survived sign out everywhere")
		}
	}
}

func TestAddrKey(t *testing.T) {
	t.Parallel()
	for in, want := range map[string]string{
		"192.0.2.1:5000":        "192.0.2.1",
		"[::ffff:192.0.2.1]:80": "192.0.2.1",
		"[2001:db8:1:2:3::4]:1": "2001:db8:1:2::/64",
		"2001:db8:1:2::9":       "2001:db8:1:2::/64",
		"not an address":        "not an address",
	} {
		if got := addrKey(in); got != want {
			t.Errorf("addrKey(%q) = %q, want %q", in, got, want)
		}
	}
}
