package service

import (
	"errors"
	"fmt"
	"io/fs"
	"syscall"
	"testing"

	"github.com/vitrine/vitrine"
)

// The seam where spooling and storing fail: a full disk or quota is 507's
// code wherever it is wrapped; anything else passes through.
func TestStorageError(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct {
		err  error
		want string
	}{
		{fmt.Errorf("spool: %w", &fs.PathError{Op: "write", Path: "x", Err: syscall.ENOSPC}), vitrine.EINSUFFICIENTSTORAGE},
		{fmt.Errorf("store a.jpg: %w", &fs.PathError{Op: "rename", Path: "x", Err: syscall.EDQUOT}), vitrine.EINSUFFICIENTSTORAGE},
		{fmt.Errorf("spool: %w", syscall.EIO), vitrine.EINTERNAL},
		{vitrine.Errorf(vitrine.EINVALID, "bad"), vitrine.EINVALID},
		{errors.New("other"), vitrine.EINTERNAL},
	} {
		if got := vitrine.ErrorCode(storageError(tc.err)); got != tc.want {
			t.Errorf("storageError(%v) code = %s, want %s", tc.err, got, tc.want)
		}
	}
}
