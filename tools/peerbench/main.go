// Command peerbench measures Vitrine next to its peers in one run, as
// `make bench-peers` runs it (issue 17): cold renders over HTTP next to a
// bare libvips thumbnail+save loop in this process (the floor), cached hits
// at the origin and through `vitrine edge` next to nginx serving the same
// bytes, and CLI ingest next to `cp -r`. Each pair is measured A/B/A/B,
// reps times, and the table shows medians and ratios with the machine's
// load average, since the machine is shared.
package main

import (
	"bytes"
	"context"
	"crypto/sha256"
	"errors"
	"flag"
	"fmt"
	"hash"
	"image"
	"image/png"
	"io"
	"math"
	"math/rand/v2"
	"mime/multipart"
	"net/http"
	"os"
	"os/exec"
	"os/signal"
	"path/filepath"
	"runtime"
	"slices"
	"strconv"
	"strings"
	"sync/atomic"
	"syscall"
	"time"

	"github.com/davidbyttow/govips/v2/vips"
	"golang.org/x/sys/unix"

	"github.com/vitrine/vitrine/tools/internal/benchutil"
)

func main() {
	bin := flag.String("vitrine", "./vitrine", "the vitrine binary")
	reps := flag.Int("reps", 3, "interleaved repetitions of each pair")
	n := flag.Int("n", 30, "cold renders per cell")
	hitDur := flag.Duration("hit-d", 3*time.Second, "duration of each hit cell")
	hitConc := flag.Int("hit-c", 16, "hit concurrency")
	nginxWorkers := flag.Int("nginx-workers", 1, "hits: nginx's worker processes")
	files := flag.Int("files", 200, "ingest: number of 2 MB files (new ones each repetition)")
	only := flag.String("only", "", "run only the parts named (cold,hits,ingest), comma separated")
	clientProcs := flag.Int("client-procs", 0, "GOMAXPROCS of this process, the load generator (0: Go's default); the servers keep theirs")
	pin := flag.Bool("pin", false, "run this process (the load generator and the clients it starts) on the last core and the servers on the others")
	flag.Parse()
	if *pin && os.Getenv(serverCPUsEnv) == "" {
		os.Exit(runPinned())
	}
	if *clientProcs > 0 {
		// Set here rather than through the environment, which the servers
		// it starts would inherit.
		runtime.GOMAXPROCS(*clientProcs)
	}
	// Interrupted, the servers it started are stopped too.
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	if *nginxWorkers < 1 {
		fmt.Fprintln(os.Stderr, "peerbench: -nginx-workers must be at least 1")
		os.Exit(2)
	}
	b := &bench{ctx: ctx, bin: *bin, reps: *reps, n: *n, hitDur: *hitDur, hitConc: *hitConc, files: *files,
		nginxWorkers: *nginxWorkers, serverCPUs: os.Getenv(serverCPUsEnv)}
	if err := b.run(*only); err != nil {
		fmt.Fprintln(os.Stderr, "peerbench:", err)
		stop()
		os.Exit(1)
	}
}

type bench struct {
	ctx                 context.Context
	bin                 string
	reps, n, hitConc    int
	files               int
	nginxWorkers        int
	serverCPUs          string // -pin: the cores the servers run on (taskset's list)
	hitDur              time.Duration
	work, base, token   string
	srv                 *exec.Cmd
	client              *http.Client
	rows                []row
	busy                int64 // cold renders at c=4 answered other than 200
	loadStart, loadPeak string
	notes               []string // printed under the table (pyramid waits)
}

// row is one line of the table: Vitrine's measure next to the peer's.
type row struct {
	measure, unit string
	vitrine, peer []float64 // per repetition
	higherBetter  bool
	extra         string
}

func (b *bench) run(only string) error {
	want := func(part string) bool { return only == "" || strings.Contains(only, part) }
	var err error
	if b.work, err = os.MkdirTemp("", "vitrine-peerbench"); err != nil {
		return err
	}
	defer func() {
		if os.Getenv("PEERBENCH_KEEP") == "" {
			os.RemoveAll(b.work)
		} else {
			fmt.Println("kept", b.work)
		}
	}()
	os.Chmod(b.work, 0o755) // nginx workers run as an unprivileged user
	b.loadStart = loadavg()
	addr, err := benchutil.FreeAddr()
	if err != nil {
		return err
	}
	b.token = "vtr_peerbench_token_0123456789"
	b.srv = b.server(b.bin, "serve", "--data", filepath.Join(b.work, "data"), "--addr", addr, "--log-format", "json")
	b.srv.Env = append(os.Environ(), "VITRINE_ADMIN_TOKEN="+b.token)
	logf, err := os.Create(filepath.Join(b.work, "serve.log"))
	if err != nil {
		return err
	}
	defer logf.Close()
	b.srv.Stdout, b.srv.Stderr = logf, logf
	if err := b.srv.Start(); err != nil {
		return err
	}
	defer func() { b.srv.Process.Signal(os.Interrupt); b.srv.Wait() }()
	b.base = "http://" + addr
	if err := benchutil.WaitHealthy(b.base); err != nil {
		return err
	}
	b.client = &http.Client{Transport: &http.Transport{MaxIdleConnsPerHost: 64, DisableCompression: true}}
	vips.LoggingSettings(nil, vips.LogLevelError)
	vips.Startup(&vips.Config{ConcurrencyLevel: 1, MaxCacheMem: 0, MaxCacheSize: 0})
	defer vips.Shutdown()

	if want("cold") {
		if err := b.cold(); err != nil {
			return fmt.Errorf("cold renders: %w", err)
		}
	}
	rss := peakRSS(b.srv.Process.Pid)
	if want("hits") {
		if err := b.hits(); err != nil {
			return fmt.Errorf("hits: %w", err)
		}
	}
	if want("ingest") {
		if err := b.ingest(); err != nil {
			return fmt.Errorf("ingest: %w", err)
		}
	}
	b.print(rss)
	return nil
}

