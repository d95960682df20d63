package benchutil

import (
	"fmt"
	"slices"
	"sync"
	"sync/atomic"
	"time"
)

// Result is a load run: requests per second, median and 99th percentile
// latency, and how many calls failed.
type Result struct {
	Rate     float64
	P50, P99 time.Duration
	P999     time.Duration // the 99.9th percentile
	Errs     int64
}

// Measure calls fn n times from conc goroutines and times each call.
func Measure(n, conc int, fn func() error) Result {
	lat := make([]time.Duration, n)
	var next, errs atomic.Int64
	start := time.Now()
	var wg sync.WaitGroup
	for range conc {
		wg.Go(func() {
			for {
				i := next.Add(1) - 1
				if i >= int64(n) {
					return
				}
				t0 := time.Now()
				if err := fn(); err != nil {
					errs.Add(1)
				}
				lat[i] = time.Since(t0)
			}
		})
	}
	wg.Wait()
	total := time.Since(start)
	slices.Sort(lat)
	return Result{Rate: float64(n) / total.Seconds(), P50: lat[n/2], P99: lat[(n-1)*99/100], P999: lat[(n-1)*999/1000], Errs: errs.Load()}
}

// String is the result as a table cell: rate, p50, p99, and errors if any.
func (r Result) String() string {
	ms := func(d time.Duration) float64 { return float64(d) / 1e6 }
	s := fmt.Sprintf("%7.1f/s %6.1fms %6.1fms", r.Rate, ms(r.P50), ms(r.P99))
	if r.Errs > 0 {
		s += fmt.Sprintf(" (%d errors)", r.Errs)
	}
	return s
}
