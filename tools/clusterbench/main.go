// Command clusterbench measures several `vitrine serve` nodes on one
// PostgreSQL database (issue 16):
//
//   - publish-to-visible: a publish or unpublish made through node A, and
//     the time until nodes B and C both answer accordingly (p50, p99);
//   - cached delivery through a round-robin proxy in front of 1 node and
//     of 3 nodes, interleaved, the same cached rendition, the same load;
//     and in front of 3 lone nodes: the same three processes' worth, each
//     on a database schema and blob directory of its own (no notifications
//     between them, nothing shared), so that 3 nodes ÷ 3 lone nodes is
//     what coordination costs, apart from what three processes cost on
//     these cores.
//
// On a 2-core machine three nodes cannot serve more than one: the question
// is whether coordination costs anything (target ≥ 0.95× of one node).
// The single node is a fourth process of its own, with Go's default
// GOMAXPROCS (every core), as one node alone on the box would run; each of
// the three gets its share of the cores (-procs, by default cores/3, at
// least 1), as docs/operations.md tells an operator running several nodes
// on one box to set (the lone nodes too). All seven run through every
// measurement, so each configuration carries the same idle neighbours, and
// the order of the three configurations turns with each repetition.
// -procs 0 gives the three (and the lone three) Go's default too, for
// comparison.
//
//	go build -o vitrine ./cmd/vitrine && go run ./tools/clusterbench -vitrine ./vitrine -db "$VITRINE_TEST_POSTGRES"
package main

import (
	"bytes"
	"context"
	"crypto/rand"
	"database/sql"
	"encoding/hex"
	"encoding/json"
	"flag"
	"fmt"
	"io"
	"log"
	"mime/multipart"
	"net/http"
	"net/http/httputil"
	"net/url"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"slices"
	"sync/atomic"
	"time"

	_ "github.com/jackc/pgx/v5/stdlib"

	"github.com/vitrine/vitrine/tools/internal/benchutil"
)

const token = "vtr_clusterbench_token_0123456789"