// cold measures renders of fresh URLs (id= changes the cache key, not the
// pixels) against the in-process floor at the same settings.
func (b *bench) cold() error {
	jpegSrc := benchutil.Photo(2400, 1600)
	pngSrc := encodePNG(decode(benchutil.Photo(2000, 1500)))
	webpSrc, err := toWebP(jpegSrc)
	if err != nil {
		return err
	}
	cases := []struct {
		name, asset string
		src         []byte
		query       string
		w, h        int
		out         vips.ImageType
	}{
		{"JPEG 2400x1600 → w300 JPEG", "srcjpeg.jpg", jpegSrc, "wid=300", 300, 200, vips.ImageTypeJPEG},
		{"PNG 2000x1500 → w300 PNG", "srcpng.png", pngSrc, "wid=300&fmt=png", 300, 225, vips.ImageTypePNG},
		{"WebP 2400x1600 → w300 JPEG", "srcwebp.webp", webpSrc, "wid=300", 300, 200, vips.ImageTypeJPEG},
	}
	var seq atomic.Int64
	for _, c := range cases {
		if err := b.upload(c.asset, c.src); err != nil {
			return err
		}
		id := strings.TrimSuffix(c.asset, filepath.Ext(c.asset))
		url := func() string {
			return fmt.Sprintf("%s/is/image/demo/%s?%s&id=%d", b.base, id, c.query, seq.Add(1))
		}
		floor := floorThumb(c.w, c.h, c.out)
		if err := b.awaitPyramid(c.name, url); err != nil {
			return err
		}
		for range 3 { // warm both sides
			if err := get(b.client, url()); err != nil {
				return err
			}
			if err := floor(c.src); err != nil {
				return err
			}
		}
		for _, conc := range []int{1, 2} {
			r := row{measure: fmt.Sprintf("cold %s, c=%d", c.name, conc), unit: "ms/render (p50)"}
			var rates []float64
			for range b.reps {
				v := benchutil.Measure(b.n, conc, func() error { return get(b.client, url()) })
				f := benchutil.Measure(b.n, conc, func() error { return floor(c.src) })
				r.vitrine = append(r.vitrine, ms(v.P50))
				r.peer = append(r.peer, ms(f.P50))
				rates = append(rates, v.Rate/f.Rate)
				if v.Errs+f.Errs > 0 {
					return fmt.Errorf("%s: %d errors", c.name, v.Errs+f.Errs)
				}
			}
			r.extra = fmt.Sprintf("throughput ratio %.2f×", median(rates))
			b.rows = append(b.rows, r)
			b.peakLoad()
		}
		// Not in the table: c=4, for the server's peak RSS (VmHWM).
		// A busy server may answer some of these 503 (per-company share of
		// the read slots); that is its protection, counted, not a failure.
		v := benchutil.Measure(b.n, 4, func() error { return get(b.client, url()) })
		b.busy += v.Errs
	}
	return nil
}

