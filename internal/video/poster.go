package video

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"syscall"
	"time"

	"github.com/vitrine/vitrine"
)

// Config configures poster extraction. Zero fields take the defaults of
// DefaultConfig.
type Config struct {
	// FFmpeg and Prlimit are the programs' paths; empty means look them
	// up in PATH when the Poster is made.
	FFmpeg  string
	Prlimit string
	// Timeout bounds one extraction (both attempts), wall clock.
	Timeout time.Duration
	// MemoryBytes is ffmpeg's address-space limit (RLIMIT_AS).
	MemoryBytes uint64
	// CPUSeconds is ffmpeg's CPU-time limit (RLIMIT_CPU).
	CPUSeconds int
	// ScanSeconds is how far into the video to look for a frame that is
	// not blank before settling for the first frame.
	ScanSeconds int
	// MaxOutputBytes bounds the encoded poster.
	MaxOutputBytes int
}

// DefaultConfig returns the defaults: 60 s, 1 GiB, 60 CPU seconds, the
// first 30 s of video, posters up to 32 MiB.
func DefaultConfig() Config {
	return Config{Timeout: time.Minute, MemoryBytes: 1 << 30, CPUSeconds: 60, ScanSeconds: 30, MaxOutputBytes: 32 << 20}
}

func (c Config) withDefaults() Config {
	d := DefaultConfig()
	if c.Timeout <= 0 {
		c.Timeout = d.Timeout
	}
	if c.MemoryBytes == 0 {
		c.MemoryBytes = d.MemoryBytes
	}
	if c.CPUSeconds <= 0 {
		c.CPUSeconds = d.CPUSeconds
	}
	if c.ScanSeconds <= 0 {
		c.ScanSeconds = d.ScanSeconds
	}
	if c.MaxOutputBytes <= 0 {
		c.MaxOutputBytes = d.MaxOutputBytes
	}
	return c
}

// Poster makes poster thumbnails. It holds no state besides its config and
// is safe for concurrent use.
type Poster struct {
	cfg Config
}

// New returns a Poster, or an error when ffmpeg or prlimit cannot be found.
func New(cfg Config) (*Poster, error) {
	cfg = cfg.withDefaults()
	for _, p := range []struct {
		path *string
		name string
	}{{&cfg.FFmpeg, "ffmpeg"}, {&cfg.Prlimit, "prlimit"}} {
		if *p.path == "" {
			*p.path = p.name
		}
		abs, err := exec.LookPath(*p.path)
		if err != nil {
			return nil, fmt.Errorf("video: %s not found (install the Debian package %s): %w", p.name, map[string]string{"ffmpeg": "ffmpeg", "prlimit": "util-linux"}[p.name], err)
		}
		*p.path = abs
	}
	return &Poster{cfg: cfg}, nil
}

// demuxers maps the media package's video formats to the one ffmpeg
// demuxer allowed to read them.
var demuxers = map[string]string{"mp4": "mov", "mov": "mov", "webm": "matroska", "mkv": "matroska"}

// notBlank keeps the frames whose luma is not all black (the 90th
// percentile, YHIGH, above 32) nor all white (the 10th percentile, YLOW,
// below 224): Scene7's "first frame that is not all black or all white".
const notBlank = "signalstats," +
	"metadata=mode=select:key=lavfi.signalstats.YHIGH:value=32:function=greater," +
	"metadata=mode=select:key=lavfi.signalstats.YLOW:value=224:function=less,"

