package sqlstore_test

import (
	"context"
	"fmt"
	"sort"
	"testing"
	"time"

	"github.com/vitrine/vitrine"
	"github.com/vitrine/vitrine/internal/sqlstore"
)

// BenchmarkPublishLatency measures publish and unpublish of one asset at a
// time in the store, and reports p50 and p99.
func BenchmarkPublishLatency(b *testing.B) {
	for _, engine := range []string{"sqlite", "postgres"} {
		b.Run(engine, func(b *testing.B) {
			var db *sqlstore.DB
			if engine == "sqlite" {
				db = OpenSQLite(b)
			} else {
				db = OpenPostgres(b)
			}
			ctx := context.Background()
			c, _ := db.CreateCompany(ctx, "acme", "")
			u, _ := db.CreateUser(ctx, "u", false)
			db.SetMembership(ctx, u.ID, c.ID, vitrine.RoleAdmin)
			p, _ := db.Principal(ctx, u, "acme")
			var files []vitrine.NewFile
			for i := range 200 {
				files = append(files, file(fmt.Sprintf("a%03d.jpg", i), i+1))
			}
			if _, err := db.Ingest(ctx, p, files, vitrine.UploadOptions{Folder: "/b"}); err != nil {
				b.Fatal(err)
			}
			lat := make([]time.Duration, 0, 2*b.N)
			b.ResetTimer()
			for i := range b.N {
				name := fmt.Sprintf("a%03d", i%200)
				for _, a := range []vitrine.Action{vitrine.ActionUnpublish, vitrine.ActionPublish} {
					t0 := time.Now()
					if _, err := db.Publish(ctx, p, sqlstore.Publication{Action: a, Assets: []string{name}}); err != nil {
						b.Fatal(err)
					}
					lat = append(lat, time.Since(t0))
				}
			}
			b.StopTimer()
			sort.Slice(lat, func(i, j int) bool { return lat[i] < lat[j] })
			b.ReportMetric(float64(lat[len(lat)/2].Microseconds()), "p50-µs")
			b.ReportMetric(float64(lat[(len(lat)-1)*99/100].Microseconds()), "p99-µs")
		})
	}
}

// BenchmarkPublishManyNames measures a publication of the largest size
// accepted (10,000 names: 2,000 assets, each named five times) and the
// latency of another company's folder creation made while it runs: the
// write transaction the publication holds is what other tenants wait on
// (issue 15, item 4).
func BenchmarkPublishManyNames(b *testing.B) {
	for _, engine := range []string{"sqlite", "postgres"} {
		b.Run(engine, func(b *testing.B) {
			var db *sqlstore.DB
			if engine == "sqlite" {
				db = OpenSQLite(b)
			} else {
				db = OpenPostgres(b)
			}
			ctx := context.Background()
			c, _ := db.CreateCompany(ctx, "acme", "")
			other, _ := db.CreateCompany(ctx, "other", "")
			u, _ := db.CreateUser(ctx, "u", false)
			db.SetMembership(ctx, u.ID, c.ID, vitrine.RoleAdmin)
			db.SetMembership(ctx, u.ID, other.ID, vitrine.RoleAdmin)
			p, _ := db.Principal(ctx, u, "acme")
			po, _ := db.Principal(ctx, u, "other")
			var files []vitrine.NewFile
			var names []string
			for i := range 2000 {
				files = append(files, file(fmt.Sprintf("a%04d.jpg", i), i+1))
			}
			for range 5 {
				for i := range 2000 {
					names = append(names, fmt.Sprintf("a%04d", i))
				}
			}
			if _, err := db.Ingest(ctx, p, files, vitrine.UploadOptions{Folder: "/b"}); err != nil {
				b.Fatal(err)
			}
			var stalls []time.Duration
			b.ResetTimer()
			for i := range b.N {
				a := []vitrine.Action{vitrine.ActionUnpublish, vitrine.ActionPublish}[i%2]
				done := make(chan time.Duration)
				go func() {
					t0 := time.Now()
					if _, err := db.CreateFolder(ctx, &po.Company, fmt.Sprintf("/f%d", i)); err != nil {
						b.Error(err)
					}
					done <- time.Since(t0)
				}()
				pub := sqlstore.Publication{Action: a, Assets: append([]string(nil), names...)}
				if err := pub.Validate(); err != nil {
					b.Fatal(err)
				}
				if _, err := db.Publish(ctx, p, pub); err != nil {
					b.Fatal(err)
				}
				stalls = append(stalls, <-done)
			}
			b.StopTimer()
			sort.Slice(stalls, func(i, j int) bool { return stalls[i] < stalls[j] })
			b.ReportMetric(float64(stalls[len(stalls)-1].Milliseconds()), "max-other-write-ms")
		})
	}
}
