package main_test

import (
	"bytes"
	"context"
	"crypto/tls"
	"encoding/json"
	"fmt"
	"image"
	"image/jpeg"
	"io"
	"net"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"
)

// The end-to-end tests build the real binary once and drive it as a user
// would: a server process, the CLI, curl-like HTTP.

var buildOnce = sync.OnceValues(func() (string, error) {
	dir, err := os.MkdirTemp("", "vitrine-e2e-bin")
	if err != nil {
		return "", err
	}
	bin := filepath.Join(dir, "vitrine")
	out, err := exec.Command("go", "build", "-race", "-o", bin, ".").CombinedOutput()
	if err != nil {
		return "", fmt.Errorf("go build: %v\n%s", err, out)
	}
	return bin, nil
})

func binary(t *testing.T) string {
	t.Helper()
	bin, err := buildOnce()
	if err != nil {
		t.Fatal(err)
	}
	return bin
}

func freeAddr(t *testing.T) string {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer ln.Close()
	return ln.Addr().String()
}

// server is a running `vitrine serve`.
type server struct {
	url   string
	token string
	data  string
	cmd   *exec.Cmd
	log   *syncBuffer
}

// syncBuffer is a bytes.Buffer the server process writes while tests read,
// and wait for: each write wakes the readers waiting for a line.
type syncBuffer struct {
	mu    sync.Mutex
	b     bytes.Buffer
	wrote chan struct{} // closed by the next write
}

func (s *syncBuffer) Write(p []byte) (int, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.wrote != nil {
		close(s.wrote)
		s.wrote = nil
	}
	return s.b.Write(p)
}

// waitFor waits until the output contains text: a process's readiness
// signal (its "serving" log line, written once its listener is bound).
func (s *syncBuffer) waitFor(t *testing.T, text string, timeout time.Duration) {
	t.Helper()
	deadline := time.NewTimer(timeout)
	defer deadline.Stop()
	for {
		s.mu.Lock()
		if strings.Contains(s.b.String(), text) {
			s.mu.Unlock()
			return
		}
		if s.wrote == nil {
			s.wrote = make(chan struct{})
		}
		wrote := s.wrote
		s.mu.Unlock()
		select {
		case <-wrote:
		case <-deadline.C:
			t.Fatalf("no %q in the output within %s:\n%s", text, timeout, s)
		}
	}
}

func (s *syncBuffer) String() string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.String()
}

const adminToken = "vtr_e2e_admin_token_0123456789"

func startServer(t *testing.T, extra ...string) *server {
	t.Helper()
	return startServerBin(t, binary(t), extra...)
}

// startServerBin starts `bin serve` (a binary other than the race-enabled
// one: the soak's).
func startServerBin(t *testing.T, bin string, extra ...string) *server {
	t.Helper()
	return startServerIn(t, bin, "", extra...)
}

// startServerIn starts `bin serve` in the working directory dir with the
// relative --data ./data, as `make run` does; with dir "" in no particular
// directory, on an absolute temporary data directory.
func startServerIn(t *testing.T, bin, dir string, extra ...string) *server {
	t.Helper()
	s := &server{data: t.TempDir(), log: &syncBuffer{}, token: adminToken}
	data := s.data
	if dir != "" {
		s.data, data = filepath.Join(dir, "data"), "./data"
	}
	addr := freeAddr(t)
	args := append([]string{"serve", "--data", data, "--addr", addr}, extra...)
	s.cmd = exec.Command(bin, args...)
	s.cmd.Dir = dir
	s.cmd.Env = append(os.Environ(), "VITRINE_ADMIN_TOKEN="+adminToken)
	s.cmd.Stdout, s.cmd.Stderr = s.log, s.log
	if err := s.cmd.Start(); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() {
		s.cmd.Process.Signal(os.Interrupt)
		done := make(chan error, 1)
		go func() { done <- s.cmd.Wait() }()
		select {
		case err := <-done:
			if err != nil {
				t.Errorf("server exit: %v\n%s", err, s.log)
			}
		case <-time.After(30 * time.Second):
			s.cmd.Process.Kill()
			t.Errorf("server did not shut down\n%s", s.log)
		}
	})
	scheme := "http"
	for _, a := range extra {
		if strings.HasPrefix(a, "--tls") {
			scheme = "https"
		}
	}
	s.url = scheme + "://" + addr
	s.log.waitFor(t, "vitrine serving", time.Minute)
	return s
}