// hits measures one cached rendition at the origin, through an edge, and
// the same bytes from nginx.
func (b *bench) hits() error {
	url := b.base + "/is/image/demo/photo?wid=1000"
	if err := b.ensurePhoto(); err != nil {
		return err
	}
	resp, err := b.client.Get(url)
	if err != nil {
		return err
	}
	body, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	if resp.StatusCode != 200 {
		return fmt.Errorf("%s: %s", url, resp.Status)
	}
	// As for the cold rows: measured once the upload's background work
	// (the photo's pyramid, built at a lowered priority on the same two
	// cores) is done.
	if err := b.awaitPyramid("hit photo", func() string { return url }); err != nil {
		return err
	}
	// Two edges on every core (Go's default, as an operator runs it): as
	// it starts, with memory-tier hits on its event loop, and with the
	// loop turned off (a goroutine per connection, as before 2026-12-04).
	edgeURL, edgePid, stopEdge, err := b.startEdge()
	if err != nil {
		return err
	}
	defer stopEdge()
	edgeGoURL, edgeGoPid, stopEdgeGo, err := b.startEdge("--hit-loop=false")
	if err != nil {
		return err
	}
	defer stopEdgeGo()
	nginxAddr, nginxPid, stop, err := b.nginx(body)
	if err != nil {
		return err
	}
	defer stop()
	nginxURL := "http://" + nginxAddr + "/is/image/demo/photo"
	if err := awaitOK(b.client, nginxURL); err != nil {
		return err
	}
	origin := &row{measure: fmt.Sprintf("hit origin, %d KB rendition, c=%d", len(body)>>10, b.hitConc), unit: "req/s", higherBetter: true}
	viaEdge := &row{measure: fmt.Sprintf("hit via edge, c=%d", b.hitConc), unit: "req/s", higherBetter: true}
	viaEdgeGo := &row{measure: fmt.Sprintf("hit via edge, --hit-loop=false, c=%d", b.hitConc), unit: "req/s", higherBetter: true}
	servers := []hitServer{
		{url, func() []int { return []int{b.srv.Process.Pid} }, origin},
		{edgeURL, func() []int { return []int{edgePid} }, viaEdge},
		{edgeGoURL, func() []int { return []int{edgeGoPid} }, viaEdgeGo},
		{nginxURL, func() []int { return append(benchutil.ChildPids(nginxPid), nginxPid) }, nil},
	}
	peer := len(servers) - 1
	// One discarded round first, for every server alike: a freshly started
	// Go server spends its first seconds under load growing its heap and
	// taking page faults (the origin took 50-65 µs of CPU per hit in its
	// first round and 33-37 µs a minute later), which is not what a
	// running server pays.
	for _, sv := range servers {
		if _, err := hammer(sv.url, b.hitConc, b.hitDur, nil); err != nil {
			return err
		}
	}
	p99, p999, cpu := make([][]float64, len(servers)), make([][]float64, len(servers)), make([][]float64, len(servers))
	var peerRates []float64
	for rep := range b.reps {
		// The order turns with each repetition: none always runs first
		// or right after another.
		for k := range servers {
			i := (k + rep) % len(servers)
			sv := servers[i]
			var before float64
			res, err := hammer(sv.url, b.hitConc, b.hitDur, func() { before = cpuSeconds(sv.pids()) })
			if err != nil {
				return err
			}
			p99[i] = append(p99[i], ms(res.P99))
			p999[i] = append(p999[i], ms(res.P999))
			cpu[i] = append(cpu[i], (cpuSeconds(sv.pids())-before)*1e6/(res.Rate*b.hitDur.Seconds()))
			if sv.row != nil {
				sv.row.vitrine = append(sv.row.vitrine, res.Rate)
			} else {
				peerRates = append(peerRates, res.Rate)
			}
		}
		b.peakLoad()
	}
	// p99.9 beside p99: the two servers' tails differ in shape (nginx's
	// p99.9 reached 40 ms in runs where its p99 was 1.4 ms).
	for i, sv := range servers[:peer] {
		sv.row.peer = peerRates
		sv.row.extra = fmt.Sprintf("p99 %.2f ms vs nginx %.2f ms; p99.9 %.2f vs %.2f; CPU %.1f µs/hit vs nginx %.1f",
			median(p99[i]), median(p99[peer]), median(p999[i]), median(p999[peer]), median(cpu[i]), median(cpu[peer]))
		b.rows = append(b.rows, *sv.row)
	}
	if err := b.hitsAtOneRate(0.6*median(peerRates), servers); err != nil {
		return err
	}
	where := "the origin and both edges on every core (Go's default)"
	client := "the load generator is this process, on the same cores"
	if b.serverCPUs != "" {
		where = "nginx, the origin and both edges on cores " + b.serverCPUs + " (-pin)"
		client = "the load generator is this process, on the last core (with the clients it starts)"
	}
	if n := runtime.GOMAXPROCS(0); n < runtime.NumCPU() {
		client += fmt.Sprintf(", on %d thread(s) (-client-procs)", n)
	}
	b.notes = append(b.notes, fmt.Sprintf("hits: nginx with %d worker(s); %s, the first edge as it starts (memory-tier hits on its event loop), the second with --hit-loop=false; %s", b.nginxWorkers, where, client))
	return nil
}

// hitServer is one server the hit rows measure; the last of a list is
// the peer (nginx).
type hitServer struct {
	url  string
	pids func() []int // CPU time per request from /proc: steadier than the rates when other work shares the machine
	row  *row         // nil: the peer
}

