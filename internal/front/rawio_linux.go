package front

import (
	"io"
	"net"
	"syscall"
	"unsafe"
)

// rawIO reads and writes a connection with raw system calls through its
// syscall.RawConn: the goroutine keeps its P for the call (a read or a
// writev of a cached body takes tens of microseconds on a socket that is
// never blocking), so the runtime does not hand the P to another thread
// on every reply, and sysmon, which polls every 20 µs while it finds Ps
// to take back, can sleep. Waiting for the socket still goes through the
// netpoller, with the connection's deadlines.
type rawIO struct {
	rc      syscall.RawConn
	p       []byte
	bufs    [][]byte
	iov     [2]syscall.Iovec
	n       int
	err     error
	readFn  func(uintptr) bool // r.read, made once
	writeFn func(uintptr) bool // r.writev, made once
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
	r := &rawIO{rc: rc}
	r.readFn, r.writeFn = r.read, r.writev
	return r
}

func (r *rawIO) Read(p []byte) (int, error) {
	if len(p) == 0 {
		return 0, nil
	}
	r.p, r.n, r.err = p, 0, nil
	err := r.rc.Read(r.readFn)
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
			return false
		}
		r.err = e
		return true
	}
}

// writeBuffers writes bufs (at most two) whole with writev.
func (r *rawIO) writeBuffers(bufs ...[]byte) (int, error) {
	r.bufs, r.n, r.err = bufs, 0, nil
	err := r.rc.Write(r.writeFn)
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