// eventually checks cond every interval until it holds, and reports false
// if it did not within timeout. Only for the state of another process that
// sends the test no event (a server's jobs and schedules, seen through its
// API, which has no job-event stream yet); within the test's own process,
// wait on a signal instead.
func eventually(timeout, interval time.Duration, cond func() bool) bool {
	ctx, cancel := context.WithTimeout(context.Background(), timeout)
	defer cancel()
	tick := time.NewTicker(interval)
	defer tick.Stop()
	for !cond() {
		select {
		case <-ctx.Done():
			return cond()
		case <-tick.C:
		}
	}
	return true
}

func insecureClient() *http.Client {
	return &http.Client{Timeout: 30 * time.Second, Transport: &http.Transport{TLSClientConfig: &tls.Config{InsecureSkipVerify: true}, ForceAttemptHTTP2: true}}
}

// cli runs a client command against the server and returns its stdout.
func (s *server) cli(t *testing.T, token string, args ...string) string {
	t.Helper()
	cmd := exec.Command(binary(t), args...)
	cmd.Env = append(os.Environ(), "VITRINE_URL="+s.url, "VITRINE_TOKEN="+token, "VITRINE_COMPANY=demo", "VITRINE_INSECURE=true")
	var out, errb bytes.Buffer
	cmd.Stdout, cmd.Stderr = &out, &errb
	if err := cmd.Run(); err != nil {
		t.Fatalf("vitrine %v: %v\nstdout: %s\nstderr: %s", args, err, out.String(), errb.String())
	}
	return out.String()
}

// api calls the REST API and decodes the JSON answer.
func (s *server) api(t *testing.T, token, method, path string, body any) (int, map[string]any) {
	t.Helper()
	var r io.Reader
	if body != nil {
		b, _ := json.Marshal(body)
		r = bytes.NewReader(b)
	}
	req, _ := http.NewRequest(method, s.url+"/api/v1"+path, r)
	req.Header.Set("Authorization", "Bearer "+token)
	req.Header.Set("Content-Type", "application/json")
	resp, err := insecureClient().Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	var out map[string]any
	json.NewDecoder(resp.Body).Decode(&out)
	return resp.StatusCode, out
}

// get fetches a delivery URL.
func (s *server) get(t *testing.T, path string, hdr ...string) (*http.Response, []byte) {
	t.Helper()
	req, _ := http.NewRequest("GET", s.url+path, nil)
	for i := 0; i+1 < len(hdr); i += 2 {
		req.Header.Set(hdr[i], hdr[i+1])
	}
	resp, err := insecureClient().Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	return resp, b
}

func writeJPEG(t *testing.T, dir, name string, w, h int, seed byte) string {
	t.Helper()
	m := image.NewRGBA(image.Rect(0, 0, w, h))
	for i := range m.Pix {
		m.Pix[i] = byte(i)*3 + seed
	}
	p := filepath.Join(dir, name)
	f, err := os.Create(p)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	if err := jpeg.Encode(f, m, nil); err != nil {
		t.Fatal(err)
	}
	return p
}

func status(t *testing.T, s *server, path string) int {
	t.Helper()
	resp, _ := s.get(t, path)
	return resp.StatusCode
}

