package cron

import (
	"testing"
	"time"
)

func BenchmarkNext(b *testing.B) {
	ny := loadLoc(b, "America/New_York")
	after := time.Date(2026, 11, 27, 10, 0, 0, 0, ny)
	for _, expr := range []string{
		"0 15 10 ? * MON-FRI", // weekdays
		"*/10 * * * * ?",      // every 10 seconds
		"0 0 0 1 1 ?",         // yearly
		"0 15 10 ? * 6#3",     // third Friday
		"0 0 0 LW * ?",        // last weekday
		"0 0 0 29 2 ?",        // leap day
		"0 0 0 30 2 ?",        // never fires: scans to 2099
	} {
		r := MustParse(expr)
		b.Run(expr, func(b *testing.B) {
			for b.Loop() {
				r.Next(after, ny)
			}
		})
	}
}

func BenchmarkParse(b *testing.B) {
	for b.Loop() {
		if _, err := Parse("0 0/5 14,18 ? JAN-MAR MON-FRI 2026-2030"); err != nil {
			b.Fatal(err)
		}
	}
}
