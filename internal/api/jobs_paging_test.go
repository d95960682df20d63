package api_test

import (
	"context"
	"fmt"
	"net"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/vitrine/vitrine"
	"github.com/vitrine/vitrine/internal/api"
	"github.com/vitrine/vitrine/internal/cron"
	"github.com/vitrine/vitrine/internal/events"
	"github.com/vitrine/vitrine/internal/testenv"
)

// TestSchedulePreview: a weekly rule gives five run times in the
// company's zone, a week apart; an invalid custom rule is a 400 with the
// rule parser's message; nothing is created.
func TestSchedulePreview(t *testing.T) {
	t.Parallel()
	testenv.EachEngine(t, func(t *testing.T, env *testenv.Env) {
		e := newLiveEnv(t, env.DSN, api.DefaultConfig(), events.DefaultConfig())
		if _, err := e.db.UpdateSettings(context.Background(), e.acme.ID, []byte(`{"time_zone":"Europe/Paris"}`)); err != nil {
			t.Fatal(err)
		}
		status, body := e.call(t, "acme", "POST", "/jobs/preview", `{"when":{"weekly":"WED 10:15"}}`)
		if status != http.StatusOK {
			t.Fatalf("preview = %d %v", status, body)
		}
		sched := body["schedule"].(map[string]any)
		runs, _ := sched["next_runs"].([]any)
		if len(runs) != 5 || sched["time_zone"] != "Europe/Paris" || sched["kind"] != "weekly" {
			t.Fatalf("schedule %v, want five runs, weekly in Europe/Paris", sched)
		}
		paris, _ := time.LoadLocation("Europe/Paris")
		var prev time.Time
		for i, r := range runs {
			at, err := time.Parse(time.RFC3339, r.(string))
			if err != nil {
				t.Fatal(err)
			}
			if local := at.In(paris); local.Weekday() != time.Wednesday || local.Hour() != 10 || local.Minute() != 15 {
				t.Errorf("run %d at %s, want a Wednesday 10:15 in Paris", i, local)
			}
			if _, off := at.Zone(); func() bool { _, want := at.In(paris).Zone(); return off != want }() {
				t.Errorf("run %d is %s, not in the company's zone", i, r)
			}
			if i > 0 && at.Sub(prev) < 6*24*time.Hour {
				t.Errorf("runs %d and %d are %s apart", i-1, i, at.Sub(prev))
			}
			prev = at
		}

		rule := "0 15 10 ? * 9X"
		_, perr := cron.Parse(rule)
		if perr == nil {
			t.Fatalf("cron.Parse(%q) accepts it; pick another invalid rule", rule)
		}
		status, body = e.call(t, "acme", "POST", "/jobs/preview", `{"when":{"rule":"`+rule+`"}}`)
		msg, _ := body["error"].(map[string]any)["message"].(string)
		if status != http.StatusBadRequest || !strings.Contains(msg, perr.Error()) {
			t.Errorf("preview of %q = %d %q, want 400 with %q", rule, status, msg, perr)
		}
		if _, body = e.call(t, "acme", "GET", "/jobs?tab=scheduled", ""); len(body["jobs"].([]any)) != 0 {
			t.Errorf("preview created jobs: %v", body["jobs"])
		}
	})
}