func TestEndToEnd(t *testing.T) {
	t.Parallel()
	s := startServer(t)
	tok, err := os.ReadFile(filepath.Join(s.data, "admin-token"))
	if err != nil || strings.TrimSpace(string(tok)) != adminToken {
		t.Fatalf("admin-token file = %q, %v; want VITRINE_ADMIN_TOKEN", tok, err)
	}
	if st, _ := os.Stat(filepath.Join(s.data, "admin-token")); st.Mode().Perm() != 0o600 {
		t.Errorf("admin-token mode = %v, want 0600", st.Mode().Perm())
	}
	dir := t.TempDir()
	a := writeJPEG(t, dir, "alpha.jpg", 64, 48, 1)
	b := writeJPEG(t, dir, "beta.jpg", 64, 48, 2)
	c := writeJPEG(t, dir, "gamma.jpg", 64, 48, 3)

	// Upload three images, one with publish off.
	out := s.cli(t, s.token, "upload", "--folder", "/products", a, b)
	if !strings.Contains(out, "2 new") {
		t.Errorf("upload summary = %q", out)
	}
	s.cli(t, s.token, "upload", "--folder", "/products", "--publish=false", c)
	for path, want := range map[string]int{"/is/image/demo/alpha": 200, "/is/image/demo/beta": 200, "/is/image/demo/gamma": 403,
		"/is/image/demo/nothing": 403, "/is/image/nocompany/alpha": 403, "/is/content/demo/alpha": 200} {
		if got := status(t, s, path); got != want {
			t.Errorf("GET %s = %d, want %d", path, got, want)
		}
	}
	resp, body := s.get(t, "/is/image/demo/alpha?wid=32")
	if cfg, _, err := image.DecodeConfig(bytes.NewReader(body)); err != nil || cfg.Width != 32 || cfg.Height != 24 {
		t.Errorf("alpha?wid=32 = %v %v, want a 32×24 rendition", cfg, err)
	}
	orig, _ := os.ReadFile(a)
	if resp.Header.Get("Cache-Control") != "public, max-age=36000" || resp.Header.Get("ETag") == "" {
		t.Errorf("alpha: %d bytes, Cache-Control %q, ETag %q", len(body), resp.Header.Get("Cache-Control"), resp.Header.Get("ETag"))
	}
	if r304, _ := s.get(t, "/is/image/demo/alpha?wid=32", "If-None-Match", resp.Header.Get("ETag")); r304.StatusCode != 304 {
		t.Errorf("conditional GET = %d, want 304", r304.StatusCode)
	}
	if r206, part := s.get(t, "/is/content/demo/alpha", "Range", "bytes=0-9"); r206.StatusCode != 206 || !bytes.Equal(part, orig[:10]) {
		t.Errorf("range GET = %d, %d bytes", r206.StatusCode, len(part))
	}
	if r403, _ := s.get(t, "/is/image/demo/gamma"); r403.Header.Get("Cache-Control") != "no-store" {
		t.Errorf("403 Cache-Control = %q, want no-store", r403.Header.Get("Cache-Control"))
	}

	// Publish and unpublish.
	s.cli(t, s.token, "publish", "gamma")
	s.cli(t, s.token, "unpublish", "alpha")
	if status(t, s, "/is/image/demo/gamma") != 200 || status(t, s, "/is/image/demo/alpha") != 403 {
		t.Error("publish gamma / unpublish alpha not served as expected")
	}

	// Replace a published image: the new version is served (retain publish).
	b2 := writeJPEG(t, t.TempDir(), "beta.jpg", 80, 60, 9)
	out = s.cli(t, s.token, "upload", "--folder", "/products", "--publish=false", b2)
	if !strings.Contains(out, "1 replaced") {
		t.Errorf("replace summary = %q", out)
	}
	_, body = s.get(t, "/is/content/demo/beta")
	newBytes, _ := os.ReadFile(b2)
	if !bytes.Equal(body, newBytes) {
		t.Error("replacement not served")
	}
	if _, body = s.get(t, "/is/image/demo/beta"); func() bool {
		cfg, _, err := image.DecodeConfig(bytes.NewReader(body))
		return err != nil || cfg.Width != 80
	}() {
		t.Error("replacement not rendered from the new version (want 80 px wide)")
	}

	// Delete to Trash: 403, and the id stays reserved.
	if st, out := s.api(t, s.token, "DELETE", "/companies/demo/assets/beta", nil); st != 200 {
		t.Fatalf("delete = %d %v", st, out)
	}
	if status(t, s, "/is/image/demo/beta") != 403 {
		t.Error("trashed asset still served")
	}
	b3 := writeJPEG(t, t.TempDir(), "beta.jpg", 32, 32, 5)
	s.cli(t, s.token, "upload", "--folder", "/products", b3)
	if st, a := s.api(t, s.token, "GET", "/companies/demo/assets/beta-1", nil); st != 200 || a["version"].(float64) != 1 {
		t.Errorf("upload over a trashed id: beta-1 = %d %v", st, a)
	}

	// Copy (unpublished) and move (keeps state, old URL gone).
	if st, a := s.api(t, s.token, "POST", "/companies/demo/assets/gamma/copy", map[string]string{"folder": "/copies"}); st != 201 || a["name"] != "gamma-1" {
		t.Errorf("copy = %d %v", st, a)
	}
	if status(t, s, "/is/image/demo/gamma-1") != 403 {
		t.Error("a copy must be unpublished")
	}
	if st, a := s.api(t, s.token, "POST", "/companies/demo/assets/gamma/move", map[string]string{"folder": "/moved", "name": "delta"}); st != 200 || a["folder"] != "/moved" {
		t.Errorf("move = %d %v", st, a)
	}
	if status(t, s, "/is/image/demo/delta") != 200 || status(t, s, "/is/image/demo/gamma") != 403 {
		t.Error("move: the new name must serve and the old must not")
	}

	// History.
	out = s.cli(t, s.token, "history", "alpha")
	lines := strings.Split(strings.TrimSpace(out), "\n")
	if len(lines) != 5 || !strings.Contains(lines[1], "unpublished") || !strings.Contains(lines[4], "published") {
		t.Errorf("history alpha:\n%s\nwant a header, 2 unpublished (delivery, preview) then 2 published", out)
	}
	out = s.cli(t, s.token, "assets", "ls", "--folder", "/products")
	if !strings.Contains(out, "alpha") || !strings.Contains(out, "beta-1") || strings.Contains(out, "delta") {
		t.Errorf("assets ls /products:\n%s", out)
	}

	// A second company cannot see the first's assets.
	if st, out := s.api(t, s.token, "POST", "/companies", map[string]string{"id": "globex"}); st != 201 {
		t.Fatalf("create company = %d %v", st, out)
	}
	st, u := s.api(t, s.token, "POST", "/companies/globex/users", map[string]string{"name": "gus", "role": "admin"})
	if st != 201 {
		t.Fatalf("create user = %d %v", st, u)
	}
	gus := u["token"].(string)
	for _, p := range []string{"/companies/demo/assets", "/companies/demo/assets/alpha", "/companies/demo/assets/alpha/history"} {
		if st, out := s.api(t, gus, "GET", p, nil); st != 404 {
			t.Errorf("globex GET %s = %d %v, want 404", p, st, out)
		}
	}
	if st, out := s.api(t, gus, "GET", "/companies/globex/assets", nil); st != 200 || len(out["assets"].([]any)) != 0 {
		t.Errorf("globex assets = %d %v", st, out)
	}

	// Metrics and access log.
	if resp, body := s.get(t, "/metrics"); resp.StatusCode != 200 || !bytes.Contains(body, []byte("vitrine_http_requests_total")) {
		t.Errorf("/metrics = %d", resp.StatusCode)
	}
	// Access-log lines are written in batches, shortly after the reply.
	s.log.waitFor(t, "path=/is/image/demo/alpha", 10*time.Second)
}

