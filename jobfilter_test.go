package vitrine_test

import (
	"testing"

	"github.com/vitrine/vitrine"
)

func TestJobFilterCheckKinds(t *testing.T) {
	for _, tc := range []struct {
		f  vitrine.JobFilter
		ok bool
	}{
		{vitrine.JobFilter{}, true},
		{vitrine.JobFilter{Type: vitrine.JobUpload, Status: vitrine.JobSucceededWithWarnings}, true},
		{vitrine.JobFilter{Type: vitrine.JobMaintenance}, true},
		{vitrine.JobFilter{Type: vitrine.JobNotify, Status: vitrine.JobStopping}, true},
		{vitrine.JobFilter{Type: "bogus"}, false},
		{vitrine.JobFilter{Status: "succeded"}, false},
		{vitrine.JobFilter{Type: "Upload"}, false},
	} {
		err := tc.f.CheckKinds()
		if (err == nil) != tc.ok || (err != nil && vitrine.ErrorCode(err) != vitrine.EINVALID) {
			t.Errorf("CheckKinds(%+v) = %v, want ok=%v (or invalid)", tc.f, err, tc.ok)
		}
	}
}
