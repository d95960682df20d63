package edge

import (
	"bytes"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/prometheus/client_golang/prometheus"
)

var testSecret = []byte("test-secret-0123456789")

// fakeClock is a clock tests move by hand.
type fakeClock struct {
	mu sync.Mutex
	t  time.Time
}

func newFakeClock() *fakeClock {
	return &fakeClock{t: time.Date(2026, 3, 4, 5, 6, 7, 0, time.UTC)}
}

func (c *fakeClock) Now() time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.t
}

func (c *fakeClock) Advance(d time.Duration) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.t = c.t.Add(d)
}

// testOrigin is a real HTTP origin. By default it answers like the
// delivery handler for a published asset: a body naming the URL and the
// asset's version, Cache-Control max-age=600, a strong ETag (304 on a
// match) and Xkey company/asset. A test can replace the handler.
type testOrigin struct {
	*httptest.Server
	mu       sync.Mutex
	hits     map[string]int // by path
	reqs     []*http.Request
	version  int
	cacheCtl string
	handler  http.HandlerFunc
}

func newTestOrigin(t *testing.T) *testOrigin {
	o := &testOrigin{hits: map[string]int{}, version: 1, cacheCtl: "public, max-age=600"}
	o.Server = httptest.NewServer(http.HandlerFunc(o.serve))
	t.Cleanup(o.Close)
	return o
}

func (o *testOrigin) serve(w http.ResponseWriter, r *http.Request) {
	o.mu.Lock()
	o.hits[r.URL.Path]++
	o.reqs = append(o.reqs, r.Clone(r.Context()))
	h := o.handler
	o.mu.Unlock()
	if h != nil {
		h(w, r)
		return
	}
	o.published(w, r)
}

// published is the default answer.
func (o *testOrigin) published(w http.ResponseWriter, r *http.Request) {
	o.mu.Lock()
	v, cc := o.version, o.cacheCtl
	o.mu.Unlock()
	body := assetBody(r.URL.RequestURI(), v)
	etag := etagOf(body)
	h := w.Header()
	h.Set("Cache-Control", cc)
	h.Set("ETag", etag)
	h.Set("Xkey", assetKey(r.URL.Path))
	h.Set("Content-Type", "image/jpeg")
	// Like the delivery handler: conditional and range requests answered
	// by ServeContent.
	http.ServeContent(w, r, "", originModTime, strings.NewReader(body))
}

var originModTime = time.Date(2026, 3, 2, 10, 0, 0, 0, time.UTC)

func assetBody(uri string, version int) string { return fmt.Sprintf("%s v%d", uri, version) }

func etagOf(body string) string {
	sum := sha256.Sum256([]byte(body))
	return `"` + hex.EncodeToString(sum[:8]) + `"`
}

// assetKey is the Xkey the delivery handler sends: company/asset.
func assetKey(path string) string {
	parts := strings.Split(strings.Trim(path, "/"), "/")
	if len(parts) < 2 {
		return path
	}
	return parts[len(parts)-2] + "/" + parts[len(parts)-1]
}

func (o *testOrigin) setHandler(h http.HandlerFunc) {
	o.mu.Lock()
	defer o.mu.Unlock()
	o.handler = h
}

func (o *testOrigin) setVersion(v int) {
	o.mu.Lock()
	defer o.mu.Unlock()
	o.version = v
}

func (o *testOrigin) setCacheControl(cc string) {
	o.mu.Lock()
	defer o.mu.Unlock()
	o.cacheCtl = cc
}

// count is how many requests the origin had for path.
func (o *testOrigin) count(path string) int {
	o.mu.Lock()
	defer o.mu.Unlock()
	return o.hits[path]
}

func (o *testOrigin) lastRequest() *http.Request {
	o.mu.Lock()
	defer o.mu.Unlock()
	return o.reqs[len(o.reqs)-1]
}

// fixture is one edge node in front of one test origin.
type fixture struct {
	t      *testing.T
	origin *testOrigin
	clock  *fakeClock
	node   *Node
	edge   *httptest.Server
	reg    *prometheus.Registry
}