func TestHTTP2(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	for _, tc := range []struct {
		name  string
		flags []string
	}{{"h2c", nil}, {"tls", []string{"--tls-self-signed"}}} {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			s := startServer(t, tc.flags...)
			tr := &http.Transport{TLSClientConfig: &tls.Config{InsecureSkipVerify: true}, Protocols: new(http.Protocols)}
			if tc.name == "h2c" {
				tr.Protocols.SetUnencryptedHTTP2(true)
			} else {
				tr.Protocols.SetHTTP2(true)
			}
			dir := t.TempDir()
			s.cli(t, s.token, "upload", writeJPEG(t, dir, "h2.jpg", 64, 48, 1))
			req, _ := http.NewRequestWithContext(ctx, "GET", s.url+"/is/image/demo/h2?wid=20", nil)
			resp, err := (&http.Client{Transport: tr}).Do(req)
			if err != nil {
				t.Fatal(err)
			}
			body, _ := io.ReadAll(resp.Body)
			resp.Body.Close()
			cfg, _, err := image.DecodeConfig(bytes.NewReader(body))
			if resp.ProtoMajor != 2 || resp.StatusCode != 200 || err != nil || cfg.Width != 20 {
				t.Errorf("%s: %s %d %v %v, want an HTTP/2 200 rendition 20 px wide", tc.name, resp.Proto, resp.StatusCode, cfg, err)
			}
			// HTTP/1.1 still works on the same port.
			tr1 := &http.Transport{TLSClientConfig: &tls.Config{InsecureSkipVerify: true}}
			resp, err = (&http.Client{Transport: tr1}).Get(s.url + "/healthz")
			if err != nil {
				t.Fatal(err)
			}
			resp.Body.Close()
			if resp.ProtoMajor != 1 {
				t.Errorf("%s: HTTP/1.1 client got %s", tc.name, resp.Proto)
			}
		})
	}
}
