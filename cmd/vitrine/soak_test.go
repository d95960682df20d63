package main_test

import (
	"bufio"
	"bytes"
	"encoding/json"
	"fmt"
	"io"
	"math/rand/v2"
	"mime/multipart"
	"net"
	"net/http"
	"net/http/httptest"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"
)

// TestSoak is the reliability battery's soak (issue 15): a well-behaved
// tenant uploads, publishes and renders, alone for the first third of the
// run and then beside a hostile tenant that sends huge crops, preset bombs,
// 10,000-name publications, trickled bodies and URL uploads from a server
// that stalls. It reports the well-behaved tenant's p50/p99 unloaded and
// loaded, and fails on any 5xx the well-behaved tenant gets.
//
// Quick (≈20 s, the race-enabled binary) in `make test`; `make soak` sets
// VITRINE_SOAK to a duration (10m by default) and runs a plain build.
func TestSoak(t *testing.T) {
	dur, bin := 20*time.Second, ""
	if v := os.Getenv("VITRINE_SOAK"); v != "" {
		d, err := time.ParseDuration(v)
		if err != nil {
			t.Fatalf("VITRINE_SOAK=%q: %v", v, err)
		}
		dur, bin = d, plainBinary(t)
	} else {
		t.Parallel()
		bin = binary(t)
	}
	stall, unstall := stallingOrigin(t)
	s := startServerBin(t, bin, "--allow-private-fetch")
	defer unstall() // before the server's shutdown: its jobs end with the fetches
	sk := &soak{s: s, t: t, client: &http.Client{Timeout: 60 * time.Second}, strict: os.Getenv("VITRINE_SOAK") != ""}
	sk.setup()

	quit := make(chan struct{})
	var good sync.WaitGroup
	for range 2 {
		good.Add(2)
		go func() { defer good.Done(); sk.goodRenders(quit) }()
		go func() { defer good.Done(); sk.goodWrites(quit) }()
	}
	phase := func(name string, d time.Duration) {
		sk.setPhase(name)
		time.Sleep(d) // the soak's clock: how long each phase runs, not a wait for work
	}
	phase("unloaded", dur/3)
	hostile := make(chan struct{})
	var bad sync.WaitGroup
	for _, f := range []func(<-chan struct{}){sk.crops, sk.crops, sk.presetBombs, sk.bigPublications,
		sk.slowBodies, sk.slowBodies, sk.slowBodies, sk.slowBodies, func(q <-chan struct{}) { sk.slowURLs(q, stall) }} {
		bad.Add(1)
		go func() { defer bad.Done(); f(hostile) }()
	}
	phase("loaded", dur-dur/3)
	close(quit)
	close(hostile)
	good.Wait()
	bad.Wait()
	sk.report()
	// Let the hostile renders already in libvips drain before the server
	// is asked to shut down (its shutdown waits for them): a render of the
	// good tenant answering fast again says they are done.
	if !eventually(2*time.Minute, 500*time.Millisecond, func() bool {
		start := time.Now()
		st, _ := sk.do("GET", fmt.Sprintf("/is/image/good/g0?wid=%d", 500+rand.IntN(100)), "", nil)
		return st == http.StatusOK && time.Since(start) < time.Second
	}) {
		t.Error("the server did not drain the hostile load within two minutes")
	}
}

// plainBinary builds vitrine without the race detector, for a soak whose
// numbers mean something.
func plainBinary(t *testing.T) string {
	t.Helper()
	bin := filepath.Join(t.TempDir(), "vitrine")
	if out, err := exec.Command("go", "build", "-o", bin, ".").CombinedOutput(); err != nil {
		t.Fatalf("go build: %v\n%s", err, out)
	}
	return bin
}

// stallingOrigin serves a few bytes of a JPEG and then nothing, until the
// client gives up: the slow URL upload.
func stallingOrigin(t *testing.T) (*httptest.Server, func()) {
	done := make(chan struct{})
	var once sync.Once
	release := func() { once.Do(func() { close(done) }) }
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "image/jpeg")
		w.Write([]byte{0xff, 0xd8, 0xff})
		w.(http.Flusher).Flush()
		select {
		case <-r.Context().Done():
		case <-done:
		}
	}))
	t.Cleanup(srv.Close)
	t.Cleanup(release)
	return srv, release
}

type sample struct {
	phase, kind string
	d           time.Duration
	status      int
}

type soak struct {
	s      *server
	t      *testing.T
	client *http.Client

	mu      sync.Mutex
	phase   string
	samples []sample
	hostile map[string]int // hostile request kind → count
	seq     int
	// strict fails on any 5xx; the quick run (race detector, a shared
	// machine) fails on errors only and reports 503s (shed load).
	strict bool
}

func (sk *soak) setPhase(p string) {
	sk.mu.Lock()
	sk.phase = p
	sk.mu.Unlock()
}

func (sk *soak) record(kind string, d time.Duration, status int) {
	sk.mu.Lock()
	sk.samples = append(sk.samples, sample{sk.phase, kind, d, status})
	sk.mu.Unlock()
}

