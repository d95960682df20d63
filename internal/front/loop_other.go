//go:build !linux

package front

import "errors"

// The hit loop is Linux only (loop_linux.go).
type loop struct{}

func newLoop(*Server, FastHandler) (*loop, error) {
	return nil, errors.New("the hit loop is Linux only")
}
func (l *loop) add(*conn) bool { return false }
func (l *loop) stop()          {}
func (l *loop) run()           {}
