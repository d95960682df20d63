// Command imgbench measures image serving end to end, as `make bench` runs
// it: cold renders through a real `vitrine serve` at concurrency 1, 2 and 4
// next to a bare libvips loop in this process (the floor), cache hits at
// concurrency 16, and the server's peak RSS.
package main

import (
	"bytes"
	"flag"
	"fmt"
	"io"
	"mime/multipart"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync/atomic"

	"github.com/davidbyttow/govips/v2/vips"

	"github.com/vitrine/vitrine/tools/internal/benchutil"
)

func main() {
	bin := flag.String("vitrine", "./vitrine", "the vitrine binary")
	n := flag.Int("n", 40, "cold renders per case and concurrency")
	hits := flag.Int("hits", 40000, "cache-hit requests")
	only := flag.String("cases", "", "run only the cases whose name contains this")
	flag.Parse()
	if err := run(*bin, *n, *hits, *only); err != nil {
		fmt.Fprintln(os.Stderr, "imgbench:", err)
		os.Exit(1)
	}
}

type benchCase struct {
	name, query string
	floor       func(src []byte) error
}

func run(bin string, n, hits int, only string) error {
	src := benchutil.Photo(2000, 1500)
	work, err := os.MkdirTemp("", "vitrine-imgbench")
	if err != nil {
		return err
	}
	defer os.RemoveAll(work)
	addr, err := benchutil.FreeAddr()
	if err != nil {
		return err
	}
	token := "vtr_imgbench_token_0123456789"
	args := []string{"serve", "--data", filepath.Join(work, "data"), "--addr", addr, "--log-format", "json"}
	if d := os.Getenv("IMGBENCH_DEBUG_ADDR"); d != "" {
		args = append(args, "--debug-addr", d)
	}
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
	if err := upload(base, token, "photo.jpg", src); err != nil {
		return err
	}

	vips.LoggingSettings(nil, vips.LogLevelError)
	vips.Startup(&vips.Config{ConcurrencyLevel: 1, MaxCacheMem: 0, MaxCacheSize: 0})
	defer vips.Shutdown()
	cases := []benchCase{
		{"jpeg wid=300", "wid=300", floorThumb(300, 225, vips.ImageTypeJPEG)},
		{"fit 512x512", "wid=512&hei=512&fit=fit", floorThumb(512, 512, vips.ImageTypeJPEG)},
		{"webp wid=300", "wid=300&fmt=webp", floorThumb(300, 225, vips.ImageTypeWEBP)},
		{"avif wid=300", "wid=300&fmt=avif", floorThumb(300, 225, vips.ImageTypeAVIF)},
	}
	client := &http.Client{Transport: &http.Transport{MaxIdleConnsPerHost: 64}}
	fmt.Printf("cold renders of a 2000x1500 JPEG, %d per cell (req/s, p50, p99); floor = bare libvips thumbnail+save in-process\n", n)
	fmt.Printf("%-14s %-4s %28s %28s %7s\n", "case", "conc", "vitrine serve (HTTP)", "bare libvips", "ratio")
	var seq atomic.Int64
	for _, c := range cases {
		if !strings.Contains(c.name, only) {
			continue
		}
		// Warm both sides up (first renders pay for library and page-cache
		// start-up), so the first cell is not measured cold in that sense.
		for range 3 {
			get(client, fmt.Sprintf("%s/is/image/demo/photo?%s&id=warm%d", base, c.query, seq.Add(1)))
			c.floor(src)
		}
		for _, conc := range []int{1, 2, 4} {
			srvRes := benchutil.Measure(n, conc, func() error {
				// A fresh id= makes each request a cache miss; id is not a
				// rendering command.
				return get(client, fmt.Sprintf("%s/is/image/demo/photo?%s&id=%d", base, c.query, seq.Add(1)))
			})
			floorRes := benchutil.Measure(n, conc, func() error { return c.floor(src) })
			fmt.Printf("%-14s %-4d %28s %28s %6.0f%%\n", c.name, conc, srvRes, floorRes, 100*srvRes.Rate/floorRes.Rate)
		}
	}
	url := base + "/is/image/demo/photo?wid=300"
	if err := get(client, url); err != nil {
		return err
	}
	hit := benchutil.Measure(hits, 16, func() error { return get(client, url) })
	fmt.Printf("cache hits, concurrency 16, %d requests: %s\n", hits, hit)
	fmt.Printf("server peak RSS: %s\n", peakRSS(srv.Process.Pid))
	return nil
}

func floorThumb(w, h int, t vips.ImageType) func([]byte) error {
	return func(src []byte) error {
		img, err := vips.NewThumbnailWithSizeFromBuffer(src, w, h, vips.InterestingNone, vips.SizeDown)
		if err != nil {
			return err
		}
		defer img.Close()
		// The same encoder settings the server uses with company defaults
		// (quality 80, metadata stripped), so the floor is like for like.
		switch t {
		case vips.ImageTypeWEBP:
			_, _, err = img.ExportWebp(&vips.WebpExportParams{StripMetadata: true, Quality: 80, ReductionEffort: 4})
		case vips.ImageTypeAVIF:
			_, _, err = img.ExportAvif(&vips.AvifExportParams{StripMetadata: true, Quality: 80, Bitdepth: 8, Effort: 2})
		default:
			_, _, err = img.ExportJpeg(&vips.JpegExportParams{StripMetadata: true, Quality: 80})
		}
		return err
	}
}

func get(c *http.Client, url string) error {
	resp, err := c.Get(url)
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

func upload(base, token, name string, data []byte) error {
	var b bytes.Buffer
	mw := multipart.NewWriter(&b)
	w, _ := mw.CreateFormFile("file", name)
	w.Write(data)
	mw.Close()
	req, _ := http.NewRequest("POST", base+"/api/v1/companies/demo/assets", &b)
	req.Header.Set("Authorization", "Bearer "+token)
	req.Header.Set("Content-Type", mw.FormDataContentType())
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		return err
	}
	defer resp.Body.Close()
	if resp.StatusCode != 201 {
		body, _ := io.ReadAll(resp.Body)
		return fmt.Errorf("upload: HTTP %d %s", resp.StatusCode, body)
	}
	return nil
}

func peakRSS(pid int) string {
	b, err := os.ReadFile(fmt.Sprintf("/proc/%d/status", pid))
	if err != nil {
		return "unknown"
	}
	for _, l := range strings.Split(string(b), "\n") {
		if strings.HasPrefix(l, "VmHWM:") {
			return strings.TrimSpace(strings.TrimPrefix(l, "VmHWM:"))
		}
	}
	return "unknown"
}
