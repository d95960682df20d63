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