// Extract returns a JPEG poster of the video file at path, whose format
// (mp4, mov, webm, mkv) came from its bytes: the first frame that is not
// blank within ScanSeconds, else the first frame. A file that refers to
// data outside itself is refused before ffmpeg sees it.
func (p *Poster) Extract(ctx context.Context, path, format string) ([]byte, error) {
	demuxer, ok := demuxers[format]
	if !ok {
		return nil, vitrine.Errorf(vitrine.EUNSUPPORTED, "video format %q is not MP4, MOV, WebM or MKV", format)
	}
	f, err := os.Open(path)
	if err != nil {
		return nil, fmt.Errorf("open video: %w", err)
	}
	st, err := f.Stat()
	if err == nil {
		err = CheckReferences(f, st.Size(), format)
	}
	f.Close()
	if err != nil {
		return nil, err
	}
	// ffmpeg runs in the temporary directory: a relative path (serve
	// --data ./data) must not be read from there.
	if path, err = filepath.Abs(path); err != nil {
		return nil, fmt.Errorf("video path: %w", err)
	}
	ctx, cancel := context.WithTimeout(ctx, p.cfg.Timeout)
	defer cancel()
	out, err := p.run(ctx, path, demuxer, notBlank)
	if err == nil && len(out) == 0 {
		out, err = p.run(ctx, path, demuxer, "") // every frame is blank: the first one
	}
	if err == nil && len(out) == 0 {
		err = vitrine.Errorf(vitrine.EINVALID, "the video has no frame to make a poster from")
	}
	return out, err
}

// run runs ffmpeg once and returns what it wrote: one JPEG, or nothing
// when no frame passed the filter.
func (p *Poster) run(ctx context.Context, path, demuxer, filter string) ([]byte, error) {
	args := []string{
		"--as=" + strconv.FormatUint(p.cfg.MemoryBytes, 10), "--cpu=" + strconv.Itoa(p.cfg.CPUSeconds),
		"--fsize=0", "--core=0", "--", p.cfg.FFmpeg,
		"-nostdin", "-hide_banner", "-nostats", "-loglevel", "error", "-threads", "1", "-filter_threads", "1",
		// Input options: only local files, only this demuxer; the mov
		// demuxer never follows external tracks.
		"-protocol_whitelist", "file", "-f", demuxer,
	}
	if demuxer == "mov" {
		args = append(args, "-enable_drefs", "0")
	}
	args = append(args, "-t", strconv.Itoa(p.cfg.ScanSeconds), "-i", "file:"+path,
		"-map", "0:v:0", "-an", "-sn", "-dn", "-vf", filter+"format=yuvj420p",
		"-frames:v", "1", "-c:v", "mjpeg", "-q:v", "2", "-f", "image2pipe", "pipe:1")
	cmd := exec.CommandContext(ctx, p.cfg.Prlimit, args...)
	cmd.Env = []string{}
	cmd.Dir = os.TempDir()
	cmd.SysProcAttr = &syscall.SysProcAttr{Setpgid: true}
	cmd.Cancel = func() error { return syscall.Kill(-cmd.Process.Pid, syscall.SIGKILL) }
	cmd.WaitDelay = 5 * time.Second
	stdout := &capped{max: p.cfg.MaxOutputBytes}
	stderr := &capped{max: 4 << 10, truncate: true}
	cmd.Stdout, cmd.Stderr = stdout, stderr
	err := cmd.Run()
	switch {
	case ctx.Err() != nil:
		return nil, vitrine.Errorf(vitrine.EUNAVAILABLE, "making the poster took longer than %s", p.cfg.Timeout)
	case stdout.over:
		return nil, vitrine.Errorf(vitrine.ETOOLARGE, "the poster is larger than %d bytes", p.cfg.MaxOutputBytes)
	case err != nil:
		msg := strings.TrimSpace(stderr.buf.String())
		var ee *exec.ExitError
		if errors.As(err, &ee) && ee.ExitCode() > 0 {
			return nil, fmt.Errorf("ffmpeg: %s: %w", msg, vitrine.Errorf(vitrine.EINVALID, "the video cannot be decoded"))
		}
		return nil, fmt.Errorf("ffmpeg: %v: %s", err, msg)
	}
	return stdout.buf.Bytes(), nil
}

// capped is a writer that keeps at most max bytes: beyond that it fails
// (stdout: the poster is refused) or drops the rest (stderr: a message).
type capped struct {
	buf      bytes.Buffer
	max      int
	truncate bool
	over     bool
}

func (c *capped) Write(b []byte) (int, error) {
	if room := c.max - c.buf.Len(); len(b) > room {
		c.buf.Write(b[:max(room, 0)])
		if c.truncate {
			return len(b), nil
		}
		c.over = true
		return 0, errors.New("output too large")
	}
	return c.buf.Write(b)
}
