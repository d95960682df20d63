package main_test

import (
	"bytes"
	"encoding/json"
	"strconv"
	"strings"
	"testing"

	"github.com/vitrine/vitrine"
)

// decodeStrict decodes one JSON document into v, refusing fields v lacks:
// the CLI's --json output is the API's answer, readable as the API types.
func decodeStrict(t *testing.T, what string, data []byte, v any) {
	t.Helper()
	dec := json.NewDecoder(bytes.NewReader(data))
	dec.DisallowUnknownFields()
	if err := dec.Decode(v); err != nil {
		t.Fatalf("%s --json does not decode as %T: %v\n%s", what, v, err, data)
	}
}

// TestCLIJSON: every printing command's --json is the API's JSON: reads
// print the very bytes the API answers, and each answer decodes into the
// API's types.
func TestCLIJSON(t *testing.T) {
	t.Parallel()
	s := startServer(t)
	dir := t.TempDir()
	tok := s.token
	run := func(args ...string) []byte { t.Helper(); return []byte(s.cli(t, tok, append(args, "--json")...)) }
	api := func(path string) []byte {
		t.Helper()
		resp, body := s.get(t, "/api/v1/companies/demo"+path, "Authorization", "Bearer "+tok)
		if resp.StatusCode != 200 {
			t.Fatalf("GET %s = %d %s", path, resp.StatusCode, body)
		}
		return body
	}

	var up struct {
		Job    map[string]any `json:"job"`
		Assets []struct {
			Name string `json:"name"`
		} `json:"assets"`
	}
	out := run("upload", "--folder", "/products", writeJPEG(t, dir, "shoe.jpg", 40, 30, 1))
	if err := json.Unmarshal(out, &up); err != nil || len(up.Assets) != 1 || up.Assets[0].Name != "shoe" {
		t.Fatalf("upload --json = %s (%v)", out, err)
	}
	s.cli(t, tok, "upload", "--folder", "/products", writeJPEG(t, dir, "hat.jpg", 40, 30, 2))

	// Reads: the API's bytes, unchanged.
	for _, tc := range []struct {
		args []string
		path string
		into any
	}{
		{[]string{"assets", "ls", "--folder", "/products"}, "/assets?folder=%2Fproducts", &vitrine.AssetPage{}},
		{[]string{"assets", "show", "shoe"}, "/assets/shoe", &struct {
			*vitrine.Asset
			*vitrine.Relations
		}{}},
		{[]string{"assets", "versions", "shoe"}, "/assets/shoe/versions", &struct{ Versions []vitrine.Version }{}},
		{[]string{"history", "shoe"}, "/assets/shoe/history", &struct{ History []vitrine.HistoryEntry }{}},
		{[]string{"folders", "ls"}, "/folders?under=%2F", &struct{ Folders []vitrine.Folder }{}},
		{[]string{"folders", "show", "/products"}, "/folders/products", &vitrine.Folder{}},
		{[]string{"settings", "get"}, "/settings", &vitrine.Settings{}},
		{[]string{"presets", "ls"}, "/settings", &vitrine.Settings{}},
		{[]string{"users", "ls"}, "/users", &struct{ Users []vitrine.Account }{}},
		{[]string{"jobs", "ls"}, "/jobs?limit=50", &struct{ Jobs []vitrine.JobRun }{}},
	} {
		name := strings.Join(tc.args, " ")
		got := run(tc.args...)
		if want := api(tc.path); !bytes.Equal(bytes.TrimSpace(got), bytes.TrimSpace(want)) {
			t.Errorf("%s --json:\n%s\nwant the API's answer:\n%s", name, got, want)
		}
		decodeStrict(t, name, got, tc.into)
	}

	// Changes: the API's answer, decoded into the API's types.
	var a vitrine.Asset
	decodeStrict(t, "assets rename", run("assets", "rename", "hat", "sale-hat"), &a)
	if a.Name != "sale-hat" {
		t.Errorf("rename answered %+v", a)
	}
	decodeStrict(t, "assets mv", run("assets", "mv", "sale-hat", "--folder", "/sale"), &a)
	if a.Folder != "/sale" {
		t.Errorf("mv answered folder %q", a.Folder)
	}
	decodeStrict(t, "assets cp", run("assets", "cp", "shoe", "--folder", "/archive"), &a)
	if a.Name != "shoe-1" || a.Published.Delivery != nil {
		t.Errorf("cp answered %+v, want an unpublished shoe-1", a)
	}
	decodeStrict(t, "assets meta", run("assets", "meta", "shoe", "--title", "Red shoe", "--keywords", "red,shoe"), &a)
	if a.Title != "Red shoe" || strings.Join(a.Keywords, ",") != "red,shoe" {
		t.Errorf("meta answered title %q keywords %v", a.Title, a.Keywords)
	}
	var trashed struct {
		Name    string         `json:"name"`
		Trashed bool           `json:"trashed"`
		Purge   map[string]any `json:"purge"`
	}
	decodeStrict(t, "assets rm", run("assets", "rm", "shoe-1"), &trashed)
	if !trashed.Trashed {
		t.Errorf("rm answered %+v", trashed)
	}
	decodeStrict(t, "assets restore", run("assets", "restore", "shoe-1"), &a)
	if a.TrashedAt != nil {
		t.Errorf("restore answered %+v", a)
	}
	var pub struct {
		Results []vitrine.PublishResult
		Purge   json.RawMessage
	}
	decodeStrict(t, "unpublish", run("unpublish", "shoe"), &pub)
	if len(pub.Results) != 1 || len(pub.Results[0].Changed) == 0 {
		t.Errorf("unpublish answered %+v", pub)
	}
	var set struct {
		Set     *vitrine.Set
		Results []vitrine.PublishResult
	}
	decodeStrict(t, "sets create", run("sets", "create", "spring", "--type", "image_set", "shoe", "sale-hat"), &set)
	published := map[string]bool{}
	for _, r := range set.Results {
		published[r.Name] = len(r.Changed) > 0
	}
	if set.Set == nil || len(set.Set.Members) != 2 || !published["shoe"] {
		t.Errorf("sets create answered %+v; want two members and shoe published again with the set", set)
	}
	decodeStrict(t, "sets show", run("sets", "show", "spring"), &vitrine.Set{})
	var st vitrine.Settings
	decodeStrict(t, "settings set", run("settings", "set", "image_ttl_seconds=3600", "time_zone=Europe/Paris"), &st)
	if st.ImageTTLSeconds != 3600 || st.TimeZone != "Europe/Paris" {
		t.Errorf("settings set answered ttl %d, zone %q", st.ImageTTLSeconds, st.TimeZone)
	}
	decodeStrict(t, "presets set", run("presets", "set", "thumb", "wid=20"), &st)
	if st.Presets["thumb"] != "wid=20" {
		t.Errorf("presets set answered %v", st.Presets)
	}
	if resp, _ := s.get(t, "/is/image/demo/sale-hat?$thumb$"); resp.StatusCode != 200 {
		t.Errorf("a URL with the new preset = %d", resp.StatusCode)
	}
	var after vitrine.Settings
	decodeStrict(t, "presets rm", run("presets", "rm", "thumb"), &after)
	if _, ok := after.Presets["thumb"]; ok {
		t.Errorf("presets rm left %v", after.Presets)
	}
	var made struct {
		Token  vitrine.PersonalToken
		Secret string
	}
	decodeStrict(t, "tokens create", run("tokens", "create", "laptop"), &made)
	if made.Secret == "" {
		t.Fatalf("tokens create answered no secret: %+v", made)
	}
	if out := s.cli(t, made.Secret, "tokens", "ls"); !strings.Contains(out, "laptop") {
		t.Errorf("tokens ls with the new token:\n%s", out)
	}
	var toks struct{ Tokens []vitrine.PersonalToken }
	decodeStrict(t, "tokens ls", run("tokens", "ls"), &toks)
	if len(toks.Tokens) == 0 {
		t.Errorf("tokens ls --json listed none")
	}
	if out := s.cli(t, tok, "tokens", "revoke", strconv.FormatInt(made.Token.ID, 10)); !strings.Contains(out, "revoked") {
		t.Errorf("tokens revoke: %s", out)
	}
	var inv map[string]any
	decodeStrict(t, "invalidate", run("invalidate", "shoe"), &inv)
	if inv["urls"] == nil {
		t.Errorf("invalidate answered %v", inv)
	}
	// sign: with signing required, the URL it prints is served.
	s.cli(t, tok, "settings", "set", "url_signing=required", `url_signing_keys=["cli-key-0123456789abcdef"]`)
	if resp, _ := s.get(t, "/is/image/demo/sale-hat?wid=20"); resp.StatusCode != 403 {
		t.Errorf("unsigned with signing required = %d, want 403", resp.StatusCode)
	}
	var signed struct{ URL string }
	decodeStrict(t, "sign", run("sign", "/is/image/demo/sale-hat?wid=20", "--expires-in", "1h"), &signed)
	plain := strings.TrimSpace(s.cli(t, tok, "sign", "/is/image/demo/sale-hat?wid=20"))
	for _, u := range []string{signed.URL, plain} {
		if resp, _ := s.get(t, u); resp.StatusCode != 200 {
			t.Errorf("GET %s (vitrine sign) = %d, want 200", u, resp.StatusCode)
		}
	}
	if !strings.Contains(signed.URL, "exp=") || strings.Contains(plain, "exp=") {
		t.Errorf("sign --expires-in 1h = %s, sign = %s: want exp= in the first only", signed.URL, plain)
	}
}
