package vitrine

import (
	"strings"
	"testing"
	"time"
)

func TestBlocked(t *testing.T) {
	now := time.Now()
	live := &Asset{Name: "a", SyncMode: SyncOn}
	trashed := &Asset{Name: "t", SyncMode: SyncOn, TrashedAt: &now}
	excluded := &Asset{Name: "x", SyncMode: SyncExclude}
	tests := []struct {
		action Action
		a      *Asset
		want   string // substring; "" for not blocked
	}{
		{ActionPublish, live, ""},
		{ActionPublish, trashed, "Trash"},
		{ActionPublishDelivery, trashed, "Trash"},
		{ActionUnpublish, trashed, ""},
		{ActionPublish, excluded, "not synced"},
		{ActionPublishDelivery, excluded, "not synced"},
		{ActionUnpublishDelivery, excluded, "not synced"},
		{ActionUnpublish, excluded, ""},
	}
	for _, tc := range tests {
		got := Blocked(tc.action, tc.a)
		if (tc.want == "") != (got == "") || !strings.Contains(got, tc.want) {
			t.Errorf("Blocked(%s, %s) = %q, want %q", tc.action, tc.a.Name, got, tc.want)
		}
	}
}

func TestGoesLiveNow(t *testing.T) {
	on, off := Settings{InstantPublish: true}, Settings{}
	tests := []struct {
		s             Settings
		byJob, leaves bool
		want          bool
	}{
		{on, false, false, true},
		{off, false, false, false},
		{off, true, false, true},
		{off, false, true, true},
		{on, true, true, true},
	}
	for _, tc := range tests {
		if got := GoesLiveNow(tc.s, tc.byJob, tc.leaves); got != tc.want {
			t.Errorf("GoesLiveNow(instant=%v, byJob=%v, leaves=%v) = %v, want %v", tc.s.InstantPublish, tc.byJob, tc.leaves, got, tc.want)
		}
	}
}

func TestNeedsPurge(t *testing.T) {
	inv, keep := Settings{InvalidateOnRepublish: true}, Settings{}
	tests := []struct {
		action string
		s      Settings
		want   bool
	}{
		{HistUnpublished, keep, true},
		{HistUnpublished, inv, true},
		{HistRepublished, inv, true},
		{HistRepublished, keep, false},
		{HistPublished, inv, true}, // its exists=0 and default-image answers are cached under its key
		{HistPublished, keep, true},
	}
	for _, tc := range tests {
		if got := NeedsPurge(CatalogChange{Asset: "a", Action: tc.action}, tc.s); got != tc.want {
			t.Errorf("NeedsPurge(%s, invalidate=%v) = %v, want %v", tc.action, tc.s.InvalidateOnRepublish, got, tc.want)
		}
	}
}

func TestPlanFor(t *testing.T) {
	now := time.Now()
	tests := []struct {
		action      Action
		a           Asset
		wantTarget  string
		wantBlocked bool
	}{
		{ActionPublish, Asset{PublishMode: PublishImmediately, SyncMode: SyncOn}, "preview and delivery", false},
		{ActionPublish, Asset{PublishMode: PublishSelective, SyncMode: SyncOn}, "preview", false},
		{ActionPublishDelivery, Asset{PublishMode: PublishSelective, SyncMode: SyncOn}, "delivery", false},
		{ActionPublishDelivery, Asset{PublishMode: PublishOnActivation, SyncMode: SyncOn}, "none", false},
		{ActionPublish, Asset{PublishMode: PublishImmediately, SyncMode: SyncOn, TrashedAt: &now}, "none", true},
		{ActionPublish, Asset{PublishMode: PublishImmediately, SyncMode: SyncExclude}, "none", true},
		{ActionUnpublish, Asset{PublishMode: PublishOnActivation, SyncMode: SyncOn}, "preview and delivery", false},
	}
	for _, tc := range tests {
		got := PlanFor(tc.action, &tc.a)
		if got.Target != tc.wantTarget || got.Blocked != tc.wantBlocked || got.Reason == "" {
			t.Errorf("PlanFor(%s, mode %s) = %+v, want target %q blocked %v", tc.action, tc.a.PublishMode, got, tc.wantTarget, tc.wantBlocked)
		}
	}
}