func (sk *soak) countHostile(kind string) {
	sk.mu.Lock()
	if sk.hostile == nil {
		sk.hostile = map[string]int{}
	}
	sk.hostile[kind]++
	sk.mu.Unlock()
}

func (sk *soak) next() int {
	sk.mu.Lock()
	defer sk.mu.Unlock()
	sk.seq++
	return sk.seq
}

// do sends one request and returns its status, draining the answer.
func (sk *soak) do(method, path, ctype string, body io.Reader) (int, []byte) {
	req, _ := http.NewRequest(method, sk.s.url+path, body)
	req.Header.Set("Authorization", "Bearer "+sk.s.token)
	if ctype != "" {
		req.Header.Set("Content-Type", ctype)
	}
	resp, err := sk.client.Do(req)
	if err != nil {
		return 599, []byte(err.Error()) // a transport failure counts as a 5xx
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	return resp.StatusCode, b
}

func (sk *soak) json(method, path string, v any) (int, []byte) {
	b, _ := json.Marshal(v)
	return sk.do(method, "/api/v1"+path, "application/json", bytes.NewReader(b))
}

func (sk *soak) upload(company, folder, name string, w, h int, seed byte) (int, []byte) {
	dir := sk.t.TempDir()
	p := writeJPEG(sk.t, dir, name, w, h, seed)
	data, _ := os.ReadFile(p)
	var b bytes.Buffer
	mw := multipart.NewWriter(&b)
	fw, _ := mw.CreateFormFile("file", name)
	fw.Write(data)
	mw.WriteField("folder", folder)
	mw.WriteField("publish", "true")
	mw.Close()
	return sk.do("POST", "/api/v1/companies/"+company+"/assets", mw.FormDataContentType(), &b)
}

func (sk *soak) setup() {
	t := sk.t
	for _, c := range []string{"good", "evil"} {
		if st, b := sk.json("POST", "/companies", map[string]string{"id": c, "name": c}); st != http.StatusCreated {
			t.Fatalf("create company %s = %d %s", c, st, b)
		}
	}
	for i := range 4 {
		if st, b := sk.upload("good", "/g", fmt.Sprintf("g%d.jpg", i), 800, 600, byte(i)); st != http.StatusCreated {
			t.Fatalf("good upload = %d %s", st, b)
		}
	}
	if st, b := sk.upload("evil", "/e", "e0.jpg", 2000, 2000, 9); st != http.StatusCreated {
		t.Fatalf("evil upload = %d %s", st, b)
	}
	// Nested presets: each level names the next four times.
	presets := map[string]string{"p4": "wid=50"}
	for i := 3; i >= 1; i-- {
		n := fmt.Sprintf("$p%d$", i+1)
		presets[fmt.Sprintf("p%d", i)] = strings.Repeat(n+"&", 3) + n
	}
	sk.json("PATCH", "/companies/evil/settings", map[string]any{"presets": presets}) // refused or not: the GETs come anyway
	if st, b := sk.do("GET", "/is/image/good/g0?wid=100", "", nil); st != http.StatusOK {
		t.Fatalf("good render before the soak = %d %.200s", st, b)
	}
}

// goodRenders alternates a cold render (cache=on,off: the server renders
// it again every time, so the unloaded and loaded phases compare the same
// work) and a rendition cache hit.
func (sk *soak) goodRenders(quit <-chan struct{}) {
	for i := 0; !closed(quit); i++ {
		kind, path := "render", fmt.Sprintf("/is/image/good/g%d?wid=%d&qlt=%d&cache=on,off", rand.IntN(4), 100+rand.IntN(300), 60+rand.IntN(30))
		if i%2 == 1 {
			kind, path = "hit", fmt.Sprintf("/is/image/good/g%d?wid=120", rand.IntN(4))
		}
		start := time.Now()
		st, _ := sk.do("GET", path, "", nil)
		sk.record(kind, time.Since(start), st)
	}
}

func (sk *soak) goodWrites(quit <-chan struct{}) {
	for i := 0; !closed(quit); i++ {
		n := sk.next()
		start := time.Now()
		var st int
		switch i % 3 {
		case 0:
			st, _ = sk.json("POST", "/companies/good/folders", map[string]string{"path": fmt.Sprintf("/w/%d", n)})
		case 1:
			st, _ = sk.json("POST", "/companies/good/publication", map[string]any{"action": "publish", "assets": []string{"g0", "g1"}})
		default:
			st, _ = sk.upload("good", "/u", fmt.Sprintf("u%d.jpg", n), 64, 48, byte(n))
		}
		sk.record("write", time.Since(start), st)
	}
}

func (sk *soak) crops(quit <-chan struct{}) {
	for !closed(quit) {
		sk.do("GET", fmt.Sprintf("/is/image/evil/e0?crop=0,0,100000,99999&wid=%d", 1000+rand.IntN(1000)), "", nil)
		sk.countHostile("huge crop")
	}
}

func (sk *soak) presetBombs(quit <-chan struct{}) {
	for !closed(quit) {
		sk.do("GET", fmt.Sprintf("/is/image/evil/e0?$p1$&qlt=%d", rand.IntN(100)), "", nil)
		sk.countHostile("preset bomb")
	}
}

func (sk *soak) bigPublications(quit <-chan struct{}) {
	names := make([]string, 10000)
	for i := range names {
		names[i] = fmt.Sprintf("n%d", i%2000)
	}
	names[0] = "e0"
	for !closed(quit) {
		sk.json("POST", "/companies/evil/publication", map[string]any{"action": "publish", "assets": names})
		sk.countHostile("10,000-name publication")
	}
}

// slowBodies trickles a JSON body a byte at a time until the server cuts
// it off, then starts again.
func (sk *soak) slowBodies(quit <-chan struct{}) {
	addr := strings.TrimPrefix(sk.s.url, "http://")
	for !closed(quit) {
		conn, err := net.Dial("tcp", addr)
		if err != nil {
			continue
		}
		fmt.Fprintf(conn, "POST /api/v1/companies/evil/publication HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer %s\r\n"+
			"Content-Type: application/json\r\nContent-Length: 100000\r\n\r\n", sk.s.token)
		cut := make(chan struct{})
		go func() { // the answer, or the close, ends the trickle
			bufio.NewReader(conn).ReadByte()
			close(cut)
		}()
		for trickling := true; trickling; {
			select {
			case <-cut:
				trickling = false
			case <-quit:
				trickling = false
			case <-time.After(500 * time.Millisecond): // the attacker's pace
				conn.Write([]byte(" "))
			}
		}
		conn.Close()
		<-cut
		sk.countHostile("trickled body")
	}
}

func (sk *soak) slowURLs(quit <-chan struct{}, stall *httptest.Server) {
	for !closed(quit) {
		urls := make([]string, 4)
		for i := range urls {
			urls[i] = fmt.Sprintf("%s/slow%d.jpg", stall.URL, sk.next())
		}
		sk.json("POST", "/companies/evil/jobs", map[string]any{"type": "upload", "options": map[string]any{"upload": map[string]any{"urls": urls, "folder": "/slow"}}})
		sk.countHostile("stalled URL upload job")
		select {
		case <-quit:
		case <-time.After(2 * time.Second): // the attacker's pace
		}
	}
}

func closed(c <-chan struct{}) bool {
	select {
	case <-c:
		return true
	default:
		return false
	}
}

func (sk *soak) report() {
	sk.mu.Lock()
	defer sk.mu.Unlock()
	var lines []string
	p99 := map[string]time.Duration{}
	fivexx, failures := 0, 0
	kinds := []string{"render", "hit", "write"}
	for _, kind := range kinds {
		for _, phase := range []string{"unloaded", "loaded"} {
			var ds []time.Duration
			bad := map[int]int{}
			for _, s := range sk.samples {
				if s.kind == kind && s.phase == phase {
					ds = append(ds, s.d)
					if s.status >= 500 {
						bad[s.status]++
						fivexx++
						if s.status != http.StatusServiceUnavailable {
							failures++
						}
					} else if s.status >= 400 {
						bad[s.status]++
					}
				}
			}
			if len(ds) == 0 {
				lines = append(lines, fmt.Sprintf("%-6s %-8s no requests", kind, phase))
				continue
			}
			slices.Sort(ds)
			q := func(f float64) time.Duration { return ds[int(f*float64(len(ds)-1))] }
			p99[kind+phase] = q(0.99)
			lines = append(lines, fmt.Sprintf("%-6s %-8s n=%-6d p50=%-10v p99=%-10v max=%-10v non-2xx=%v", kind, phase, len(ds),
				q(0.5).Round(time.Millisecond), q(0.99).Round(time.Millisecond), ds[len(ds)-1].Round(time.Millisecond), bad))
		}
	}
	ratio := map[string]float64{}
	for _, kind := range kinds {
		if u := p99[kind+"unloaded"]; u > 0 {
			ratio[kind] = float64(p99[kind+"loaded"]) / float64(u)
			lines = append(lines, fmt.Sprintf("%s p99 loaded/unloaded = %.2f", kind, ratio[kind]))
		}
	}
	lines = append(lines, fmt.Sprintf("hostile requests: %v", sk.hostile))
	sk.t.Logf("soak report (well-behaved tenant):\n%s", strings.Join(lines, "\n"))
	switch {
	case sk.strict && fivexx > 0:
		sk.t.Errorf("the well-behaved tenant got %d 5xx answers", fivexx)
	case failures > 0:
		sk.t.Errorf("the well-behaved tenant got %d 5xx answers other than 503", failures)
	}
	// The targets of `make soak` (issue 15): renders within 2x and writes
	// within 5x of their unloaded p99 (hits are reported beside them). The quick run in make test shares the
	// machine with the whole suite, so it reports them only.
	if sk.strict {
		for kind, limit := range map[string]float64{"render": 2, "write": 5} {
			if r, ok := ratio[kind]; !ok {
				sk.t.Errorf("no unloaded %s samples to compare with", kind)
			} else if r > limit {
				sk.t.Errorf("%s p99 loaded/unloaded = %.2f, the target is at most %v", kind, r, limit)
			}
		}
	}
}
