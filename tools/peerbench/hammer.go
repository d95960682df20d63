package main

import (
	"bufio"
	"bytes"
	"context"
	"errors"
	"fmt"
	"net"
	"net/url"
	"slices"
	"strconv"
	"sync"
	"sync/atomic"
	"time"
)

// hammer sends GETs for target over conc keep-alive HTTP/1.1 connections
// for d, after a short warm-up, and times each until its body is read.
//
// Each connection is driven by hand (one fixed request, the status line,
// the headers, Content-Length bytes discarded) rather than by net/http's
// client, which costs more CPU per request than nginx spends answering
// it: on two cores the load generator's own work decided the hit rate of
// every server measured. The servers compared all get the same client.
// mark, when set, is called between the warm-up and the measured run (to
// read the servers' CPU time).
//
// With rate > 0 the connections send rate requests a second between them,
// each on a schedule (open loop) instead of as soon as the last reply is
// in, and a request's time counts from when the schedule said to send it:
// a server that falls behind is charged for the wait (no coordinated
// omission). That compares latencies at one load; in a closed loop a
// faster server also draws more load, and its client more CPU, on the
// same two cores.
func hammer(target string, conc int, d time.Duration, mark func()) (result, error) {
	return hammerAt(target, conc, d, 0, mark)
}

func hammerAt(target string, conc int, d time.Duration, rate float64, mark func()) (result, error) {
	u, err := url.Parse(target)
	if err != nil {
		return result{}, err
	}
	req := []byte("GET " + u.RequestURI() + " HTTP/1.1\r\nHost: " + u.Host + "\r\nUser-Agent: peerbench\r\n\r\n")
	run := func(d time.Duration) ([]time.Duration, int64, time.Duration) {
		ctx, cancel := context.WithTimeout(context.Background(), d)
		defer cancel()
		per := make([][]time.Duration, conc)
		var errs atomic.Int64
		var wg sync.WaitGroup
		start := time.Now()
		for w := range conc {
			wg.Go(func() {
				var c *rawConn
				defer func() {
					if c != nil {
						c.Close()
					}
				}()
				var interval time.Duration
				next := start
				if rate > 0 {
					interval = time.Duration(float64(conc) / rate * float64(time.Second))
					next = start.Add(interval * time.Duration(w) / time.Duration(conc))
				}
				for ctx.Err() == nil {
					if c == nil {
						nc, err := dialRaw(u.Host, start.Add(d+5*time.Second))
						if err != nil {
							errs.Add(1)
							continue
						}
						c = nc
					}
					t0 := time.Now()
					if rate > 0 {
						if wait := time.Until(next); wait > 0 {
							time.Sleep(wait) // pacing the load, not synchronising
						}
						t0 = next
						next = next.Add(interval)
					}
					keep, err := c.get(req)
					if err != nil {
						if ctx.Err() == nil {
							errs.Add(1)
						}
						c.Close()
						c = nil
						continue
					}
					per[w] = append(per[w], time.Since(t0))
					if !keep {
						c.Close()
						c = nil
					}
				}
			})
		}
		wg.Wait()
		return slices.Concat(per...), errs.Load(), time.Since(start)
	}
	run(d / 5)
	if mark != nil {
		mark()
	}
	lat, errs, elapsed := run(d)
	if len(lat) == 0 {
		return result{}, errors.New(target + ": no request succeeded")
	}
	slices.Sort(lat)
	return result{Rate: float64(len(lat)) / elapsed.Seconds(), P50: lat[len(lat)/2], P99: lat[len(lat)*99/100], P999: lat[len(lat)*999/1000], Errs: errs}, nil
}

type rawConn struct {
	net.Conn
	r *bufio.Reader
}

func dialRaw(host string, deadline time.Time) (*rawConn, error) {
	c, err := net.Dial("tcp", host)
	if err != nil {
		return nil, err
	}
	c.SetDeadline(deadline)
	return &rawConn{Conn: c, r: bufio.NewReaderSize(c, 64<<10)}, nil
}

// get sends req and reads a 200 answer with a Content-Length body, and
// reports whether the connection may be reused.
func (c *rawConn) get(req []byte) (bool, error) {
	if _, err := c.Write(req); err != nil {
		return false, err
	}
	line, err := c.r.ReadSlice('\n')
	if err != nil {
		return false, err
	}
	if !bytes.HasPrefix(line, []byte("HTTP/1.1 200 ")) {
		return false, fmt.Errorf("status %q", bytes.TrimSpace(line))
	}
	length, keep := -1, true
	for {
		line, err := c.r.ReadSlice('\n')
		if err != nil {
			return false, err
		}
		line = bytes.TrimRight(line, "\r\n")
		if len(line) == 0 {
			break
		}
		k, v, ok := bytes.Cut(line, []byte(":"))
		if !ok {
			return false, fmt.Errorf("header line %q", line)
		}
		v = bytes.TrimSpace(v)
		switch {
		case bytes.EqualFold(k, []byte("Content-Length")):
			if length, err = strconv.Atoi(string(v)); err != nil {
				return false, fmt.Errorf("Content-Length %q", v)
			}
		case bytes.EqualFold(k, []byte("Transfer-Encoding")):
			return false, fmt.Errorf("Transfer-Encoding %q: only Content-Length bodies are measured", v)
		case bytes.EqualFold(k, []byte("Connection")) && bytes.EqualFold(v, []byte("close")):
			keep = false
		}
	}
	if length < 0 {
		return false, errors.New("no Content-Length")
	}
	if _, err := c.r.Discard(length); err != nil {
		return false, err
	}
	return keep, nil
}
