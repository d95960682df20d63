package edge

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"net/url"
	"slices"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/vitrine/vitrine"
)

// PurgerConfig configures a Purger: the edges to reach and how hard to try.
type PurgerConfig struct {
	// Edges are the edges' base URLs, e.g. http://edge-1.internal:8081.
	Edges []string
	// Secret is the purge secret the edges were started with.
	Secret []byte
	// Timeout bounds one attempt on one edge. Default 5 s.
	Timeout time.Duration
	// Attempts is how often a purge is tried on an edge. Default 3.
	Attempts int
	// Backoff is the wait before the second attempt, doubled after each.
	// Default 200 ms.
	Backoff time.Duration
	// CatchUpInterval is how often Start's loop runs RunOnce. Default 15 s.
	CatchUpInterval time.Duration
	// Client sends the requests. Nil means a client with Timeout.
	Client *http.Client
	// Now is the clock signatures are dated with. Nil means time.Now.
	Now func() time.Time
}

// Purger is the origin's side of invalidation: it sends each purge to
// every edge at once and reports who confirmed. An edge that misses a
// purge (down, unreachable, failing) is remembered; once it answers its
// health check again, RunOnce drops its whole cache, since the edge cannot
// know which purges it missed.
type Purger struct {
	cfg PurgerConfig
	log *slog.Logger

	mu     sync.Mutex
	missed map[string]uint64 // edge → sequence number of the last purge it missed
	seq    uint64

	loopMu sync.Mutex
	cancel context.CancelFunc // of the running loop, nil if none
	done   chan struct{}      // closed when the loop has returned
}

// NewPurger checks cfg and fills in its defaults.
func NewPurger(cfg PurgerConfig, log *slog.Logger) (*Purger, error) {
	if len(cfg.Secret) < 16 {
		return nil, vitrine.Errorf(vitrine.EINVALID, "edge purger: the purge secret must be at least 16 bytes")
	}
	edges := make([]string, 0, len(cfg.Edges))
	for _, e := range cfg.Edges {
		u, err := url.Parse(e)
		if err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" {
			return nil, vitrine.Errorf(vitrine.EINVALID, "edge purger: bad edge URL %q", e)
		}
		edges = append(edges, strings.TrimRight(e, "/"))
	}
	cfg.Edges = edges
	if cfg.Timeout <= 0 {
		cfg.Timeout = 5 * time.Second
	}
	if cfg.Attempts <= 0 {
		cfg.Attempts = 3
	}
	if cfg.Backoff <= 0 {
		cfg.Backoff = 200 * time.Millisecond
	}
	if cfg.CatchUpInterval <= 0 {
		cfg.CatchUpInterval = 15 * time.Second
	}
	if cfg.Client == nil {
		cfg.Client = &http.Client{Timeout: cfg.Timeout}
	}
	if cfg.Now == nil {
		cfg.Now = time.Now
	}
	if log == nil {
		log = slog.New(slog.DiscardHandler)
	}
	return &Purger{cfg: cfg, log: log, missed: map[string]uint64{}}, nil
}

// Purge sends req to every edge concurrently, retrying each a few times,
// and returns one result per edge, in the configured order.
func (p *Purger) Purge(ctx context.Context, req PurgeRequest) PurgeReport {
	report := PurgeReport{ID: req.ID, Results: make([]EdgeResult, len(p.cfg.Edges))}
	body, err := json.Marshal(req)
	if err == nil {
		err = req.Validate()
	}
	if err != nil {
		for i, e := range p.cfg.Edges {
			report.Results[i] = EdgeResult{Edge: e, Error: err.Error()}
		}
		return report
	}
	p.mu.Lock()
	p.seq++
	seq := p.seq
	p.mu.Unlock()

	var wg sync.WaitGroup
	for i, e := range p.cfg.Edges {
		wg.Go(func() { report.Results[i] = p.send(ctx, e, req.ID, body) })
	}
	wg.Wait()

	for _, r := range report.Results {
		if !r.OK {
			p.log.Warn("edge purger: edge did not confirm", "edge", r.Edge, "id", req.ID, "err", r.Error)
			p.mu.Lock()
			p.missed[r.Edge] = seq
			p.mu.Unlock()
		}
	}
	return report
}

// Pending lists the edges waiting for a catch-up purge.
func (p *Purger) Pending() []string {
	p.mu.Lock()
	defer p.mu.Unlock()
	out := make([]string, 0, len(p.missed))
	for e := range p.missed {
		out = append(out, e)
	}
	slices.Sort(out)
	return out
}