func main() {
	bin := flag.String("vitrine", "./vitrine", "the vitrine binary")
	dsn := flag.String("db", os.Getenv("VITRINE_TEST_POSTGRES"), "PostgreSQL DSN (a schema of its own is made in it)")
	rounds := flag.Int("rounds", 100, "publish-to-visible rounds")
	reqs := flag.Int("n", 20000, "requests per delivery run")
	conc := flag.Int("c", 16, "concurrent clients for delivery")
	reps := flag.Int("reps", 3, "interleaved repetitions of 1 node, 3 nodes and 3 lone nodes")
	procs := flag.Int("procs", max(1, runtime.NumCPU()/3), "GOMAXPROCS of each of the 3 nodes (0: Go's default, every core)")
	flag.Parse()
	if *dsn == "" {
		log.Fatal("clusterbench: -db (or VITRINE_TEST_POSTGRES) is required")
	}
	db, cleanup, err := freshSchema(*dsn)
	if err != nil {
		log.Fatal(err)
	}
	defer cleanup()
	work, err := os.MkdirTemp("", "clusterbench")
	if err != nil {
		log.Fatal(err)
	}
	defer os.RemoveAll(work)
	blobs := "file://" + filepath.Join(work, "blobs")
	var nodes []string
	var pids []int
	for i := range 3 {
		base, pid, stop, err := start(*bin, filepath.Join(work, fmt.Sprint("node", i)), db, blobs, *procs)
		if err != nil {
			log.Fatal(err)
		}
		defer stop()
		nodes = append(nodes, base)
		pids = append(pids, pid)
	}
	solo, soloPID, soloStop, err := start(*bin, filepath.Join(work, "solo"), db, blobs, 0)
	if err != nil {
		log.Fatal(err)
	}
	defer soloStop()
	pids = append(pids, soloPID)
	var lone []string
	for i := range 3 {
		ldb, lcleanup, err := freshSchema(*dsn)
		if err != nil {
			log.Fatal(err)
		}
		defer lcleanup()
		dir := filepath.Join(work, fmt.Sprint("lone", i))
		base, pid, stop, err := start(*bin, dir, ldb, "file://"+filepath.Join(dir, "blobs"), *procs)
		if err != nil {
			log.Fatal(err)
		}
		defer stop()
		lone = append(lone, base)
		pids = append(pids, pid)
	}
	pg, err := sql.Open("pgx", db)
	if err != nil {
		log.Fatal(err)
	}
	defer pg.Close()
	cpu := func() cpuParts { return clusterCPU(pg, pids) }
	photo := benchutil.Photo(1200, 800)
	for _, n := range append([]string{nodes[0]}, lone...) {
		if err := upload(n, "shoe", photo); err != nil {
			log.Fatal(err)
		}
		if err := publication(n, "publish"); err != nil {
			log.Fatal(err)
		}
	}

	// Publish-to-visible: alternate unpublish and publish through node 0,
	// and wait until nodes 1 and 2 both answer the new state.
	var lat []time.Duration
	for i := range *rounds {
		action, want := "unpublish", http.StatusForbidden
		if i%2 == 1 {
			action, want = "publish", http.StatusOK
		}
		began := time.Now()
		if err := publication(nodes[0], action); err != nil {
			log.Fatal(err)
		}
		for _, n := range nodes[1:] {
			for status(n+"/is/image/demo/shoe?wid=40") != want {
				if time.Since(began) > 30*time.Second {
					log.Fatalf("%s: still not %d 30 s after %s", n, want, action)
				}
			}
		}
		lat = append(lat, time.Since(began))
	}
	slices.Sort(lat)
	fmt.Printf("publish-to-visible on the other two nodes, %d changes: p50 %.1f ms, p99 %.1f ms, max %.1f ms (target p99 < 100 ms)\n",
		len(lat), ms(lat[len(lat)/2]), ms(lat[(len(lat)-1)*99/100]), ms(lat[len(lat)-1]))

	// Cached delivery through a round-robin proxy: 1 node, 3 nodes, 3 lone
	// nodes.
	if *rounds%2 == 1 { // leave the asset published
		if err := publication(nodes[0], "publish"); err != nil {
			log.Fatal(err)
		}
	}
	path := "/is/image/demo/shoe?wid=300"
	for _, n := range slices.Concat([]string{solo}, nodes, lone) { // warm every node's rendition cache
		if st := status(n + path); st != 200 {
			log.Fatalf("%s%s = %d", n, path, st)
		}
	}
	one, oneStop, err := proxy([]string{solo})
	if err != nil {
		log.Fatal(err)
	}
	defer oneStop()
	three, threeStop, err := proxy(nodes)
	if err != nil {
		log.Fatal(err)
	}
	defer threeStop()
	apart, apartStop, err := proxy(lone)
	if err != nil {
		log.Fatal(err)
	}
	defer apartStop()
	configs := []string{one, three, apart}
	names := []string{"1 node", "3 nodes", "3 lone nodes"}
	client := &http.Client{Transport: &http.Transport{MaxIdleConnsPerHost: *conc}}
	get := func(base string) func() error {
		return func() error {
			resp, err := client.Get(base + path)
			if err != nil {
				return err
			}
			io.Copy(io.Discard, resp.Body)
			resp.Body.Close()
			if resp.StatusCode != 200 {
				return fmt.Errorf("status %d", resp.StatusCode)
			}
			return nil
		}
	}
	// One discarded run per configuration first: the proxy's connections
	// to each node and each node's memoised rendition head are made then,
	// not inside the first measured repetition.
	for _, base := range configs {
		if res := benchutil.Measure(*reqs/4, *conc, get(base)); res.Errs > 0 {
			log.Fatalf("warm-up through %s: %s", base, res)
		}
	}
	// What the cluster costs when nothing happens: every node's background
	// work (the change notifier, the job engine's polling and leadership)
	// and the database's, over an idle window.
	idleFrom, idleWall := cpu(), time.Now()
	time.Sleep(3 * time.Second) // the measured window, not a synchronisation
	idle := cpu().sub(idleFrom)
	idleWin := time.Since(idleWall)
	var rates [3][]float64
	var perReq [3][4][]float64 // total, nodes, database, proxy and load
	for r := range *reps {
		for j := range configs {
			k := (j + r) % len(configs) // each configuration first in turn
			base := configs[k]
			before := cpu()
			res := benchutil.Measure(*reqs, *conc, get(base))
			us := cpu().sub(before).perRequest(*reqs)
			rates[k] = append(rates[k], res.Rate)
			for i, v := range us {
				perReq[k][i] = append(perReq[k][i], v)
			}
			fmt.Printf("rep %d, %s behind the proxy, c=%d: %s, CPU %.0f µs/request (nodes %.0f, database %.1f, proxy and load %.0f)\n",
				r+1, names[k], *conc, res, us[0], us[1], us[2], us[3])
		}
	}
	m1, m3, ml := median(rates[0]), median(rates[1]), median(rates[2])
	fmt.Printf("cached delivery, median of %d: 1 node %.0f/s, 3 nodes (GOMAXPROCS %s each) %.0f/s, ratio %.2f (target ≥ 0.95; %d cores cannot scale out)\n",
		*reps, m1, procsName(*procs), m3, m3/m1, runtime.NumCPU())
	fmt.Printf("coordination: 3 nodes %.0f/s, 3 lone nodes (nothing shared) %.0f/s, ratio %.2f; 3 lone nodes ÷ 1 node %.2f (what three processes cost here)\n",
		m3, ml, m3/ml, ml/m1)
	med := func(k, i int) float64 { return median(perReq[k][i]) }
	for k, name := range names {
		fmt.Printf("CPU per request, medians, %s: %.0f µs (nodes %.0f, database %.1f, proxy and load %.0f)\n",
			name, med(k, 0), med(k, 1), med(k, 2), med(k, 3))
	}
	pct := func(d time.Duration) float64 { return 100 * float64(d) / float64(idleWin) }
	fmt.Printf("idle, over %.1f s: the %d nodes %.1f%% of a core together, the database %.1f%%\n",
		idleWin.Seconds(), len(pids), pct(idle.nodes), pct(idle.db))
	if b, err := os.ReadFile("/proc/loadavg"); err == nil {
		fmt.Printf("load average: %s", b)
	}
}