// hitsAtOneRate measures each server's latency at one request rate (open
// loop, hammerAt), interleaved, b.reps times, and adds a row per server
// with its p99 against the peer's (the last).
func (b *bench) hitsAtOneRate(rate float64, servers []hitServer) error {
	p50, p99 := make([][]float64, len(servers)), make([][]float64, len(servers))
	for rep := range b.reps {
		for k := range servers {
			i := (k + rep) % len(servers)
			res, err := hammerAt(servers[i].url, b.hitConc, b.hitDur, rate, nil)
			if err != nil {
				return err
			}
			p50[i], p99[i] = append(p50[i], ms(res.P50)), append(p99[i], ms(res.P99))
		}
		b.peakLoad()
	}
	peer := len(servers) - 1
	for i, sv := range servers[:peer] {
		b.rows = append(b.rows, row{measure: fmt.Sprintf("%s, p99 at %.0f req/s", sv.row.measure, rate), unit: "ms", vitrine: p99[i], peer: p99[peer],
			extra: fmt.Sprintf("p50 %.2f ms vs nginx %.2f ms", median(p50[i]), median(p50[peer]))})
	}
	b.notes = append(b.notes, fmt.Sprintf("hits at one rate: %.0f req/s (0.6× nginx's closed-loop median: a load every server and the paced client, whose timers cost CPU too, keep up with) over the same %d connections, paced; latency counted from each request's scheduled time", rate, b.hitConc))
	return nil
}

// startEdge starts a `vitrine edge` with flags in front of the origin, on
// every core, and returns the photo's URL through it, its pid and what
// stops it.
func (b *bench) startEdge(flags ...string) (string, int, func(), error) {
	addr, err := benchutil.FreeAddr()
	if err != nil {
		return "", 0, nil, err
	}
	edge := b.server(b.bin, append([]string{"edge", "--origin", b.base, "--addr", addr, "--purge-secret", "peerbench-purge-secret-0123456789"}, flags...)...)
	edge.Stdout, edge.Stderr = io.Discard, os.Stderr
	// Go's default, whatever GOMAXPROCS this process runs with.
	edge.Env = slices.DeleteFunc(os.Environ(), func(kv string) bool { return strings.HasPrefix(kv, "GOMAXPROCS=") })
	if err := edge.Start(); err != nil {
		return "", 0, nil, err
	}
	stop := func() { edge.Process.Signal(os.Interrupt); edge.Wait() }
	u := "http://" + addr + "/is/image/demo/photo?wid=1000"
	if err := awaitOK(b.client, u); err != nil {
		stop()
		return "", 0, nil, err
	}
	return u, edge.Process.Pid, stop, nil
}

func (b *bench) ensurePhoto() error {
	resp, err := b.client.Get(b.base + "/is/image/demo/photo?req=exists")
	if err != nil {
		return err
	}
	body, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	if bytes.Contains(body, []byte("=1")) {
		return nil
	}
	return b.upload("photo.jpg", benchutil.Photo(2400, 1600))
}

// nginx serves body at /is/image/demo/photo with b.nginxWorkers workers
// (one unless -nginx-workers says otherwise) and sendfile,
// and returns its address and its master's pid.
func (b *bench) nginx(body []byte) (string, int, func(), error) {
	dir := filepath.Join(b.work, "nginx")
	root := filepath.Join(dir, "root", "is", "image", "demo")
	if err := os.MkdirAll(root, 0o755); err != nil {
		return "", 0, nil, err
	}
	if err := os.WriteFile(filepath.Join(root, "photo"), body, 0o644); err != nil {
		return "", 0, nil, err
	}
	addr, err := benchutil.FreeAddr()
	if err != nil {
		return "", 0, nil, err
	}
	http := fmt.Sprintf(`	sendfile on;
	tcp_nopush on;
	keepalive_requests 1000000;
	default_type image/jpeg;
	server {
		listen %[2]s;
		root %[1]s/root;
		location / { add_header Cache-Control "public, max-age=36000"; }
	}
`, dir, addr)
	for _, d := range []string{dir, filepath.Join(dir, "root"), filepath.Join(dir, "root", "is"), filepath.Join(dir, "root", "is", "image")} {
		os.Chmod(d, 0o755)
	}
	pid, stop, err := b.startNginx(dir, http)
	return addr, pid, stop, err
}

// nginxPut is nginx taking uploads: a PUT of /up/NAME is stored at
// root/up/NAME (its WebDAV module: the body spooled to a temporary file,
// then renamed into place), with -nginx-workers workers (one by default)
// and a 1 MB body buffer (nginx's default is 16 KB, which costs it a
// write per 16 KB). It is
// an HTTP upload with the least work a server can do: no digest, no
// catalog, no flush (peerbench flushes once at the end, as after cp -r).
func (b *bench) nginxPut() (addr, root string, stop func(), err error) {
	dir := filepath.Join(b.work, "nginx-put")
	root = filepath.Join(dir, "root")
	for _, d := range []string{dir, root, filepath.Join(dir, "body")} {
		if err := os.MkdirAll(d, 0o755); err != nil {
			return "", "", nil, err
		}
	}
	os.Chmod(dir, 0o755)
	os.Chmod(root, 0o777) // its workers run as an unprivileged user
	os.Chmod(filepath.Join(dir, "body"), 0o777)
	if addr, err = benchutil.FreeAddr(); err != nil {
		return "", "", nil, err
	}
	http := fmt.Sprintf(`	client_max_body_size 0;
	client_body_buffer_size 1m;
	client_body_temp_path %[1]s/body;
	server {
		listen %[2]s;
		root %[1]s/root;
		location /up/ { dav_methods PUT; create_full_put_path on; }
	}
`, dir, addr)
	_, stop, err = b.startNginx(dir, http)
	return addr, root, stop, err
}

