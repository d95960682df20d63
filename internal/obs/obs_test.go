package obs

import (
	"bytes"
	"encoding/json"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/prometheus/client_golang/prometheus"
)

// readFromWriter records whether a copy reached its ReadFrom.
type readFromWriter struct {
	*httptest.ResponseRecorder
	readFrom int
}

func (w *readFromWriter) ReadFrom(r io.Reader) (int64, error) {
	w.readFrom++
	w.WriteHeader(http.StatusOK) // a no-op when a status was written
	return w.Body.ReadFrom(r)    // as a server's ReadFrom: no copy buffer of its own

}

// flushWriter records flushes.
type flushWriter struct {
	*httptest.ResponseRecorder
	flushes int
}

func (w *flushWriter) Flush() { w.flushes++ }

func serve(t *testing.T, w http.ResponseWriter, h http.HandlerFunc) *bytes.Buffer {
	t.Helper()
	var log bytes.Buffer
	mw := Middleware(slog.New(slog.NewTextHandler(&log, nil)), NewMetrics(prometheus.NewRegistry()), h)
	mw.ServeHTTP(w, httptest.NewRequest("GET", "/is/content/co/a", nil))
	return &log
}

// The access log must not hide the server's ReadFrom: io.Copy (and so
// http.ServeContent) then allocates a 32 KB buffer per reply and a file
// body never goes out with sendfile.
func TestRecorderPassesReadFrom(t *testing.T) {
	w := &readFromWriter{ResponseRecorder: httptest.NewRecorder()}
	body := strings.Repeat("x", 100_000)
	log := serve(t, w, func(w http.ResponseWriter, r *http.Request) {
		// As http.ServeContent copies: through a LimitedReader, which has
		// no WriteTo of its own.
		if _, err := io.CopyN(w, strings.NewReader(body), int64(len(body))); err != nil {
			t.Error(err)
		}
	})
	if w.readFrom != 1 {
		t.Fatalf("underlying ReadFrom called %d times, want 1", w.readFrom)
	}
	if w.Body.String() != body {
		t.Fatalf("body: %d bytes, want %d", w.Body.Len(), len(body))
	}
	if !strings.Contains(log.String(), "status=200") || !strings.Contains(log.String(), "bytes=100000") {
		t.Fatalf("access log: %s", log)
	}
}

// Without an underlying ReadFrom the copy still works and is counted.
func TestRecorderReadFromFallback(t *testing.T) {
	w := httptest.NewRecorder()
	log := serve(t, w, func(w http.ResponseWriter, r *http.Request) {
		w.WriteHeader(http.StatusPartialContent)
		io.Copy(w, strings.NewReader("abc"))
	})
	if w.Body.String() != "abc" || !strings.Contains(log.String(), "status=206") || !strings.Contains(log.String(), "bytes=3") {
		t.Fatalf("body %q, log %s", w.Body, log)
	}
}

func TestRecorderFlushes(t *testing.T) {
	w := &flushWriter{ResponseRecorder: httptest.NewRecorder()}
	serve(t, w, func(w http.ResponseWriter, r *http.Request) {
		f, ok := w.(http.Flusher)
		if !ok {
			t.Fatal("the access-log writer is not an http.Flusher")
		}
		f.Flush()
		if err := http.NewResponseController(w).Flush(); err != nil {
			t.Fatal(err)
		}
	})
	if w.flushes != 2 {
		t.Fatalf("%d flushes reached the writer, want 2", w.flushes)
	}
}