// TestJobLogPaging: the log pages with a cursor and filters by level; the
// History list pages with a cursor and filters by type and mine/all.
func TestJobLogPaging(t *testing.T) {
	t.Parallel()
	testenv.EachEngine(t, func(t *testing.T, env *testenv.Env) {
		e := newLiveEnv(t, env.DSN, api.DefaultConfig(), events.DefaultConfig())
		ctx := context.Background()
		var lines []vitrine.JobLine
		for i := range 25 {
			level := []string{vitrine.LogInfo, vitrine.LogWarning, vitrine.LogError, vitrine.LogInfo, vitrine.LogInfo}[i%5]
			lines = append(lines, vitrine.JobLine{Asset: fmt.Sprintf("a%02d", i), Level: level, Message: level})
		}
		j, err := e.db.RecordJob(ctx, e.acme.Admin, vitrine.JobInvalidate, "inv", nil, 25, lines)
		if err != nil {
			t.Fatal(err)
		}
		for _, tc := range []struct {
			query string
			limit int
			want  []int // page sizes
			level string
		}{
			{"", 10, []int{10, 10, 5}, ""},
			{"&level=error", 2, []int{2, 2, 1}, "error"},
			{"&level=warning,error", 4, []int{4, 4, 2}, ""},
		} {
			var pages []int
			cursor := ""
			for range 10 {
				status, body := e.call(t, "acme", "GET", fmt.Sprintf("/jobs/%d/log?limit=%d%s%s", j.ID, tc.limit, tc.query, cursor), "")
				if status != 200 {
					t.Fatalf("log%s = %d %v", tc.query, status, body)
				}
				log := body["log"].([]any)
				pages = append(pages, len(log))
				for _, l := range log {
					if lv := l.(map[string]any)["level"]; tc.level != "" && lv != tc.level {
						t.Errorf("log%s has a %s line", tc.query, lv)
					}
				}
				next, ok := body["next_cursor"].(string)
				if !ok {
					break
				}
				cursor = "&cursor=" + next
			}
			// A full last page has a cursor to an empty page.
			if n := len(pages); n > 1 && pages[n-1] == 0 {
				pages = pages[:n-1]
			}
			if fmt.Sprint(pages) != fmt.Sprint(tc.want) {
				t.Errorf("log%s limit %d: pages %v, want %v", tc.query, tc.limit, pages, tc.want)
			}
		}
		if status, _ := e.call(t, "acme", "GET", fmt.Sprintf("/jobs/%d/log?level=debug", j.ID), ""); status != 400 {
			t.Errorf("level=debug = %d, want 400", status)
		}
		if _, body := e.call(t, "acme", "GET", fmt.Sprintf("/jobs/%d/log?after=20", j.ID), ""); len(body["log"].([]any)) == 0 {
			t.Error("after= (the older cursor) no longer pages")
		}

		// History: five invalidations by the admin, two by the user.
		for i := range 4 {
			if _, err := e.db.RecordJob(ctx, e.acme.Admin, vitrine.JobInvalidate, fmt.Sprint("admin", i), nil, 0, nil); err != nil {
				t.Fatal(err)
			}
		}
		for i := range 2 {
			if _, err := e.db.RecordJob(ctx, e.acme.User, vitrine.JobInvalidate, fmt.Sprint("user", i), nil, 0, nil); err != nil {
				t.Fatal(err)
			}
		}
		var ids []float64
		cursor := ""
		for range 10 {
			_, body := e.call(t, "acme", "GET", "/jobs?type=invalidate&mine=true&limit=2"+cursor, "")
			for _, j := range body["jobs"].([]any) {
				ids = append(ids, j.(map[string]any)["id"].(float64))
			}
			next, ok := body["next_cursor"].(string)
			if !ok {
				break
			}
			cursor = "&cursor=" + next
		}
		if len(ids) != 5 {
			t.Fatalf("mine, by pages of 2: %v, want the admin's 5 jobs", ids)
		}
		for i := 1; i < len(ids); i++ {
			if ids[i] >= ids[i-1] {
				t.Errorf("pages overlap or are out of order: %v", ids)
			}
		}
		if _, body := e.call(t, "acme", "GET", "/jobs?type=publish", ""); len(body["jobs"].([]any)) != 0 {
			t.Errorf("type=publish lists %v", body["jobs"])
		}
		if _, body := e.call(t, "acme", "GET", "/jobs", ""); len(body["jobs"].([]any)) != 7 {
			t.Errorf("all lists %d jobs, want 7", len(body["jobs"].([]any)))
		}
		if status, _ := e.call(t, "acme", "GET", "/jobs?cursor=zz", ""); status != 400 {
			t.Errorf("cursor=zz = %d, want 400", status)
		}
	})
}

// TestEventsStalledClient: a client that stops reading is dropped, and a
// client that reads receives every event meanwhile.
func TestEventsStalledClient(t *testing.T) {
	t.Parallel()
	cfg := api.DefaultConfig()
	cfg.StreamWriteTimeout = time.Hour // only falling behind can drop the stalled client here
	e := newLiveEnv(t, testenv.DSN(t, testenv.SQLite), cfg, events.Config{Buffer: 4, Replay: 16})

	// The stalled client: a raw connection with a small receive buffer
	// that sends its request and never reads.
	addr := strings.TrimPrefix(e.srv.URL, "http://")
	conn, err := net.Dial("tcp", addr)
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close()
	conn.(*net.TCPConn).SetReadBuffer(4096)
	fmt.Fprintf(conn, "GET /api/v1/companies/acme/events HTTP/1.1\r\nHost: %s\r\nAuthorization: Bearer %s\r\n\r\n", addr, e.tokens["acme"])

	fast := e.open(t, "acme")
	for e.broker.Subscribers() < 2 {
		// The raw request is read by the server's own goroutine; wait for
		// its subscription on the fast client's stream, paced by events.
		e.broker.Publish(e.acme.ID, "ping", nil)
		fast.next(t, "ping")
	}
	big := strings.Repeat("x", 64<<10)
	start := time.Now()
	for i := range 128 { // 8 MiB: more than the stalled socket's buffers (tcp_wmem max 4 MiB, 4 KiB read)
		if err := e.broker.Publish(e.acme.ID, "big", map[string]any{"i": i, "pad": big}); err != nil {
			t.Fatal(err)
		}
		if ev := fast.next(t, "big"); !strings.HasPrefix(ev.data, fmt.Sprintf(`{"i":%d,`, i)) {
			t.Fatalf("fast client got %.20s, want event %d", ev.data, i)
		}
	}
	if n := e.broker.Subscribers(); n != 1 {
		t.Errorf("%d subscribers after 8 MiB, want 1: the stalled client was not dropped", n)
	}
	t.Logf("128 events of 64 KiB to the reading client in %s beside a stalled one", time.Since(start))
}