// startNginx runs nginx in the foreground from dir with -nginx-workers
// workers, no access log and http as the rest of its http block (written
// to dir/nginx.conf), and returns its master's pid and its stop.
func (b *bench) startNginx(dir, http string) (int, func(), error) {
	conf := fmt.Sprintf(`worker_processes %[2]d;
pid %[1]s/nginx.pid;
error_log %[1]s/error.log;
events { worker_connections 1024; }
http {
	access_log off;
%[3]s}
`, dir, b.nginxWorkers, http)
	if err := os.WriteFile(filepath.Join(dir, "nginx.conf"), []byte(conf), 0o644); err != nil {
		return 0, nil, err
	}
	cmd := b.server("nginx", "-p", dir, "-c", filepath.Join(dir, "nginx.conf"), "-g", "daemon off;")
	cmd.Stderr = os.Stderr
	if err := cmd.Start(); err != nil {
		return 0, nil, fmt.Errorf("nginx (make bench-peers installs it): %w", err)
	}
	return cmd.Process.Pid, func() { cmd.Process.Signal(os.Interrupt); cmd.Wait() }, nil
}

// ingest uploads a directory of 2 MB JPEG-like files with the CLI, next to
// cp -r of the same directory and an in-process floor. Every repetition
// makes new files with bytes of their own and names of their own: the same
// bytes again would be blobs already stored (the server checks and keeps
// them, writing nothing), and the same names would be renamed uploads.
func (b *bench) ingest() error {
	seed := benchutil.Photo(1200, 800)
	r := row{measure: fmt.Sprintf("ingest %d × 2 MB, CLI upload vs cp -r", b.files), unit: "MB/s", higherBetter: true}
	overHTTP := row{measure: fmt.Sprintf("ingest %d × 2 MB, CLI vs nginx PUT (curl -Z)", b.files), unit: "MB/s", higherBetter: true}
	putAddr, putRoot, stopPut, err := b.nginxPut()
	if err != nil {
		return err
	}
	defer stopPut()
	if err := benchutil.WaitListening(putAddr); err != nil {
		return err
	}
	var floor []float64
	for rep := range b.reps {
		src := filepath.Join(b.work, fmt.Sprintf("ingest%d", rep))
		total, err := ingestFiles(src, seed, rep, b.files)
		if err != nil {
			return err
		}
		// timed runs f and adds its MB/s to rates.
		timed := func(rates *[]float64, f func() error) func() error {
			return func() error {
				t0 := time.Now()
				if err := f(); err != nil {
					return err
				}
				*rates = append(*rates, float64(total)/1e6/time.Since(t0).Seconds())
				return nil
			}
		}
		cpDst := filepath.Join(b.work, fmt.Sprintf("cp%d", rep))
		floorDst := filepath.Join(b.work, fmt.Sprintf("floor%d", rep))
		upload := timed(&r.vitrine, func() error {
			cmd := b.command(b.bin, "upload", src, "--folder", fmt.Sprintf("/ingest%d", rep), "--url", b.base, "--token", b.token, "--company", "demo")
			if out, err := cmd.CombinedOutput(); err != nil {
				return fmt.Errorf("vitrine upload: %w: %s", err, tail(out))
			}
			return nil
		})
		copyDir := timed(&r.peer, func() error {
			if out, err := exec.Command("cp", "-r", src, cpDst).CombinedOutput(); err != nil {
				return fmt.Errorf("cp: %w: %s", err, out)
			}
			if out, err := exec.Command("sync", "-f", cpDst).CombinedOutput(); err != nil {
				return fmt.Errorf("sync: %w: %s", err, out)
			}
			return nil
		})
		// curl sends the files 8 at a time, as vitrine upload does.
		putDst := filepath.Join(putRoot, "up")
		put := timed(&overHTTP.peer, func() error {
			args := []string{"-sS", "--fail", "-Z", "--parallel-max", "8", "-o", "/dev/null"}
			ents, err := os.ReadDir(src)
			if err != nil {
				return err
			}
			for _, e := range ents {
				args = append(args, "-T", filepath.Join(src, e.Name()), "http://"+putAddr+"/up/"+e.Name())
			}
			if out, err := b.command("curl", args...).CombinedOutput(); err != nil {
				return fmt.Errorf("curl: %w: %s", err, tail(out))
			}
			if out, err := exec.Command("sync", "-f", putRoot).CombinedOutput(); err != nil {
				return fmt.Errorf("sync: %w: %s", err, out)
			}
			return nil
		})
		floorCopy := timed(&floor, func() error {
			if err := hashCopy(src, floorDst, 4); err != nil {
				return fmt.Errorf("floor: %w", err)
			}
			return nil
		})
		// The order turns with each repetition, so that none of the steps
		// always runs first (after the files were written) or last.
		steps := []func() error{upload, copyDir, put, floorCopy}
		for i := range steps {
			err := steps[(i+rep)%len(steps)]()
			os.RemoveAll(cpDst)
			os.RemoveAll(floorDst)
			os.RemoveAll(putDst)
			if err != nil {
				return err
			}
			// The removals reach the disk before the next step is timed
			// (the volume may be mounted with discard), whichever it is.
			if out, err := exec.Command("sync", "-f", b.work).CombinedOutput(); err != nil {
				return fmt.Errorf("sync: %w: %s", err, out)
			}
		}
		os.RemoveAll(src)
		b.peakLoad()
	}
	overHTTP.vitrine = r.vitrine
	b.rows = append(b.rows, r, overHTTP)
	if b.serverCPUs != "" {
		b.notes = append(b.notes, "ingest (-pin): vitrine upload, curl, cp and the floor run on the last core with this process; vitrine serve and nginx on cores "+b.serverCPUs)
	}
	b.notes = append(b.notes, fmt.Sprintf("ingest floor: this process reading each file, hashing it (SHA-256), writing and fsyncing a copy, 4 files at a time: %.0f MB/s, %.2f× cp -r (what is left when no HTTP, no second process and no catalog are involved)",
		median(floor), median(floor)/median(r.peer)))
	return nil
}