// setup starts an origin and an edge over real listeners. opts adjust the
// edge's configuration; stale-while-revalidate is off unless a test turns
// it on.
func setup(t *testing.T, opts ...func(*Config)) *fixture {
	t.Helper()
	f := &fixture{t: t, origin: newTestOrigin(t), clock: newFakeClock(), reg: prometheus.NewRegistry()}
	cfg := DefaultConfig()
	cfg.Origin = mustURL(t, f.origin.URL)
	cfg.PurgeSecret = testSecret
	cfg.Now = f.clock.Now
	cfg.StaleWhileRevalidate = 0
	for _, o := range opts {
		o(&cfg)
	}
	n, err := New(cfg, slog.New(slog.DiscardHandler), f.reg)
	if err != nil {
		t.Fatalf("New: %v", err)
	}
	f.node = n
	f.edge = httptest.NewServer(n)
	t.Cleanup(func() {
		f.edge.Close()
		n.Close()
	})
	return f
}

func mustURL(t *testing.T, s string) *url.URL {
	t.Helper()
	u, err := url.Parse(s)
	if err != nil {
		t.Fatal(err)
	}
	return u
}

// reply is a response read in full.
type reply struct {
	Status int
	Header http.Header
	Body   string
}

func (r reply) cache() string { return r.Header.Get("X-Cache") }

// get requests uri from the edge with header pairs ("Accept", "image/webp").
func (f *fixture) get(uri string, header ...string) reply {
	f.t.Helper()
	return f.do(http.MethodGet, uri, header...)
}

func (f *fixture) do(method, uri string, header ...string) reply {
	f.t.Helper()
	req, err := http.NewRequest(method, f.edge.URL+uri, nil)
	if err != nil {
		f.t.Fatal(err)
	}
	for i := 0; i+1 < len(header); i += 2 {
		req.Header.Set(header[i], header[i+1])
	}
	return send(f.t, req)
}

func send(t *testing.T, req *http.Request) reply {
	t.Helper()
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatalf("%s %s: %v", req.Method, req.URL, err)
	}
	defer resp.Body.Close()
	body, err := io.ReadAll(resp.Body)
	if err != nil {
		t.Fatalf("%s %s: read body: %v", req.Method, req.URL, err)
	}
	return reply{Status: resp.StatusCode, Header: resp.Header, Body: string(body)}
}

// purge sends a correctly signed purge to the edge.
func (f *fixture) purge(req PurgeRequest) reply {
	f.t.Helper()
	body, err := json.Marshal(req)
	if err != nil {
		f.t.Fatal(err)
	}
	return f.purgeRaw(body, f.clock.Now(), testSecret)
}

func (f *fixture) purgeRaw(body []byte, at time.Time, secret []byte) reply {
	f.t.Helper()
	r, err := http.NewRequest(http.MethodPost, f.edge.URL+"/_edge/purge", bytes.NewReader(body))
	if err != nil {
		f.t.Fatal(err)
	}
	ts, sig := Sign(secret, at, body)
	r.Header.Set(HeaderTimestamp, ts)
	r.Header.Set(HeaderSignature, sig)
	return send(f.t, r)
}

// metric reads a counter or gauge from the fixture's registry; labels are
// name/value pairs. A metric never touched reads 0.
func (f *fixture) metric(name string, labels ...string) float64 {
	f.t.Helper()
	fams, err := f.reg.Gather()
	if err != nil {
		f.t.Fatal(err)
	}
	for _, fam := range fams {
		if fam.GetName() != name {
			continue
		}
	next:
		for _, m := range fam.GetMetric() {
			have := map[string]string{}
			for _, l := range m.GetLabel() {
				have[l.GetName()] = l.GetValue()
			}
			for i := 0; i+1 < len(labels); i += 2 {
				if have[labels[i]] != labels[i+1] {
					continue next
				}
			}
			if c := m.GetCounter(); c != nil {
				return c.GetValue()
			}
			return m.GetGauge().GetValue()
		}
	}
	return 0
}

// blockingOrigin makes every origin request announce itself on entered
// and wait for a value on release before answering as published.
func (f *fixture) blockingOrigin() (entered chan string, release chan struct{}) {
	entered, release = make(chan string, 100), make(chan struct{})
	f.origin.setHandler(func(w http.ResponseWriter, r *http.Request) {
		entered <- r.URL.RequestURI()
		<-release
		f.origin.published(w, r)
	})
	return entered, release
}
