package main

import (
	"fmt"
	"io"
	"os"
	"strings"
	"sync"
	"time"

	"golang.org/x/term"
)

// progress draws a one-line progress bar on a terminal, and nothing
// elsewhere (pipes, CI logs).
type progress struct {
	mu         sync.Mutex
	w          io.Writer
	on         bool
	total      int64
	done       int64
	files      int
	filesTotal int
	start      time.Time
	last       time.Time
	// items names what files counts, and unit what total counts when it
	// is not bytes (vitrine migrate's rows and tables).
	items, unit string
}

func newProgress(w io.Writer, total int64, files int) *progress {
	on := false
	if f, ok := w.(*os.File); ok {
		on = term.IsTerminal(int(f.Fd()))
	}
	return &progress{w: w, on: on, total: total, filesTotal: files, start: time.Now(), items: "files"}
}

// newCountProgress is a bar of total things called unit (rows) in files
// groups called items (tables), with a rate in unit per second.
func newCountProgress(w io.Writer, total int64, groups int, unit, items string) *progress {
	p := newProgress(w, total, groups)
	p.unit, p.items = unit, items
	return p
}

func (p *progress) add(bytes int64, fileDone bool) {
	p.mu.Lock()
	defer p.mu.Unlock()
	p.done += bytes
	if fileDone {
		p.files++
	}
	if !p.on || (time.Since(p.last) < 100*time.Millisecond && p.files < p.filesTotal) {
		return
	}
	p.last = time.Now()
	frac := 1.0
	if p.total > 0 {
		frac = float64(p.done) / float64(p.total)
	}
	const width = 30
	n := int(frac * width)
	rate := float64(p.done) / time.Since(p.start).Seconds()
	speed := fmt.Sprintf("%.1f MB/s", rate/1e6)
	if p.unit != "" {
		speed = fmt.Sprintf("%.0f %s/s", rate, p.unit)
	}
	fmt.Fprintf(p.w, "\r[%s%s] %3.0f%%  %d/%d %s  %s ", strings.Repeat("=", n), strings.Repeat(" ", width-n),
		frac*100, p.files, p.filesTotal, p.items, speed)
}

func (p *progress) finish() {
	if p.on {
		fmt.Fprintln(p.w)
	}
}