// ingestFiles writes n distinct, valid JPEG files of 2 MB into dir, their
// bytes and names particular to rep, flushed to disk so that no writeback
// runs while they are read (from the page cache),
// and returns their total size.
func ingestFiles(dir string, seed []byte, rep, n int) (int64, error) {
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return 0, err
	}
	var total int64
	for i := range n {
		data := make([]byte, 0, 2<<20)
		data = append(data, seed[:len(seed)-2]...)
		r := rand.New(rand.NewPCG(uint64(rep), uint64(i)))
		for len(data) < 2<<20-2 {
			data = append(data, byte(r.Uint32()))
		}
		data = append(data, 0xff, 0xd9)
		if err := os.WriteFile(filepath.Join(dir, fmt.Sprintf("r%d-f%03d.jpg", rep, i)), data, 0o644); err != nil {
			return 0, err
		}
		total += int64(len(data))
	}
	if out, err := exec.Command("sync", "-f", dir).CombinedOutput(); err != nil {
		return 0, fmt.Errorf("sync: %w: %s", err, out)
	}
	return total, nil
}

// hashCopy copies the files of src into a new directory dst, par at a
// time: each read through a SHA-256, written, and flushed to disk, then
// the directory flushed: the work a durable, content-addressed ingest
// cannot avoid.
func hashCopy(src, dst string, par int) error {
	ents, err := os.ReadDir(src)
	if err != nil {
		return err
	}
	if err := os.Mkdir(dst, 0o755); err != nil {
		return err
	}
	names := make(chan string)
	errs := make(chan error, par)
	for range par {
		go func() {
			buf, h := make([]byte, 256<<10), sha256.New()
			var first error
			for name := range names {
				if first == nil {
					h.Reset()
					first = copyHashed(filepath.Join(src, name), filepath.Join(dst, name), h, buf)
				}
			}
			errs <- first
		}()
	}
	for _, e := range ents {
		names <- e.Name()
	}
	close(names)
	for range par {
		if e := <-errs; e != nil && err == nil {
			err = e
		}
	}
	if err != nil {
		return err
	}
	d, err := os.Open(dst)
	if err != nil {
		return err
	}
	defer d.Close()
	return d.Sync()
}

func copyHashed(from, to string, h hash.Hash, buf []byte) error {
	in, err := os.Open(from)
	if err != nil {
		return err
	}
	defer in.Close()
	out, err := os.Create(to)
	if err != nil {
		return err
	}
	defer out.Close()
	if _, err := io.CopyBuffer(io.MultiWriter(out, h), struct{ io.Reader }{in}, buf); err != nil {
		return err
	}
	h.Sum(nil)
	return out.Sync()
}

// server is b.command for a server: with -pin, on the servers' cores
// (taskset runs it in its own place, so its pid is the server's).
func (b *bench) server(name string, args ...string) *exec.Cmd {
	if b.serverCPUs == "" {
		return b.command(name, args...)
	}
	return b.command("taskset", append([]string{"-c", b.serverCPUs, name}, args...)...)
}

// serverCPUsEnv carries -pin's list of server cores to the pinned run.
const serverCPUsEnv = "PEERBENCH_SERVER_CPUS"

