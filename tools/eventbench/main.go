// Command eventbench measures the live event stream, as `make bench` runs
// it: N clients hold GET /events open on loopback while a full publish job
// runs; for every job event (a status change or a batch done) it records
// the time from the engine's report of the change to each client's
// receipt, and prints p50, p99 and the maximum. The server runs in this
// process (API, job engine, broker, SQLite in a temp dir) so that both
// ends read one clock.
package main

import (
	"bufio"
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"io"
	"log/slog"
	"net"
	"net/http"
	"os"
	"path/filepath"
	"runtime/pprof"
	"slices"
	"strings"
	"sync"
	"time"

	"github.com/vitrine/vitrine"
	"github.com/vitrine/vitrine/internal/api"
	"github.com/vitrine/vitrine/internal/blob"
	"github.com/vitrine/vitrine/internal/events"
	"github.com/vitrine/vitrine/internal/jobs"
	"github.com/vitrine/vitrine/internal/service"
	"github.com/vitrine/vitrine/internal/sqlstore"
)

func main() {
	clients := flag.Int("clients", 100, "open event streams")
	assets := flag.Int("assets", 5000, "assets the publish job publishes")
	batch := flag.Int("batch", 100, "assets per batch: one progress event each")
	cpuprofile := flag.String("cpuprofile", "", "write a CPU profile of the run to this file")
	flag.Parse()
	if *cpuprofile != "" {
		f, err := os.Create(*cpuprofile)
		if err != nil {
			fmt.Fprintln(os.Stderr, "eventbench:", err)
			os.Exit(1)
		}
		if err := pprof.StartCPUProfile(f); err != nil {
			fmt.Fprintln(os.Stderr, "eventbench:", err)
			os.Exit(1)
		}
		defer f.Close()
		defer pprof.StopCPUProfile()
	}
	if err := run(*clients, *assets, *batch); err != nil {
		fmt.Fprintln(os.Stderr, "eventbench:", err)
		os.Exit(1)
	}
}

// stamped is the broker with the time each job change was reported.
type stamped struct {
	*events.Broker
	mu   sync.Mutex
	sent map[string]time.Time
}

// key names one reported state of a job: a change to any of these.
func key(j events.JobEvent) string {
	return fmt.Sprintf("%d/%s/%d/%d/%d/%d/%d", j.ID, j.Status, j.Total, j.Done, j.Published, j.Warnings, j.Errors)
}

func (s *stamped) JobChanged(j *vitrine.JobRun) {
	k := key(events.JobEvent{ID: j.ID, Status: j.Status, Total: j.Total, Done: j.Done, Published: j.Published,
		Warnings: j.Warnings, Errors: j.Errors})
	s.mu.Lock()
	if _, ok := s.sent[k]; !ok {
		s.sent[k] = time.Now()
	}
	s.mu.Unlock()
	s.Broker.JobChanged(j)
}

func (s *stamped) at(k string) (time.Time, bool) {
	s.mu.Lock()
	defer s.mu.Unlock()
	t, ok := s.sent[k]
	return t, ok
}