// RunOnce checks the health of every edge that missed a purge and sends
// the healthy ones a purge of everything. It returns one result per
// pending edge; an edge stays pending until its catch-up is confirmed.
func (p *Purger) RunOnce(ctx context.Context) PurgeReport {
	p.mu.Lock()
	pending := make(map[string]uint64, len(p.missed))
	for e, seq := range p.missed {
		pending[e] = seq
	}
	p.mu.Unlock()

	req := PurgeRequest{ID: "catch-up-" + strconv.FormatInt(p.cfg.Now().UnixNano(), 36), All: true}
	body, _ := json.Marshal(req)
	edges := make([]string, 0, len(pending))
	for e := range pending {
		edges = append(edges, e)
	}
	slices.Sort(edges)
	report := PurgeReport{ID: req.ID, Results: make([]EdgeResult, len(edges))}
	var wg sync.WaitGroup
	for i, e := range edges {
		wg.Go(func() {
			if err := p.health(ctx, e); err != nil {
				report.Results[i] = EdgeResult{Edge: e, Error: err.Error()}
				return
			}
			report.Results[i] = p.send(ctx, e, req.ID, body)
		})
	}
	wg.Wait()
	for _, r := range report.Results {
		if !r.OK {
			continue
		}
		p.log.Info("edge purger: edge caught up", "edge", r.Edge, "dropped", r.Purged)
		p.mu.Lock()
		// A purge it missed while the catch-up ran keeps it pending.
		if p.missed[r.Edge] == pending[r.Edge] {
			delete(p.missed, r.Edge)
		}
		p.mu.Unlock()
	}
	return report
}

// Start runs RunOnce every CatchUpInterval until Stop or ctx ends.
func (p *Purger) Start(ctx context.Context) error {
	p.loopMu.Lock()
	defer p.loopMu.Unlock()
	if p.cancel != nil {
		return errors.New("edge purger: already started")
	}
	ctx, p.cancel = context.WithCancel(ctx)
	p.done = make(chan struct{})
	go func() {
		defer close(p.done)
		t := time.NewTicker(p.cfg.CatchUpInterval)
		defer t.Stop()
		for {
			select {
			case <-ctx.Done():
				return
			case <-t.C:
				p.RunOnce(ctx)
			}
		}
	}()
	return nil
}

// Stop ends the loop Start began and waits for it to return.
func (p *Purger) Stop() {
	p.loopMu.Lock()
	defer p.loopMu.Unlock()
	if p.cancel == nil {
		return
	}
	p.cancel()
	<-p.done
	p.cancel, p.done = nil, nil
}

// send posts one signed purge to one edge, retrying transient failures.
func (p *Purger) send(ctx context.Context, edge, id string, body []byte) EdgeResult {
	res := EdgeResult{Edge: edge}
	start := time.Now()
	backoff := p.cfg.Backoff
	for res.Attempts < p.cfg.Attempts {
		res.Attempts++
		purged, err := p.post(ctx, edge, id, body)
		if err == nil {
			res.OK, res.Purged, res.Error = true, purged, ""
			break
		}
		res.Error = err.Error()
		var perm permanentError
		if errors.As(err, &perm) || res.Attempts == p.cfg.Attempts {
			break
		}
		t := time.NewTimer(backoff)
		select {
		case <-ctx.Done():
			t.Stop()
			res.Error = ctx.Err().Error()
			res.Latency = time.Since(start)
			return res
		case <-t.C:
		}
		backoff *= 2
	}
	res.Latency = time.Since(start)
	return res
}

// permanentError is an answer that retrying will not change (a bad
// signature or request).
type permanentError struct{ error }

func (p *Purger) post(ctx context.Context, edge, id string, body []byte) (int, error) {
	ctx, cancel := context.WithTimeout(ctx, p.cfg.Timeout)
	defer cancel()
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, edge+"/_edge/purge", bytes.NewReader(body))
	if err != nil {
		return 0, permanentError{err}
	}
	ts, sig := Sign(p.cfg.Secret, p.cfg.Now(), body)
	req.Header.Set("Content-Type", "application/json")
	req.Header.Set(HeaderTimestamp, ts)
	req.Header.Set(HeaderSignature, sig)
	resp, err := p.cfg.Client.Do(req)
	if err != nil {
		return 0, err
	}
	defer resp.Body.Close()
	data, err := io.ReadAll(io.LimitReader(resp.Body, 64<<10))
	if err != nil {
		return 0, err
	}
	if resp.StatusCode != http.StatusOK {
		err := fmt.Errorf("edge answered %s: %s", resp.Status, strings.TrimSpace(string(data)))
		if resp.StatusCode == http.StatusUnauthorized || resp.StatusCode == http.StatusBadRequest {
			return 0, permanentError{err}
		}
		return 0, err
	}
	var out PurgeResponse
	if err := json.Unmarshal(data, &out); err != nil || out.ID != id {
		return 0, fmt.Errorf("edge answered 200 without confirming purge %q", id)
	}
	return out.Purged, nil
}

// health asks an edge whether it is up.
func (p *Purger) health(ctx context.Context, edge string) error {
	ctx, cancel := context.WithTimeout(ctx, p.cfg.Timeout)
	defer cancel()
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, edge+"/_edge/health", nil)
	if err != nil {
		return err
	}
	resp, err := p.cfg.Client.Do(req)
	if err != nil {
		return err
	}
	defer resp.Body.Close()
	io.Copy(io.Discard, io.LimitReader(resp.Body, 4<<10))
	if resp.StatusCode != http.StatusOK {
		return fmt.Errorf("health check answered %s", resp.Status)
	}
	return nil
}
