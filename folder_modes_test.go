package vitrine_test

import (
	"testing"

	"github.com/vitrine/vitrine"
)

func TestFolderPatchCheckModes(t *testing.T) {
	sync := func(s vitrine.SyncMode) *vitrine.SyncMode { return &s }
	pub := func(m vitrine.PublishMode) *vitrine.PublishMode { return &m }
	for _, tc := range []struct {
		patch vitrine.FolderPatch
		ok    bool
	}{
		{vitrine.FolderPatch{}, true},
		{vitrine.FolderPatch{SyncMode: sync(vitrine.SyncInherit)}, true},
		{vitrine.FolderPatch{SyncMode: sync(vitrine.SyncOn)}, true},
		{vitrine.FolderPatch{SyncMode: sync(vitrine.SyncExclude)}, true},
		{vitrine.FolderPatch{SyncMode: sync(vitrine.SyncAll)}, false}, // the company's default only
		{vitrine.FolderPatch{SyncMode: sync("zzz")}, false},
		{vitrine.FolderPatch{PublishMode: pub(vitrine.PublishInherit)}, true},
		{vitrine.FolderPatch{PublishMode: pub(vitrine.PublishImmediately)}, true},
		{vitrine.FolderPatch{PublishMode: pub(vitrine.PublishOnActivation)}, true},
		{vitrine.FolderPatch{PublishMode: pub(vitrine.PublishSelective)}, true},
		{vitrine.FolderPatch{PublishMode: pub("")}, false},
		{vitrine.FolderPatch{SyncMode: sync(vitrine.SyncOn), PublishMode: pub("later")}, false},
	} {
		err := tc.patch.CheckModes()
		if (err == nil) != tc.ok || (err != nil && vitrine.ErrorCode(err) != vitrine.EINVALID) {
			t.Errorf("CheckModes(%+v) = %v, want ok=%v (or invalid)", tc.patch, err, tc.ok)
		}
	}
}
