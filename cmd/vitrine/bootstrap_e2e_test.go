package main_test

import (
	"bufio"
	"context"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/vitrine/vitrine"
	"github.com/vitrine/vitrine/internal/sqlstore"
)

// startOnce runs `vitrine serve` on data until it says it is serving,
// then stops it, and returns its log. The admin token is left to the
// server (no VITRINE_ADMIN_TOKEN).
func startOnce(t *testing.T, data string) string {
	t.Helper()
	cmd := exec.Command(binary(t), "serve", "--data", data, "--addr", freeAddr(t))
	for _, kv := range os.Environ() {
		if !strings.HasPrefix(kv, "VITRINE_ADMIN_TOKEN=") {
			cmd.Env = append(cmd.Env, kv)
		}
	}
	stderr, err := cmd.StderrPipe()
	if err != nil {
		t.Fatal(err)
	}
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	serving := make(chan struct{})
	logc := make(chan string, 1)
	go func() {
		var log strings.Builder
		sc := bufio.NewScanner(stderr)
		for sc.Scan() {
			log.WriteString(sc.Text() + "\n")
			if strings.Contains(sc.Text(), "vitrine serving") {
				close(serving)
			}
		}
		logc <- log.String()
	}()
	exited := make(chan error, 1)
	go func() { exited <- cmd.Wait() }()
	select {
	case <-serving:
		cmd.Process.Signal(os.Interrupt)
	case <-time.After(60 * time.Second):
		cmd.Process.Kill()
	}
	log := <-logc
	if err := <-exited; err != nil {
		t.Fatalf("vitrine serve: %v\n%s", err, log)
	}
	return log
}

// TestStartRepairsHalfMadeBootstrap: a data directory whose first start
// (the old one, four transactions) stopped after the admin's membership,
// before the token, gets a token and its file on the next start; the start
// after that changes nothing.
func TestStartRepairsHalfMadeBootstrap(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	data := t.TempDir()
	dbPath := filepath.Join(data, "vitrine.db")
	db, err := sqlstore.Open(ctx, dbPath)
	if err != nil {
		t.Fatal(err)
	}
	c, err := db.CreateCompany(ctx, "demo", "demo")
	if err != nil {
		t.Fatal(err)
	}
	u, err := db.CreateUser(ctx, "admin", true)
	if err != nil {
		t.Fatal(err)
	}
	if err := db.SetMembership(ctx, u.ID, c.ID, vitrine.RoleAdmin); err != nil {
		t.Fatal(err)
	}
	db.Close()

	log := startOnce(t, data)
	if !strings.Contains(log, "repaired an unfinished first start") {
		t.Errorf("the repairing start did not say so:\n%s", log)
	}
	tokenFile := filepath.Join(data, "admin-token")
	b, err := os.ReadFile(tokenFile)
	if err != nil {
		t.Fatalf("admin token file: %v\n%s", err, log)
	}
	if fi, _ := os.Stat(tokenFile); fi.Mode().Perm() != 0o600 {
		t.Errorf("admin-token mode = %v, want 0600", fi.Mode().Perm())
	}
	token := strings.TrimSpace(string(b))

	log = startOnce(t, data)
	if strings.Contains(log, "first start") {
		t.Errorf("the start after the repair bootstrapped again:\n%s", log)
	}
	if b2, _ := os.ReadFile(tokenFile); string(b2) != string(b) {
		t.Errorf("the admin token file changed on a healthy start")
	}
	if _, err := os.Stat(tokenFile + ".pending"); !os.IsNotExist(err) {
		t.Errorf("a pending token file is left: %v", err)
	}

	db, err = sqlstore.Open(ctx, dbPath)
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	p, err := db.TokenPrincipal(ctx, token, "demo")
	if err != nil || !p.User.SystemAdmin || p.Role != vitrine.RoleAdmin {
		t.Errorf("the written token = %+v, %v, want the system admin, admin of demo", p, err)
	}
	var users, tokens int
	db.SQL().QueryRow("SELECT COUNT(*) FROM users").Scan(&users)
	db.SQL().QueryRow("SELECT COUNT(*) FROM tokens").Scan(&tokens)
	if users != 1 || tokens != 1 {
		t.Errorf("after the repair and a restart: %d users, %d tokens, want 1 and 1", users, tokens)
	}
}
