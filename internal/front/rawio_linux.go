package front

import (
	"errors"
	"io"
	"net"
	"os"
	"syscall"
	"unsafe"

	"golang.org/x/sys/unix"
)

// rawIO reads and writes a connection with raw system calls through its
// syscall.RawConn: the goroutine keeps its P for the call (a read or a
// writev of a cached body takes tens of microseconds on a socket that is
// never blocking), so the runtime does not hand the P to another thread
// on every reply, and sysmon, which polls every 20 µs while it finds Ps
// to take back, can sleep. Waiting for the socket still goes through the
// netpoller, with the connection's deadlines.
type rawIO struct {
	rc syscall.RawConn
	// rawfd, when not -1, is a descriptor of the connection's own,
	// outside Go's netpoller, used instead of rc: the hit loop's, so that
	// a request arriving wakes no thread but the loop's.
	rawfd int
	// nonblock: EAGAIN is returned (syscall.EAGAIN) instead of waited
	// for, while the hit loop owns the connection (loop_linux.go).
	nonblock bool
	p        []byte
	bufs     [][]byte  // what writev has left to write, in own
	own      [2][]byte // writeBuffers' copy of its arguments
	iov      [2]syscall.Iovec
	n        int
	err      error
	readFn   func(uintptr) bool // r.read, made once
	writeFn  func(uintptr) bool // r.writev, made once
}

func newRawIO(nc net.Conn) *rawIO {
	sc, ok := nc.(syscall.Conn)
	if !ok {
		return nil
	}
	rc, err := sc.SyscallConn()
	if err != nil {
		return nil
	}
	r := &rawIO{rc: rc, rawfd: -1}
	r.readFn, r.writeFn = r.read, r.writev
	return r
}

func (r *rawIO) Read(p []byte) (int, error) {
	if len(p) == 0 {
		return 0, nil
	}
	r.p, r.n, r.err = p, 0, nil
	var err error
	if r.rawfd >= 0 {
		r.read(uintptr(r.rawfd))
	} else {
		err = r.rc.Read(r.readFn)
	}
	r.p = nil
	switch {
	case err != nil:
		return 0, err
	case r.err != nil:
		return 0, r.err
	case r.n == 0:
		return 0, io.EOF
	}
	return r.n, nil
}

func (r *rawIO) read(fd uintptr) bool {
	for {
		n, _, e := syscall.RawSyscall(syscall.SYS_READ, fd, uintptr(unsafe.Pointer(&r.p[0])), uintptr(len(r.p)))
		switch e {
		case 0:
			r.n = int(n)
			return true
		case syscall.EINTR:
			continue
		case syscall.EAGAIN:
			if r.nonblock {
				r.err = e
				return true
			}
			return false
		}
		r.err = e
		return true
	}
}

// writeBuffers writes bufs (at most two) whole with writev, and returns
// how many bytes it wrote. bufs itself is left as it was.
func (r *rawIO) writeBuffers(bufs ...[]byte) (int, error) {
	r.bufs, r.n, r.err = append(r.own[:0], bufs...), 0, nil
	defer clear(r.own[:]) // the reply's bytes are not kept
	var err error
	if r.rawfd >= 0 {
		r.writev(uintptr(r.rawfd))
	} else {
		err = r.rc.Write(r.writeFn)
	}
	r.bufs = nil
	if err == nil {
		err = r.err
	}
	return r.n, err
}

func (r *rawIO) writev(fd uintptr) bool {
	for {
		cnt := 0
		for _, b := range r.bufs {
			if len(b) > 0 && cnt < len(r.iov) {
				r.iov[cnt].Base = &b[0]
				r.iov[cnt].SetLen(len(b))
				cnt++
			}
		}
		if cnt == 0 {
			return true
		}
		n, _, e := syscall.RawSyscall(syscall.SYS_WRITEV, fd, uintptr(unsafe.Pointer(&r.iov[0])), uintptr(cnt))
		switch e {
		case 0:
		case syscall.EINTR:
			continue
		case syscall.EAGAIN:
			if r.nonblock {
				r.err = e
				return true
			}
			return false
		default:
			r.err = e
			return true
		}
		r.n += int(n)
		for left := int(n); left > 0 && len(r.bufs) > 0; {
			k := min(left, len(r.bufs[0]))
			r.bufs[0] = r.bufs[0][k:]
			left -= k
			if len(r.bufs[0]) == 0 {
				r.bufs = r.bufs[1:]
			}
		}
	}
}

// detach moves the connection to a descriptor of its own, outside Go's
// netpoller (a duplicate; nc, closed, takes its own out of the poller),
// non-blocking from then on, and returns it.
func (r *rawIO) detach(nc net.Conn) (int, error) {
	if r.rawfd >= 0 {
		return r.rawfd, nil
	}
	var dfd int
	var derr error
	if err := r.rc.Control(func(fd uintptr) {
		// Close-on-exec from the start: no fork in between inherits it.
		dfd, derr = unix.FcntlInt(fd, unix.F_DUPFD_CLOEXEC, 0)
	}); err != nil {
		return -1, err
	}
	if derr != nil {
		return -1, derr
	}
	nc.Close()
	r.rawfd, r.nonblock = dfd, true
	return dfd, nil
}

// attach puts a detached connection back in Go's netpoller and returns
// its net.Conn, which the goroutine serving it uses from then on.
func (r *rawIO) attach() (net.Conn, error) {
	f := os.NewFile(uintptr(r.rawfd), "")
	nc, err := net.FileConn(f) // a duplicate, in the poller
	f.Close()
	r.rawfd, r.nonblock = -1, false
	if err != nil {
		return nil, err
	}
	sc, ok := nc.(syscall.Conn)
	if !ok {
		nc.Close()
		return nil, errors.New("front: not a socket")
	}
	rc, err := sc.SyscallConn()
	if err != nil {
		nc.Close()
		return nil, err
	}
	r.rc = rc
	return nc, nil
}

// detached reports whether the connection is on a descriptor of its own.
func (r *rawIO) detached() bool { return r.rawfd >= 0 }

// closeDetached closes a detached connection's descriptor.
func (r *rawIO) closeDetached() {
	if r.rawfd >= 0 {
		syscall.Close(r.rawfd)
		r.rawfd = -1
	}
}
