package vitrine_test

import (
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/vitrine/vitrine"
)

// TestActionTargets is SEL-6: action × effective publish mode → destinations.
func TestActionTargets(t *testing.T) {
	t.Parallel()
	both := []vitrine.Destination{vitrine.DestDelivery, vitrine.DestPreview}
	pre := []vitrine.Destination{vitrine.DestPreview}
	del := []vitrine.Destination{vitrine.DestDelivery}
	cases := []struct {
		action vitrine.Action
		mode   vitrine.PublishMode
		want   []vitrine.Destination
	}{
		{vitrine.ActionPublish, vitrine.PublishImmediately, both},
		{vitrine.ActionPublish, vitrine.PublishOnActivation, both},
		{vitrine.ActionPublish, vitrine.PublishSelective, pre},
		{vitrine.ActionPublishDelivery, vitrine.PublishImmediately, nil},
		{vitrine.ActionPublishDelivery, vitrine.PublishOnActivation, nil},
		{vitrine.ActionPublishDelivery, vitrine.PublishSelective, del},
		{vitrine.ActionUnpublish, vitrine.PublishImmediately, both},
		{vitrine.ActionUnpublish, vitrine.PublishOnActivation, both},
		{vitrine.ActionUnpublish, vitrine.PublishSelective, pre},
		{vitrine.ActionUnpublishDelivery, vitrine.PublishImmediately, nil},
		{vitrine.ActionUnpublishDelivery, vitrine.PublishOnActivation, nil},
		{vitrine.ActionUnpublishDelivery, vitrine.PublishSelective, del},
	}
	for _, tc := range cases {
		if got := tc.action.Targets(tc.mode); !cmp.Equal(got, tc.want) {
			t.Errorf("%s.Targets(%s) = %v, want %v", tc.action, tc.mode, got, tc.want)
		}
	}
}

// TestResolveModes is SEL-2: the nearest explicit value up the tree wins,
// else the company default.
func TestResolveModes(t *testing.T) {
	t.Parallel()
	s := vitrine.DefaultSettings()
	f := func(p string, sync vitrine.SyncMode, pub vitrine.PublishMode) vitrine.Folder {
		return vitrine.Folder{Path: p, SyncMode: sync, PublishMode: pub}
	}
	inh := func(p string) vitrine.Folder { return f(p, vitrine.SyncInherit, vitrine.PublishInherit) }
	sel := s
	sel.DefaultPublishMode = vitrine.PublishSelective
	cases := []struct {
		name  string
		chain []vitrine.Folder
		s     vitrine.Settings
		want  vitrine.EffectiveModes
	}{
		{"company default", []vitrine.Folder{inh("/"), inh("/a")}, s,
			vitrine.EffectiveModes{SyncMode: vitrine.SyncOn, SyncFrom: "company", PublishMode: vitrine.PublishImmediately, PublishFrom: "company"}},
		{"grandparent explicit", []vitrine.Folder{inh("/"), f("/a", vitrine.SyncInherit, vitrine.PublishOnActivation), inh("/a/b"), inh("/a/b/c")}, s,
			vitrine.EffectiveModes{SyncMode: vitrine.SyncOn, SyncFrom: "company", PublishMode: vitrine.PublishOnActivation, PublishFrom: "/a"}},
		{"child overrides", []vitrine.Folder{inh("/"), f("/a", vitrine.SyncInherit, vitrine.PublishOnActivation), f("/a/b", vitrine.SyncInherit, vitrine.PublishSelective)}, s,
			vitrine.EffectiveModes{SyncMode: vitrine.SyncOn, SyncFrom: "company", PublishMode: vitrine.PublishSelective, PublishFrom: "/a/b"}},
		{"company default changed later", []vitrine.Folder{inh("/"), inh("/a")}, sel,
			vitrine.EffectiveModes{SyncMode: vitrine.SyncOn, SyncFrom: "company", PublishMode: vitrine.PublishSelective, PublishFrom: "company"}},
		{"exclude disables publish modes", []vitrine.Folder{inh("/"), f("/x", vitrine.SyncExclude, vitrine.PublishInherit), inh("/x/y")}, s,
			vitrine.EffectiveModes{SyncMode: vitrine.SyncExclude, SyncFrom: "/x", PublishMode: vitrine.PublishImmediately, PublishFrom: "company", PublishDisabled: true}},
		{"sync below exclude", []vitrine.Folder{inh("/"), f("/x", vitrine.SyncExclude, vitrine.PublishInherit), f("/x/y", vitrine.SyncOn, vitrine.PublishInherit)}, s,
			vitrine.EffectiveModes{SyncMode: vitrine.SyncOn, SyncFrom: "/x/y", PublishMode: vitrine.PublishImmediately, PublishFrom: "company"}},
	}
	for _, tc := range cases {
		if got := vitrine.ResolveModes(tc.chain, tc.s); got != tc.want {
			t.Errorf("%s: ResolveModes = %+v, want %+v", tc.name, got, tc.want)
		}
	}
}

func TestAssetNameFromFile(t *testing.T) {
	t.Parallel()
	cases := []struct{ in, name, ext string }{
		{"shoe.jpg", "shoe", "jpg"},
		{"Shoe Red.JPG", "Shoe Red", "jpg"},
		{"a;b/c?d:e@f&g=h+i$j,k*l\"m<n>o|p'q{r}s%t.png", "cdefghijklmnopqrst", "png"}, // the name after the last slash
		{"archive.tar.gz", "archive.tar", "gz"},
		{"noext", "noext", ""},
		{".hidden", ".hidden", ""},
	}
	for _, tc := range cases {
		name, ext, err := vitrine.AssetNameFromFile(tc.in)
		if err != nil || name != tc.name || ext != tc.ext {
			t.Errorf("AssetNameFromFile(%q) = %q, %q, %v; want %q, %q", tc.in, name, ext, err, tc.name, tc.ext)
		}
	}
	for _, bad := range []string{"", "%%%.jpg", "a\x00b.jpg", string(make([]byte, 300)) + ".jpg", "...."} {
		if _, _, err := vitrine.AssetNameFromFile(bad); vitrine.ErrorCode(err) != vitrine.EINVALID {
			t.Errorf("AssetNameFromFile(%q) err = %v, want invalid", bad, err)
		}
	}
}