func ms(d time.Duration) float64 { return float64(d) / 1e6 }

func median(v []float64) float64 {
	s := slices.Clone(v)
	slices.Sort(s)
	return s[len(s)/2]
}

// freshSchema makes a schema of its own in the database and returns a DSN
// whose search_path is it, and a function that drops it.
func freshSchema(dsn string) (string, func(), error) {
	b := make([]byte, 6)
	rand.Read(b)
	schema := "clusterbench_" + hex.EncodeToString(b)
	admin, err := sql.Open("pgx", dsn)
	if err != nil {
		return "", nil, err
	}
	if _, err := admin.Exec("CREATE SCHEMA " + schema); err != nil {
		admin.Close()
		return "", nil, fmt.Errorf("create schema: %w", err)
	}
	u, err := url.Parse(dsn)
	if err != nil {
		admin.Close()
		return "", nil, err
	}
	q := u.Query()
	q.Set("search_path", schema)
	u.RawQuery = q.Encode()
	return u.String(), func() { admin.Exec("DROP SCHEMA " + schema + " CASCADE"); admin.Close() }, nil
}

func procsName(n int) string {
	if n <= 0 {
		return "default"
	}
	return fmt.Sprint(n)
}

// start runs `vitrine serve` on PostgreSQL and the shared blob store, with
// GOMAXPROCS procs (0: Go's default).
func start(bin, data, db, blobs string, procs int) (string, int, func(), error) {
	addr, err := benchutil.FreeAddr()
	if err != nil {
		return "", 0, nil, err
	}
	cmd := exec.Command(bin, "serve", "--data", data, "--addr", addr, "--db", db, "--blobs", blobs)
	cmd.Env = append(os.Environ(), "VITRINE_ADMIN_TOKEN="+token)
	if procs > 0 {
		cmd.Env = append(cmd.Env, fmt.Sprint("GOMAXPROCS=", procs))
	}
	// Its log (one line per request) is not kept.
	if err := cmd.Start(); err != nil {
		return "", 0, nil, err
	}
	stop := func() { cmd.Process.Signal(os.Interrupt); cmd.Wait() }
	base := "http://" + addr
	if err := benchutil.WaitHealthy(base); err != nil {
		stop()
		return "", 0, nil, err
	}
	return base, cmd.Process.Pid, stop, nil
}