func run(nClients, nAssets, batch int) error {
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	dir, err := os.MkdirTemp("", "eventbench")
	if err != nil {
		return err
	}
	defer os.RemoveAll(dir)
	dsn := filepath.Join(dir, "bench.db")
	db, err := sqlstore.Open(ctx, dsn)
	if err != nil {
		return err
	}
	defer db.Close()
	blobs, err := blob.OpenLocal(filepath.Join(dir, "blobs"))
	if err != nil {
		return err
	}
	b, err := events.New(events.DefaultConfig())
	if err != nil {
		return err
	}
	broker := &stamped{Broker: b, sent: map[string]time.Time{}}
	svc, err := service.New(service.Deps{Store: db, Blobs: blobs,
		Changes: service.NewChanges(service.Subscribers{Others: []service.Subscriber{b}})})
	if err != nil {
		return err
	}
	jcfg := jobs.DefaultConfig()
	jcfg.Events, jcfg.BatchSize, jcfg.FetchPoll = broker, batch, 20*time.Millisecond
	eng, err := jobs.New(ctx, jcfg, svc, dsn, nil)
	if err != nil {
		return err
	}
	defer eng.Stop()
	if err := eng.Start(ctx); err != nil {
		return err
	}
	h, err := api.New(api.DefaultConfig(), svc, slog.New(slog.DiscardHandler), api.Hooks{Jobs: eng, Events: b})
	if err != nil {
		return err
	}
	token, err := seed(ctx, db, nAssets)
	if err != nil {
		return err
	}
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return err
	}
	srv := &http.Server{Handler: h, ReadHeaderTimeout: 10 * time.Second}
	srv.RegisterOnShutdown(b.Close)
	go srv.Serve(ln)
	defer srv.Shutdown(context.Background())
	base := "http://" + ln.Addr().String() + "/api/v1/companies/bench"

	// The clients: one connection each, like one browser tab each.
	type sample struct {
		d   time.Duration
		end bool
	}
	samples := make(chan sample, 1<<16)
	var wg sync.WaitGroup
	for range nClients {
		req, _ := http.NewRequestWithContext(ctx, "GET", base+"/events", nil)
		req.Header.Set("Authorization", "Bearer "+token)
		client := &http.Client{Transport: &http.Transport{}}
		resp, err := client.Do(req)
		if err != nil {
			return err
		}
		if resp.StatusCode != 200 {
			return fmt.Errorf("GET /events: %s", resp.Status)
		}
		wg.Add(1)
		go func() { // ends when the job has ended or the context is cancelled
			defer wg.Done()
			defer resp.Body.Close()
			read(resp.Body, func(typ string, data []byte) bool {
				if typ != events.TypeJob {
					return true
				}
				now := time.Now()
				var j events.JobEvent
				if json.Unmarshal(data, &j) != nil {
					return true
				}
				if t, ok := broker.at(key(j)); ok {
					samples <- sample{d: now.Sub(t), end: j.Status.Terminal()}
				}
				return !j.Status.Terminal()
			})
		}()
	}
	req, _ := http.NewRequestWithContext(ctx, "POST", base+"/jobs", strings.NewReader(`{"options":{"publish_type":"full"}}`))
	req.Header.Set("Authorization", "Bearer "+token)
	t0 := time.Now()
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		return err
	}
	resp.Body.Close()
	if resp.StatusCode != http.StatusCreated {
		return fmt.Errorf("POST /jobs: %s", resp.Status)
	}
	done := make(chan struct{})
	go func() { wg.Wait(); close(done) }()
	select {
	case <-done:
	case <-time.After(10 * time.Minute):
		return errors.New("the job did not end within 10 minutes")
	}
	elapsed := time.Since(t0)
	close(samples)
	var ds []time.Duration
	ends := 0
	for s := range samples {
		ds = append(ds, s.d)
		if s.end {
			ends++
		}
	}
	if len(ds) == 0 || ends != nClients {
		return fmt.Errorf("%d samples, %d of %d clients saw the end", len(ds), ends, nClients)
	}
	slices.Sort(ds)
	q := func(p float64) time.Duration { return ds[min(len(ds)-1, int(p*float64(len(ds))))] }
	fmt.Printf("events: %d streams, publish job of %d assets (%d-asset batches) in %s: %d job events received\n",
		nClients, nAssets, batch, elapsed.Round(time.Millisecond), len(ds))
	fmt.Printf("events: change to receipt p50 %s  p99 %s  max %s (target p99 < 100ms)\n",
		q(0.50).Round(10*time.Microsecond), q(0.99).Round(10*time.Microsecond), ds[len(ds)-1].Round(10*time.Microsecond))
	if la, err := os.ReadFile("/proc/loadavg"); err == nil { // latencies on a busy machine are scheduling delays
		fmt.Printf("events: load average %s", la)
	}
	return nil
}

// read calls fn for each job event read from r until fn returns false.
// Other events (the asset events of each batch, kilobytes each) are
// skipped without copying their data: the clients share the CPU with the
// server they measure.
func read(r io.Reader, fn func(typ string, data []byte) bool) {
	sc := bufio.NewScanner(r)
	sc.Buffer(make([]byte, 64<<10), 1<<20)
	var typ string
	var data []byte
	for sc.Scan() {
		line := sc.Bytes()
		switch {
		case len(line) == 0:
			if typ != "" && !fn(typ, data) {
				return
			}
			typ, data = "", nil
		case bytes.HasPrefix(line, []byte("event: ")):
			typ = string(line[7:])
		case bytes.HasPrefix(line, []byte("data: ")) && typ == events.TypeJob:
			data = append(data[:0], line[6:]...)
		}
	}
}

// seed makes company bench (instant publish off) with n images marked for
// publishing and returns its admin's token.
func seed(ctx context.Context, db *sqlstore.DB, n int) (string, error) {
	c, err := db.CreateCompany(ctx, "bench", "")
	if err != nil {
		return "", err
	}
	if _, err := db.UpdateSettings(ctx, c.ID, []byte(`{"instant_publish":false}`)); err != nil {
		return "", err
	}
	u, err := db.CreateUser(ctx, "bench", false)
	if err != nil {
		return "", err
	}
	if err := db.SetMembership(ctx, u.ID, c.ID, vitrine.RoleAdmin); err != nil {
		return "", err
	}
	p, err := db.Principal(ctx, u, c.RootID)
	if err != nil {
		return "", err
	}
	for first := 0; first < n; first += 500 {
		var files []vitrine.NewFile
		for i := first; i < min(n, first+500); i++ {
			files = append(files, vitrine.NewFile{Filename: fmt.Sprintf("img%06d.jpg", i), Type: vitrine.TypeImage, Format: "jpeg",
				MIME: "image/jpeg", Ext: "jpg", Width: 10, Height: 10, SHA256: fmt.Sprintf("%064x", i+1), Size: 100})
		}
		if _, err := db.Ingest(ctx, p, files, vitrine.UploadOptions{}); err != nil {
			return "", err
		}
	}
	return db.CreateToken(ctx, u.ID, "bench", "")
}
