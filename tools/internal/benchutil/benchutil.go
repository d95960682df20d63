// Package benchutil holds what the benchmark tools share: starting a
// server on loopback and waiting for it.
package benchutil

import (
	"fmt"
	"net"
	"net/http"
	"time"
)

// FreeAddr returns a free loopback address.
func FreeAddr() (string, error) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return "", err
	}
	defer ln.Close()
	return ln.Addr().String(), nil
}

// WaitHealthy polls base/healthz until it answers 200, for at most a minute.
func WaitHealthy(base string) error {
	deadline := time.Now().Add(60 * time.Second)
	for time.Now().Before(deadline) {
		if resp, err := http.Get(base + "/healthz"); err == nil {
			resp.Body.Close()
			if resp.StatusCode == 200 {
				return nil
			}
		}
		time.Sleep(50 * time.Millisecond) // a child process's readiness
	}
	return fmt.Errorf("server at %s not healthy", base)
}

// WaitListening waits until addr takes TCP connections, for at most a
// minute.
func WaitListening(addr string) error {
	deadline := time.Now().Add(60 * time.Second)
	for time.Now().Before(deadline) {
		if c, err := net.Dial("tcp", addr); err == nil {
			c.Close()
			return nil
		}
		time.Sleep(50 * time.Millisecond) // a child process's readiness
	}
	return fmt.Errorf("nothing listens at %s", addr)
}