// runPinned runs peerbench again with the same arguments on the last core,
// telling it to put its servers on the others, and returns its exit code.
// A single machine cannot give the load generator a machine of its own;
// a core of its own is the next best: on shared cores a faster server also
// draws more requests, and its client more CPU, which is then taken from
// the server and shows in the measured tail.
func runPinned() int {
	var set unix.CPUSet
	if err := unix.SchedGetaffinity(0, &set); err != nil {
		fmt.Fprintln(os.Stderr, "peerbench: -pin:", err)
		return 1
	}
	var cpus []string
	for i := range 1024 {
		if set.IsSet(i) {
			cpus = append(cpus, strconv.Itoa(i))
		}
	}
	if len(cpus) < 2 {
		fmt.Fprintln(os.Stderr, "peerbench: -pin needs two cores at least")
		return 2
	}
	last := cpus[len(cpus)-1]
	cmd := exec.Command("taskset", append([]string{"-c", last, os.Args[0]}, os.Args[1:]...)...)
	cmd.Env = append(os.Environ(), serverCPUsEnv+"="+strings.Join(cpus[:len(cpus)-1], ","))
	cmd.Stdin, cmd.Stdout, cmd.Stderr = os.Stdin, os.Stdout, os.Stderr
	// The pinned run stops its servers on SIGINT or SIGTERM: pass them on
	// (a terminal's Ctrl-C reaches it too; kill, timeout and CI do not).
	sigs := make(chan os.Signal, 2)
	signal.Notify(sigs, os.Interrupt, syscall.SIGTERM)
	defer signal.Stop(sigs)
	if err := cmd.Start(); err != nil {
		fmt.Fprintln(os.Stderr, "peerbench: -pin:", err)
		return 1
	}
	done := make(chan struct{})
	defer close(done)
	go func() {
		for {
			select {
			case sig := <-sigs:
				cmd.Process.Signal(sig)
			case <-done:
				return
			}
		}
	}()
	if err := cmd.Wait(); err != nil {
		var exit *exec.ExitError
		if errors.As(err, &exit) {
			return exit.ExitCode()
		}
		fmt.Fprintln(os.Stderr, "peerbench: -pin:", err)
		return 1
	}
	return 0
}

// command is a child process that gets SIGINT when the run is
// interrupted.
func (b *bench) command(name string, args ...string) *exec.Cmd {
	cmd := exec.CommandContext(b.ctx, name, args...)
	cmd.Cancel = func() error { return cmd.Process.Signal(os.Interrupt) }
	cmd.WaitDelay = 5 * time.Second
	return cmd
}

func (b *bench) peakLoad() {
	l := loadavg()
	var now, peak float64
	fmt.Sscan(l, &now)
	fmt.Sscan(b.loadPeak, &peak)
	if now > peak {
		b.loadPeak = l
	}
}

func (b *bench) print(rss string) {
	fmt.Printf("# peerbench: %d interleaved repetitions, medians; load average at start %s, highest seen %s\n", b.reps, b.loadStart, b.loadPeak)
	fmt.Printf("# cold: floor = in-process vips_thumbnail_buffer + save at the server's settings (q80, metadata stripped), from the full image; vitrine measured once its X-Pyramid answer is ready (or absent: none wanted)\n")
	for _, n := range b.notes {
		fmt.Printf("# %s\n", n)
	}
	fmt.Printf("| %-48s | %-16s | %10s | %10s | %6s | %s\n", "measure", "unit", "vitrine", "peer", "ratio", "notes")
	fmt.Printf("|%s|%s|%s|%s|%s|------\n", strings.Repeat("-", 50), strings.Repeat("-", 18), strings.Repeat("-", 12), strings.Repeat("-", 12), strings.Repeat("-", 8))
	for _, r := range b.rows {
		v, p := median(r.vitrine), median(r.peer)
		fmt.Printf("| %-48s | %-16s | %10.2f | %10.2f | %5.2f× | %s\n", r.measure, r.unit, v, p, v/p, r.extra)
	}
	fmt.Printf("# ratio: vitrine/peer (for ms, below 1 is faster than the peer). vitrine serve peak RSS (VmHWM) after the cold renders (JPEG, PNG, WebP sources, up to c=4; %d of the c=4 requests busy): %s\n", b.busy, rss)
}

func (b *bench) upload(name string, data []byte) error {
	var buf bytes.Buffer
	mw := multipart.NewWriter(&buf)
	w, _ := mw.CreateFormFile("file", name)
	w.Write(data)
	mw.Close()
	req, _ := http.NewRequest("POST", b.base+"/api/v1/companies/demo/assets", &buf)
	req.Header.Set("Authorization", "Bearer "+b.token)
	req.Header.Set("Content-Type", mw.FormDataContentType())
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		return err
	}
	defer resp.Body.Close()
	if resp.StatusCode != 201 {
		body, _ := io.ReadAll(resp.Body)
		return fmt.Errorf("upload %s: HTTP %d %s", name, resp.StatusCode, body)
	}
	return nil
}

