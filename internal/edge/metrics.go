package edge

import (
	"strconv"
	"strings"

	"github.com/prometheus/client_golang/prometheus"
)

// metrics are the edge's Prometheus metrics.
type metrics struct {
	requests  *prometheus.CounterVec // by X-Cache result
	bytes     *prometheus.CounterVec // body bytes served, by result
	origin    *prometheus.CounterVec // origin fetches by status class
	collapsed prometheus.Counter
	purges    *prometheus.CounterVec // purge requests by outcome
	purged    prometheus.Counter

	// The children for hits, looked up once: a hit should not hash a
	// label value twice.
	hitRequests, hitBytes prometheus.Counter
}

// newMetrics builds the metrics and registers them with reg, when given,
// along with gauges reading the tiers' sizes from stats.
func newMetrics(reg prometheus.Registerer, stats func() tierStats) (*metrics, error) {
	m := &metrics{
		requests: prometheus.NewCounterVec(prometheus.CounterOpts{
			Name: "vitrine_edge_requests_total",
			Help: "Requests served by the edge cache, by result (hit, miss, stale, revalidated, pass, error).",
		}, []string{"result"}),
		bytes: prometheus.NewCounterVec(prometheus.CounterOpts{
			Name: "vitrine_edge_served_bytes_total", Help: "Response body bytes served by the edge, by result.",
		}, []string{"result"}),
		origin: prometheus.NewCounterVec(prometheus.CounterOpts{
			Name: "vitrine_edge_origin_fetches_total", Help: "Requests the edge made to the origin for its cache, by status class.",
		}, []string{"code"}),
		collapsed: prometheus.NewCounter(prometheus.CounterOpts{
			Name: "vitrine_edge_collapsed_total", Help: "Requests answered by another request's origin fetch.",
		}),
		purges: prometheus.NewCounterVec(prometheus.CounterOpts{
			Name: "vitrine_edge_purges_total", Help: "Purge requests, by outcome (ok, unauthorized, invalid).",
		}, []string{"outcome"}),
		purged: prometheus.NewCounter(prometheus.CounterOpts{
			Name: "vitrine_edge_purged_entries_total", Help: "Cache entries removed by purges.",
		}),
	}
	m.hitRequests, m.hitBytes = m.requests.WithLabelValues("hit"), m.bytes.WithLabelValues("hit")
	if reg == nil {
		return m, nil
	}
	gauge := func(name, help, tier string, read func(tierStats) float64) prometheus.Collector {
		return prometheus.NewGaugeFunc(prometheus.GaugeOpts{
			Name: name, Help: help, ConstLabels: prometheus.Labels{"tier": tier},
		}, func() float64 { return read(stats()) })
	}
	cs := []prometheus.Collector{m.requests, m.bytes, m.origin, m.collapsed, m.purges, m.purged,
		gauge("vitrine_edge_entries", "Entries in a cache tier.", "memory", func(s tierStats) float64 { return float64(s.memEntries) }),
		gauge("vitrine_edge_entries", "Entries in a cache tier.", "disk", func(s tierStats) float64 { return float64(s.diskEntries) }),
		gauge("vitrine_edge_stored_bytes", "Bytes held by a cache tier.", "memory", func(s tierStats) float64 { return float64(s.memBytes) }),
		gauge("vitrine_edge_stored_bytes", "Bytes held by a cache tier.", "disk", func(s tierStats) float64 { return float64(s.diskBytes) }),
	}
	for _, c := range cs {
		if err := reg.Register(c); err != nil {
			return nil, err
		}
	}
	return m, nil
}

// request counts one answered request; result is its X-Cache value.
func (m *metrics) request(result string, bytes int64) {
	if result == "HIT" {
		m.hitRequests.Inc()
		m.hitBytes.Add(float64(bytes))
		return
	}
	r := strings.ToLower(result)
	m.requests.WithLabelValues(r).Inc()
	m.bytes.WithLabelValues(r).Add(float64(bytes))
}

// originFetch counts one origin fetch; status 0 means it failed.
func (m *metrics) originFetch(status int) {
	code := "error"
	if status > 0 {
		code = strconv.Itoa(status/100) + "xx"
	}
	m.origin.WithLabelValues(code).Inc()
}
