// Command bench measures a running Vitrine end to end, as `make bench` runs
// it: upload ingest over the API against copying the same bytes with cp,
// and publish/unpublish latency. It starts its own server from the binary
// given with -vitrine, on loopback, in a temporary data directory.
package main

import (
	"bytes"
	"context"
	"encoding/json"
	"flag"
	"fmt"
	"image"
	"image/jpeg"
	"math/rand/v2"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"sort"
	"strings"
	"time"

	"github.com/vitrine/vitrine/tools/internal/benchutil"
)

func main() {
	bin := flag.String("vitrine", "./vitrine", "the vitrine binary")
	files := flag.Int("files", 200, "files to upload")
	size := flag.Int("size", 2<<20, "approximate bytes per file")
	n := flag.Int("publish-n", 500, "publish/unpublish round trips")
	db := flag.String("db", "", "database DSN for the server (default: SQLite in the data dir)")
	flag.Parse()
	if err := run(*bin, *files, *size, *n, *db); err != nil {
		fmt.Fprintln(os.Stderr, "bench:", err)
		os.Exit(1)
	}
}

func run(bin string, nfiles, size, n int, db string) error {
	work, err := os.MkdirTemp("", "vitrine-bench")
	if err != nil {
		return err
	}
	defer os.RemoveAll(work)
	src := filepath.Join(work, "src")
	total, err := makeFiles(src, nfiles, size)
	if err != nil {
		return err
	}
	mb := float64(total) / 1e6

	// The floor: cp of the same bytes on the same file system.
	start := time.Now()
	if out, err := exec.Command("cp", "-r", src, filepath.Join(work, "cp-copy")).CombinedOutput(); err != nil {
		return fmt.Errorf("cp: %v %s", err, out)
	}
	exec.Command("sync").Run()
	cpDur := time.Since(start)

	addr, err := benchutil.FreeAddr()
	if err != nil {
		return err
	}
	token := "vtr_bench_token_0123456789abcdef"
	args := []string{"serve", "--data", filepath.Join(work, "data"), "--addr", addr, "--log-format", "json"}
	if db != "" {
		args = append(args, "--db", db)
	}
	args = append(args, strings.Fields(os.Getenv("BENCH_SERVE_FLAGS"))...)
	srv := exec.Command(bin, args...)
	srv.Env = append(os.Environ(), "VITRINE_ADMIN_TOKEN="+token)
	if err := srv.Start(); err != nil {
		return err
	}
	defer func() { srv.Process.Signal(os.Interrupt); srv.Wait() }()
	base := "http://" + addr
	if err := benchutil.WaitHealthy(base); err != nil {
		return err
	}

	start = time.Now()
	up := exec.Command(bin, "upload", "--folder", "/bench", "-j", "4", src)
	up.Env = append(os.Environ(), "VITRINE_URL="+base, "VITRINE_TOKEN="+token, "VITRINE_COMPANY=demo")
	if out, err := up.CombinedOutput(); err != nil {
		return fmt.Errorf("upload: %v %s", err, out)
	}
	exec.Command("sync").Run()
	upDur := time.Since(start)
	fmt.Printf("ingest: %d files, %.0f MB\n", nfiles, mb)
	fmt.Printf("  cp -r:            %8.1f MB/s (%v)\n", mb/cpDur.Seconds(), cpDur.Round(time.Millisecond))
	fmt.Printf("  vitrine upload:   %8.1f MB/s (%v), %.2fx of cp\n", mb/upDur.Seconds(), upDur.Round(time.Millisecond), cpDur.Seconds()/upDur.Seconds())

	// Publish/unpublish latency, one asset at a time, over the API.
	client := &http.Client{}
	var pub, unpub []time.Duration
	for i := range n {
		name := fmt.Sprintf("f%04d", i%nfiles)
		for _, action := range []string{"unpublish", "publish"} {
			body, _ := json.Marshal(map[string]any{"action": action, "assets": []string{name}})
			req, _ := http.NewRequestWithContext(context.Background(), "POST", base+"/api/v1/companies/demo/publication", bytes.NewReader(body))
			req.Header.Set("Authorization", "Bearer "+token)
			t0 := time.Now()
			resp, err := client.Do(req)
			if err != nil {
				return err
			}
			resp.Body.Close()
			d := time.Since(t0)
			if resp.StatusCode != 200 {
				return fmt.Errorf("%s %s: HTTP %d", action, name, resp.StatusCode)
			}
			if action == "publish" {
				pub = append(pub, d)
			} else {
				unpub = append(unpub, d)
			}
		}
	}
	fmt.Printf("publish latency (API round trip, %d calls): p50 %v p99 %v\n", n, pct(pub, 50), pct(pub, 99))
	fmt.Printf("unpublish latency (API round trip, %d calls): p50 %v p99 %v\n", n, pct(unpub, 50), pct(unpub, 99))
	return nil
}

func pct(d []time.Duration, p int) time.Duration {
	s := append([]time.Duration(nil), d...)
	sort.Slice(s, func(i, j int) bool { return s[i] < s[j] })
	return s[(len(s)-1)*p/100].Round(10 * time.Microsecond)
}

// makeFiles writes n JPEGs of about size bytes each: one noisy picture with
// a distinct tail per file (JPEG readers ignore bytes after the end marker),
// so every file has its own digest.
func makeFiles(dir string, n, size int) (int64, error) {
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return 0, err
	}
	m := image.NewRGBA(image.Rect(0, 0, 1200, 900))
	r := rand.New(rand.NewPCG(1, 2))
	for i := range m.Pix {
		m.Pix[i] = byte(r.IntN(256))
	}
	var b bytes.Buffer
	if err := jpeg.Encode(&b, m, &jpeg.Options{Quality: 90}); err != nil {
		return 0, err
	}
	base := b.Bytes()
	var total int64
	for i := range n {
		data := append([]byte(nil), base...)
		pad := max(size-len(data), 16)
		tail := make([]byte, pad)
		for j := range tail {
			tail[j] = byte(r.IntN(256))
		}
		copy(tail, fmt.Sprintf("file%06d", i))
		data = append(data, tail...)
		if err := os.WriteFile(filepath.Join(dir, fmt.Sprintf("f%04d.jpg", i)), data, 0o644); err != nil {
			return 0, err
		}
		total += int64(len(data))
	}
	return total, nil
}