type result = benchutil.Result

func ms(d time.Duration) float64 { return float64(d) / 1e6 }

func getCtx(ctx context.Context, c *http.Client, url string) error {
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, url, nil)
	if err != nil {
		return err
	}
	resp, err := c.Do(req)
	if err != nil {
		return err
	}
	defer resp.Body.Close()
	if _, err := io.Copy(io.Discard, resp.Body); err != nil {
		return err
	}
	if resp.StatusCode != 200 {
		return fmt.Errorf("%s: HTTP %d", url, resp.StatusCode)
	}
	return nil
}

// awaitPyramid renders url until the server says (X-Pyramid) that the
// source's pyramid is ready or that it wants none: the cold rows measure
// a server whose background work for the upload is done. Servers without
// pyramids send no X-Pyramid and are not waited for.
func (b *bench) awaitPyramid(name string, url func() string) error {
	start := time.Now()
	for {
		resp, err := b.client.Get(url())
		if err != nil {
			return err
		}
		io.Copy(io.Discard, resp.Body)
		resp.Body.Close()
		st := resp.Header.Get("X-Pyramid")
		switch {
		case resp.StatusCode != 200:
			return fmt.Errorf("%s: HTTP %d", name, resp.StatusCode)
		case st == "ready":
			b.notes = append(b.notes, fmt.Sprintf("%s: pyramid ready %.1f s after the upload", name, time.Since(start).Seconds()))
			return nil
		case st == "":
			return nil
		case time.Since(start) > 2*time.Minute:
			return fmt.Errorf("%s: no pyramid after 2 minutes", name)
		}
		time.Sleep(50 * time.Millisecond) // a poll of the server's answer, not a wait for a guess
	}
}

func get(c *http.Client, url string) error { return getCtx(context.Background(), c, url) }

// awaitOK polls url until it answers 200: the server is another process
// that announces nothing.
func awaitOK(c *http.Client, url string) error {
	deadline := time.Now().Add(30 * time.Second)
	for {
		err := get(c, url)
		if err == nil || time.Now().After(deadline) {
			return err
		}
		time.Sleep(20 * time.Millisecond)
	}
}

func floorThumb(w, h int, t vips.ImageType) func([]byte) error {
	return func(src []byte) error {
		img, err := vips.NewThumbnailWithSizeFromBuffer(src, w, h, vips.InterestingNone, vips.SizeDown)
		if err != nil {
			return err
		}
		defer img.Close()
		switch t { // the server's encoder settings (internal/imaging/encode.go)
		case vips.ImageTypePNG:
			_, _, err = img.ExportPng(&vips.PngExportParams{StripMetadata: true, Compression: 6, Filter: vips.PngFilterAll, Bitdepth: 8})
		default:
			_, _, err = img.ExportJpeg(&vips.JpegExportParams{StripMetadata: true, Quality: 80, OptimizeCoding: true, SubsampleMode: vips.VipsForeignSubsampleOn})
		}
		return err
	}
}

func median(v []float64) float64 {
	if len(v) == 0 {
		return math.NaN()
	}
	s := slices.Clone(v)
	slices.Sort(s)
	if len(s)%2 == 1 {
		return s[len(s)/2]
	}
	return (s[len(s)/2-1] + s[len(s)/2]) / 2
}

func loadavg() string {
	b, err := os.ReadFile("/proc/loadavg")
	if err != nil {
		return "?"
	}
	f := strings.Fields(string(b))
	return strings.Join(f[:3], " ")
}

func peakRSS(pid int) string {
	b, err := os.ReadFile(fmt.Sprintf("/proc/%d/status", pid))
	if err != nil {
		return "unknown"
	}
	for l := range strings.SplitSeq(string(b), "\n") {
		if v, ok := strings.CutPrefix(l, "VmHWM:"); ok {
			return strings.TrimSpace(v)
		}
	}
	return "unknown"
}

func tail(b []byte) []byte { return b[max(0, len(b)-400):] }

func decode(b []byte) image.Image {
	m, _, err := image.Decode(bytes.NewReader(b))
	if err != nil {
		panic(err)
	}
	return m
}

func encodePNG(m image.Image) []byte {
	var b bytes.Buffer
	png.Encode(&b, m)
	return b.Bytes()
}

func toWebP(src []byte) ([]byte, error) {
	img, err := vips.NewImageFromBuffer(src)
	if err != nil {
		return nil, err
	}
	defer img.Close()
	out, _, err := img.ExportWebp(&vips.WebpExportParams{Quality: 90, StripMetadata: true})
	return out, err
}

// cpuSeconds is the user and system CPU time of pids, from /proc.
func cpuSeconds(pids []int) float64 {
	var t time.Duration
	for _, pid := range pids {
		t += benchutil.ProcCPU(pid)
	}
	return t.Seconds()
}