// A hit written with io.Copy through the access log allocates no copy
// buffer.
func TestRecorderCopyAllocs(t *testing.T) {
	body := bytes.Repeat([]byte("y"), 50_000)
	h := Middleware(slog.New(slog.NewTextHandler(io.Discard, nil)), NewMetrics(prometheus.NewRegistry()),
		http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			io.CopyN(w, bytes.NewReader(body), int64(len(body)))
		}))
	req := httptest.NewRequest("GET", "/is/image/co/a", nil)
	w := &readFromWriter{ResponseRecorder: httptest.NewRecorder()}
	w.Body = bytes.NewBuffer(make([]byte, 0, 64<<10))
	h.ServeHTTP(w, req)
	allocs := testing.Benchmark(func(b *testing.B) {
		b.ReportAllocs()
		for b.Loop() {
			w.Body.Reset()
			h.ServeHTTP(w, req)
		}
	})
	if per := allocs.AllocedBytesPerOp(); per >= 32<<10 {
		t.Fatalf("%d bytes allocated per reply: a copy buffer per request", per)
	}
}

// TestMiddlewareLogsEachRequest: one access line per request, with what
// it says about the request and its answer, at the time the answer ended,
// and no source position (the line is not made where it is logged).
func TestMiddlewareLogsEachRequest(t *testing.T) {
	var log bytes.Buffer
	before := time.Now()
	mw := Middleware(slog.New(slog.NewJSONHandler(&log, &slog.HandlerOptions{AddSource: true})), NewMetrics(prometheus.NewRegistry()),
		http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			w.WriteHeader(http.StatusTeapot)
			w.Write([]byte("short and stout"))
		}))
	r := httptest.NewRequest("GET", "/is/image/co/a?wid=10", nil)
	r.RemoteAddr = "192.0.2.7:4321"
	mw.ServeHTTP(httptest.NewRecorder(), r)
	var line map[string]any
	if err := json.Unmarshal(log.Bytes(), &line); err != nil {
		t.Fatalf("access line %q: %v", log.String(), err)
	}
	want := map[string]any{"level": "INFO", "msg": "request", "method": "GET", "path": "/is/image/co/a", "proto": "HTTP/1.1",
		"status": float64(418), "bytes": float64(15), "remote": "192.0.2.7:4321"}
	for k, v := range want {
		if line[k] != v {
			t.Errorf("access line %s = %v, want %v (%s)", k, line[k], v, log.String())
		}
	}
	if _, ok := line["source"]; ok {
		t.Errorf("access line has a source: %s", log.String())
	}
	if d, ok := line["duration"].(float64); !ok || d < 0 {
		t.Errorf("access line duration = %v", line["duration"])
	}
	if ts, err := time.Parse(time.RFC3339Nano, line["time"].(string)); err != nil || ts.Before(before) || ts.After(time.Now()) {
		t.Errorf("access line time = %v (%v), want between the request's start and now", line["time"], err)
	}
}

// TestMiddlewareMetricLabels: the method and status labels come from
// small fixed sets, whatever the client sends.
func TestMiddlewareMetricLabels(t *testing.T) {
	reg := prometheus.NewRegistry()
	m := NewMetrics(reg)
	status := http.StatusOK
	mw := Middleware(slog.New(slog.DiscardHandler), m, http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.WriteHeader(status)
	}))
	for i, method := range []string{"GET", "HEAD", "BREW", "PROPFIND", "X-1", "GET"} {
		status = []int{200, 304, 404, 503, 200, 999}[i]
		mw.ServeHTTP(httptest.NewRecorder(), httptest.NewRequest(method, "/is/image/co/a", nil))
	}
	var got []string
	for _, mf := range must(reg.Gather()) {
		if mf.GetName() != "vitrine_http_requests_total" {
			continue
		}
		for _, s := range mf.GetMetric() {
			l := map[string]string{}
			for _, p := range s.GetLabel() {
				l[p.GetName()] = p.GetValue()
			}
			got = append(got, fmt.Sprintf("%s %s %s %g", l["area"], l["method"], l["code"], s.GetCounter().GetValue()))
		}
	}
	slices.Sort(got)
	want := []string{"image GET 2xx 1", "image GET other 1", "image HEAD 3xx 1", "image other 2xx 1", "image other 4xx 1", "image other 5xx 1"}
	if !slices.Equal(got, want) {
		t.Errorf("request series = %q, want %q", got, want)
	}
}

func must[T any](v T, err error) T {
	if err != nil {
		panic(err)
	}
	return v
}
