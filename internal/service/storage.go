package service

import (
	"errors"
	"syscall"

	"github.com/vitrine/vitrine"
)

// storageError answers a full disk or an exhausted quota as
// EINSUFFICIENTSTORAGE (507): the client did nothing wrong, and retrying
// will not help until an operator makes room. Other errors pass unchanged.
func storageError(err error) error {
	if errors.Is(err, syscall.ENOSPC) || errors.Is(err, syscall.EDQUOT) {
		return &vitrine.Error{Code: vitrine.EINSUFFICIENTSTORAGE, Message: "the server is out of storage space; nothing was stored"}
	}
	return err
}
