//go:build !linux

package front

import "net"

// rawIO is Linux only; elsewhere the connection's own Read and Write are
// used.
type rawIO struct{}

func newRawIO(net.Conn) *rawIO { return nil }

func (r *rawIO) Read([]byte) (int, error) { panic("unreachable") }

func (r *rawIO) writeBuffers(...[]byte) (int, error) { panic("unreachable") }

func (r *rawIO) detached() bool { return false }

func (r *rawIO) closeDetached() {}
