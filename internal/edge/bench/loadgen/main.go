// Command loadgen measures hit throughput and latency of one URL over
// loopback HTTP/1.1 keep-alive connections: a fixed number of workers, each
// sending its next request when the last one's body has been read, until a
// request count or a duration runs out. It refuses non-loopback targets.
package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/url"
	"os"
	"slices"
	"sync"
	"sync/atomic"
	"time"
)

func main() {
	target := flag.String("url", "", "URL to request (loopback only)")
	conc := flag.Int("c", 16, "concurrent workers, one connection each")
	total := flag.Int("n", 200000, "stop after this many measured requests")
	dur := flag.Duration("d", 20*time.Second, "stop after this long")
	warm := flag.Int("warmup", 2000, "requests sent before measuring")
	wait := flag.Duration("wait", 0, "first wait up to this long for the URL to answer 200")
	name := flag.String("name", "", "label for the result line")
	flag.Parse()
	if err := run(*target, *conc, *total, *warm, *dur, *wait, *name); err != nil {
		fmt.Fprintln(os.Stderr, "loadgen:", err)
		os.Exit(1)
	}
}

func run(target string, conc, total, warm int, dur, wait time.Duration, name string) error {
	u, err := url.Parse(target)
	if err != nil {
		return err
	}
	if ip := net.ParseIP(u.Hostname()); u.Hostname() != "localhost" && (ip == nil || !ip.IsLoopback()) {
		return fmt.Errorf("%s is not a loopback address", u.Host)
	}
	client := &http.Client{Transport: &http.Transport{
		MaxIdleConns: conc, MaxIdleConnsPerHost: conc, MaxConnsPerHost: conc,
		DisableCompression: true,
	}}
	if wait > 0 {
		if err := awaitOK(client, target, wait); err != nil {
			return err
		}
	}
	if _, err := load(client, target, conc, warm, time.Minute); err != nil {
		return fmt.Errorf("warm-up: %w", err)
	}
	start := time.Now()
	res, err := load(client, target, conc, total, dur)
	if err != nil {
		return err
	}
	elapsed := time.Since(start)
	lat := res.latencies
	slices.Sort(lat)
	pct := func(p float64) time.Duration { return lat[min(len(lat)-1, int(float64(len(lat))*p))] }
	fmt.Printf("%-6s c=%d  %7d req in %5.2fs = %8.0f req/s  %7.1f MB/s  p50 %7s  p99 %7s  max %7s  errors %d\n",
		name, conc, len(lat), elapsed.Seconds(), float64(len(lat))/elapsed.Seconds(),
		float64(res.bytes)/elapsed.Seconds()/1e6, pct(0.50).Round(time.Microsecond),
		pct(0.99).Round(time.Microsecond), lat[len(lat)-1].Round(time.Microsecond), res.errors)
	return nil
}

type result struct {
	latencies []time.Duration
	bytes     int64
	errors    int64
}

// load runs conc workers until n requests have been sent or d has passed.
func load(client *http.Client, target string, conc, n int, d time.Duration) (result, error) {
	ctx, cancel := context.WithTimeout(context.Background(), d)
	defer cancel()
	var sent, bytes, errs atomic.Int64
	per := make([][]time.Duration, conc)
	var wg sync.WaitGroup
	for w := range conc {
		wg.Go(func() {
			for ctx.Err() == nil && sent.Add(1) <= int64(n) {
				t0 := time.Now()
				nb, err := get(ctx, client, target)
				if err != nil {
					if ctx.Err() == nil {
						errs.Add(1)
					}
					continue
				}
				per[w] = append(per[w], time.Since(t0))
				bytes.Add(nb)
			}
		})
	}
	wg.Wait()
	res := result{bytes: bytes.Load(), errors: errs.Load()}
	for _, l := range per {
		res.latencies = append(res.latencies, l...)
	}
	if len(res.latencies) == 0 {
		return res, errors.New("no request succeeded")
	}
	return res, nil
}

func get(ctx context.Context, client *http.Client, target string) (int64, error) {
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, target, nil)
	if err != nil {
		return 0, err
	}
	resp, err := client.Do(req)
	if err != nil {
		return 0, err
	}
	defer resp.Body.Close()
	n, err := io.Copy(io.Discard, resp.Body)
	if err == nil && resp.StatusCode != http.StatusOK {
		err = fmt.Errorf("status %s", resp.Status)
	}
	return n, err
}

// awaitOK polls target until it answers 200: the server under test is
// another process that announces nothing.
func awaitOK(client *http.Client, target string, limit time.Duration) error {
	deadline := time.Now().Add(limit)
	for {
		_, err := get(context.Background(), client, target)
		if err == nil {
			return nil
		}
		if time.Now().After(deadline) {
			return fmt.Errorf("%s not answering after %s: %w", target, limit, err)
		}
		time.Sleep(20 * time.Millisecond)
	}
}
