package jobs

import (
	"encoding/json"
	"reflect"
	"testing"

	"github.com/vitrine/vitrine"
)

// TestPublicationOptionsRoundTrip keeps a scheduled publication whole:
// every field of vitrine.Publication set to a non-zero value survives
// the trip through the job's stored options (At is the schedule itself,
// JobID is set by the run). A field added to Publication and not carried
// fails here.
func TestPublicationOptionsRoundTrip(t *testing.T) {
	in := vitrine.Publication{Action: vitrine.ActionPublishDelivery, Assets: []string{"a"}, Folders: []string{"/f"},
		At: "2026-03-02 10:00", Quick: true, Exact: true, JobID: 7}
	v := reflect.ValueOf(in)
	for i := range v.NumField() {
		if v.Field(i).IsZero() {
			t.Fatalf("set field %s in this test", v.Type().Field(i).Name)
		}
	}
	opts := publicationOptions(in)
	b, err := json.Marshal(opts)
	if err != nil {
		t.Fatal(err)
	}
	back, err := decodeOptions(b)
	if err != nil {
		t.Fatal(err)
	}
	got := back.publication(7)
	want := in
	want.At = ""
	if !reflect.DeepEqual(got, want) {
		t.Fatalf("round trip = %+v, want %+v", got, want)
	}
}
