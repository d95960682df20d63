package delivery_test

import (
	"bufio"
	"bytes"
	"fmt"
	"mime"
	"os"
	"strconv"
	"strings"
	"testing"

	"github.com/vitrine/vitrine/internal/imaging"
)

// replayLine is one URL shape of testdata/scene7-urls.tsv with what Scene7
// answers to it.
type replayLine struct {
	n       int // line number in the file
	family  string
	pending bool // "pending:family": the feature is not built yet
	status  int
	ctype   string // "-": unchecked
	expect  string // WxH[ alpha|opaque], has:A|B, or -
	url     string
	source  string
}

func readReplayList(t *testing.T, path string) []replayLine {
	t.Helper()
	f, err := os.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	var out []replayLine
	sc := bufio.NewScanner(f)
	for n := 1; sc.Scan(); n++ {
		text := sc.Text()
		if text == "" || strings.HasPrefix(text, "#") {
			continue
		}
		fields := strings.Split(text, "\t")
		if len(fields) != 6 {
			t.Fatalf("%s:%d: %d fields, want 6 (family, status, type, expect, url, source)", path, n, len(fields))
		}
		status, err := strconv.Atoi(fields[1])
		if err != nil || fields[5] == "" || !strings.HasPrefix(fields[4], "/is/image/") {
			t.Fatalf("%s:%d: bad line (status %q, url %q, source %q)", path, n, fields[1], fields[4], fields[5])
		}
		family, pending := strings.CutPrefix(fields[0], "pending:")
		out = append(out, replayLine{n: n, family: family, pending: pending, status: status,
			ctype: fields[2], expect: fields[3], url: fields[4], source: fields[5]})
	}
	if err := sc.Err(); err != nil {
		t.Fatal(err)
	}
	return out
}

// TestScene7Replay replays URL shapes taken from sites, plugins, viewers
// and Adobe's reference (testdata/scene7-urls.tsv) against fixtures of the
// same shape, and checks status, content type and the decoded image (size,
// alpha) or the request answer. A line marked pending must still fail: when
// its feature lands the test says so, and the mark goes.
func TestScene7Replay(t *testing.T) {
	t.Parallel()
	lines := readReplayList(t, "testdata/scene7-urls.tsv")
	if len(lines) < 60 {
		t.Fatalf("%d URL shapes, want at least 60", len(lines))
	}
	e := replayEnv(t)
	var passed, pending int
	for _, l := range lines {
		name := fmt.Sprintf("%d_%s", l.n, l.family)
		t.Run(name, func(t *testing.T) {
			resp, body := e.get(t, l.url)
			problems := l.check(resp.StatusCode, resp.Header.Get("Content-Type"), body)
			switch {
			case l.pending && len(problems) == 0:
				t.Errorf("GET %s: pending:%s, but Scene7's answer is given now: remove the mark", l.url, l.family)
			case l.pending:
				pending++
				t.Logf("pending:%s GET %s: %s", l.family, l.url, strings.Join(problems, "; "))
			case len(problems) > 0:
				t.Errorf("GET %s (%s): %s", l.url, l.source, strings.Join(problems, "; "))
			default:
				passed++
			}
		})
	}
	t.Logf("%d URL shapes: %d answer as Scene7 does, %d pending", len(lines), passed, pending)
}

// check compares an answer with the line and lists the differences.
func (l replayLine) check(status int, ctype string, body []byte) []string {
	var problems []string
	if status != l.status {
		problems = append(problems, fmt.Sprintf("status %d, want %d (body %.120q)", status, l.status, body))
	}
	if l.ctype != "-" {
		got, _, _ := mime.ParseMediaType(ctype)
		if got != l.ctype {
			problems = append(problems, fmt.Sprintf("Content-Type %q, want %s", ctype, l.ctype))
		}
	}
	switch {
	case l.expect == "-":
	case strings.HasPrefix(l.expect, "has:"):
		for _, s := range strings.Split(strings.TrimPrefix(l.expect, "has:"), "|") {
			if !bytes.Contains(body, []byte(s)) {
				problems = append(problems, fmt.Sprintf("body lacks %q: %.200q", s, body))
			}
		}
	case status == l.status:
		problems = append(problems, checkImage(l.expect, body)...)
	}
	return problems
}

// checkImage decodes the reply's header with libvips and compares its size
// and alpha channel with "WxH[ alpha|opaque]".
func checkImage(expect string, body []byte) []string {
	size, channel, _ := strings.Cut(expect, " ")
	var w, h int
	if _, err := fmt.Sscanf(size, "%dx%d", &w, &h); err != nil {
		return []string{fmt.Sprintf("bad expectation %q in the list", expect)}
	}
	info, err := imaging.Probe(body)
	if jp2, ok := jp2Info(body); ok {
		info, err = jp2, nil // a reply format, not a source type Probe reads
	}
	if err != nil {
		return []string{fmt.Sprintf("reply is not an image: %v", err)}
	}
	var problems []string
	if info.Width != w || info.Height != h {
		problems = append(problems, fmt.Sprintf("image %dx%d, want %dx%d", info.Width, info.Height, w, h))
	}
	if (channel == "alpha" && !info.Alpha) || (channel == "opaque" && info.Alpha) {
		problems = append(problems, fmt.Sprintf("alpha channel %v, want %s", info.Alpha, channel))
	}
	return problems
}

// jp2Info reads a JPEG 2000 reply's size and alpha from its JP2 signature
// and image header boxes (ISO/IEC 15444-1, I.5.1 and I.5.3.1: "ihdr",
// height, width, number of components).
func jp2Info(b []byte) (imaging.Info, bool) {
	if !bytes.HasPrefix(b, []byte("\x00\x00\x00\x0CjP  \r\n\x87\n")) {
		return imaging.Info{}, false
	}
	i := bytes.Index(b, []byte("ihdr"))
	if i < 0 || i+14 > len(b) {
		return imaging.Info{}, false
	}
	be := func(p []byte) int { return int(p[0])<<24 | int(p[1])<<16 | int(p[2])<<8 | int(p[3]) }
	var info imaging.Info
	info.Height, info.Width = be(b[i+4:]), be(b[i+8:])
	info.Alpha = int(b[i+12])<<8|int(b[i+13]) == 4
	return info, true
}