func TestPublicationValidate(t *testing.T) {
	many := make([]string, MaxPublicationItems+1)
	tests := []struct {
		name string
		p    Publication
		ok   bool
	}{
		{"publish", Publication{Action: ActionPublish, Assets: []string{"a"}}, true},
		{"folder", Publication{Action: ActionUnpublish, Folders: []string{"/x"}}, true},
		{"bad action", Publication{Action: "burn", Assets: []string{"a"}}, false},
		{"nothing named", Publication{Action: ActionPublish}, false},
		{"too many", Publication{Action: ActionPublish, Assets: many}, false},
		{"quick and exact", Publication{Action: ActionPublish, Assets: []string{"a"}, Quick: true, Exact: true}, false},
		{"quick unpublish", Publication{Action: ActionUnpublish, Assets: []string{"a"}, Quick: true}, false},
		{"quick publish", Publication{Action: ActionPublish, Assets: []string{"a"}, Quick: true}, true},
	}
	for _, tc := range tests {
		err := tc.p.Validate()
		if (err == nil) != tc.ok || (err != nil && ErrorCode(err) != EINVALID) {
			t.Errorf("%s: Validate() = %v, want ok %v", tc.name, err, tc.ok)
		}
	}
}

func TestPublicationLiveNow(t *testing.T) {
	on, off := Settings{InstantPublish: true}, Settings{}
	tests := []struct {
		p    Publication
		s    Settings
		want bool
	}{
		{Publication{Action: ActionPublish}, on, true},
		{Publication{Action: ActionPublish}, off, false},
		{Publication{Action: ActionPublish, Quick: true}, off, true},
		{Publication{Action: ActionPublish, JobID: 3}, off, true},
	}
	for _, tc := range tests {
		if got := tc.p.LiveNow(tc.s); got != tc.want {
			t.Errorf("%+v.LiveNow(instant=%v) = %v, want %v", tc.p, tc.s.InstantPublish, got, tc.want)
		}
	}
}

func TestPublicationCascades(t *testing.T) {
	tests := []struct {
		p    Publication
		want bool
	}{
		{Publication{Action: ActionPublish}, true},
		{Publication{Action: ActionPublish, Quick: true}, true},
		{Publication{Action: ActionPublishDelivery}, true},
		{Publication{Action: ActionPublish, Exact: true}, false},
		{Publication{Action: ActionUnpublish}, false},
	}
	for _, tc := range tests {
		if got := tc.p.Cascades(); got != tc.want {
			t.Errorf("%+v.Cascades() = %v, want %v", tc.p, got, tc.want)
		}
	}
}

func TestJobFinalStatus(t *testing.T) {
	tests := []struct {
		current, given                JobStatus
		total, done, warnings, errors int
		want                          JobStatus
	}{
		{JobRunning, "", 10, 10, 0, 0, JobSucceeded},
		{JobRunning, "", 0, 0, 0, 0, JobSucceeded},
		{JobRunning, "", 10, 9, 0, 1, JobSucceededWithWarnings},
		{JobRunning, "", 10, 10, 2, 0, JobSucceededWithWarnings},
		{JobRunning, "", 3, 0, 0, 3, JobFailed},
		{JobRunning, JobFailed, 10, 10, 0, 0, JobFailed},
		{JobStopping, JobFailed, 10, 2, 0, 0, JobCancelled},
		{JobStopping, "", 10, 2, 0, 0, JobCancelled},
	}
	for _, tc := range tests {
		if got := JobFinalStatus(tc.current, tc.given, tc.total, tc.done, tc.warnings, tc.errors); got != tc.want {
			t.Errorf("JobFinalStatus(%s, %q, %d/%d, w%d e%d) = %s, want %s", tc.current, tc.given, tc.done, tc.total, tc.warnings, tc.errors, got, tc.want)
		}
	}
}

// A publication of many repeated names reaches the store with each name
// once (issue 15, item 4: 130k duplicates held the write transaction).
func TestPublicationValidateDedupes(t *testing.T) {
	t.Parallel()
	p := Publication{Action: ActionPublish, Assets: []string{"a", "b", "a", "a", "c", "b"}, Folders: []string{"/x", "/x"}}
	if err := p.Validate(); err != nil {
		t.Fatal(err)
	}
	if got := strings.Join(p.Assets, ","); got != "a,b,c" {
		t.Errorf("Validate() assets = %s, want a,b,c", got)
	}
	if got := strings.Join(p.Folders, ","); got != "/x" {
		t.Errorf("Validate() folders = %s, want /x", got)
	}
}