// cpuParts is the CPU time used so far by the nodes, by PostgreSQL's
// backends serving the database (read from /proc, so a server on this
// machine), and by this process (the proxy and the load).
type cpuParts struct{ nodes, db, bench time.Duration }

func clusterCPU(pg *sql.DB, pids []int) cpuParts {
	t := cpuParts{bench: benchutil.SelfCPU()}
	for _, p := range pids {
		t.nodes += benchutil.ProcCPU(p)
	}
	t.db = benchutil.DatabaseCPU(context.Background(), pg)
	return t
}

func (t cpuParts) sub(u cpuParts) cpuParts {
	return cpuParts{t.nodes - u.nodes, t.db - u.db, t.bench - u.bench}
}

func (t cpuParts) total() time.Duration { return t.nodes + t.db + t.bench }

// perRequest is each part in µs per request.
func (t cpuParts) perRequest(n int) [4]float64 {
	us := func(d time.Duration) float64 { return float64(d) / float64(time.Microsecond) / float64(n) }
	return [4]float64{us(t.total()), us(t.nodes), us(t.db), us(t.bench)}
}

// proxy is a round-robin reverse proxy in front of backends.
func proxy(backends []string) (string, func(), error) {
	var proxies []*httputil.ReverseProxy
	for _, b := range backends {
		u, err := url.Parse(b)
		if err != nil {
			return "", nil, err
		}
		p := httputil.NewSingleHostReverseProxy(u)
		p.Transport = &http.Transport{MaxIdleConnsPerHost: 64}
		proxies = append(proxies, p)
	}
	var next atomic.Uint64
	addr, err := benchutil.FreeAddr()
	if err != nil {
		return "", nil, err
	}
	srv := &http.Server{Addr: addr, Handler: http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		proxies[next.Add(1)%uint64(len(proxies))].ServeHTTP(w, r)
	})}
	go srv.ListenAndServe()
	base := "http://" + addr
	if err := benchutil.WaitHealthy(base); err != nil {
		return "", nil, err
	}
	return base, func() { srv.Close() }, nil
}

func status(u string) int {
	resp, err := http.Get(u)
	if err != nil {
		return 0
	}
	io.Copy(io.Discard, resp.Body)
	resp.Body.Close()
	return resp.StatusCode
}

func upload(base, name string, data []byte) error {
	var buf bytes.Buffer
	mw := multipart.NewWriter(&buf)
	mw.WriteField("folder", "/bench")
	w, _ := mw.CreateFormFile("file", name+".jpg")
	w.Write(data)
	mw.Close()
	req, _ := http.NewRequest("POST", base+"/api/v1/companies/demo/assets", &buf)
	req.Header.Set("Authorization", "Bearer "+token)
	req.Header.Set("Content-Type", mw.FormDataContentType())
	return do(req, http.StatusCreated)
}

func publication(base, action string) error {
	b, _ := json.Marshal(map[string]any{"action": action, "assets": []string{"shoe"}})
	req, _ := http.NewRequest("POST", base+"/api/v1/companies/demo/publication", bytes.NewReader(b))
	req.Header.Set("Authorization", "Bearer "+token)
	req.Header.Set("Content-Type", "application/json")
	return do(req, http.StatusOK)
}

func do(req *http.Request, want int) error {
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		return err
	}
	defer resp.Body.Close()
	if resp.StatusCode != want {
		b, _ := io.ReadAll(resp.Body)
		return fmt.Errorf("%s %s = %d %s", req.Method, req.URL.Path, resp.StatusCode, b)
	}
	return nil
}
