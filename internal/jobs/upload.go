package jobs

import (
	"context"
	"errors"
	"fmt"
	"mime"
	"net/http"
	"net/url"
	"os"
	"path"
	"path/filepath"
	"strings"
	"time"

	"github.com/vitrine/vitrine"
	"github.com/vitrine/vitrine/internal/service"
)

// maxFetchBytes caps one file fetched by a URL-list upload.
const maxFetchBytes = 2 << 30

// runUpload runs an upload job (UP-1): each file goes through the same
// pipeline as a multipart upload (Spool, PutFile, ingest), one transaction
// per file; a bad file is logged as an error and the job goes on.
func (e *Engine) runUpload(ctx context.Context, j *vitrine.JobRun, opts *Options) error {
	u := opts.Upload
	p, err := e.principal(ctx, j)
	if err != nil {
		return err
	}
	uo := vitrine.UploadOptions{Folder: u.Folder, Publish: u.Publish, Overwrite: u.Overwrite}
	if u.FromDrop {
		err = e.uploadDrop(ctx, p, j, u, uo)
	} else {
		err = e.uploadURLs(ctx, p, j, u, uo)
	}
	if err != nil {
		return err
	}
	_, _, err = e.db.FinishJob(ctx, j.ID, "", "")
	return err
}

func (e *Engine) uploadURLs(ctx context.Context, p *vitrine.Principal, j *vitrine.JobRun, u *UploadOptions, uo vitrine.UploadOptions) error {
	if j.Total == 0 {
		if err := e.db.SetJobTotal(ctx, j.ID, len(u.URLs)); err != nil {
			return err
		}
	}
	for i := int(j.ResumeAfter); i < len(u.URLs); i++ {
		if err := ctx.Err(); err != nil {
			return err
		}
		if cur, err := e.db.Job(ctx, 0, j.ID); err != nil {
			return err
		} else if cur.Status == vitrine.JobStopping {
			return nil // FinishJob turns stopping into cancelled
		}
		err := e.ingestOne(ctx, p, j.ID, uo, int64(i+1), func() (*service.Spooled, error) { return e.fetch(ctx, u.URLs[i]) })
		if err != nil {
			if !isFileError(err) {
				return err
			}
			line := vitrine.JobLogEntry{Asset: u.URLs[i], Level: vitrine.LogError, Message: vitrine.ErrorMessage(err)}
			if vitrine.ErrorCode(err) == vitrine.EINTERNAL {
				// Members read job logs: the details go to the server log.
				e.log.WarnContext(ctx, "upload job file failed", "job", j.ID, "url", u.URLs[i], "err", err)
			}
			if err := e.db.AdvanceJob(ctx, j.ID, int64(i+1), []vitrine.JobLogEntry{line}); err != nil {
				return err
			}
		}
	}
	return nil
}

// fileError marks a failure of one file (a bad URL, an unsupported type)
// as opposed to one of the server (the database, the blob store).
type fileError struct{ err error }

func (f fileError) Error() string { return f.err.Error() }
func (f fileError) Unwrap() error { return f.err }

func isFileError(err error) bool {
	var fe fileError
	return errors.As(err, &fe)
}

// ingestOne spools one file from get and ingests it through the same use
// case as a multipart upload (posters included).
func (e *Engine) ingestOne(ctx context.Context, p *vitrine.Principal, jobID int64, uo vitrine.UploadOptions, cursor int64, get func() (*service.Spooled, error)) error {
	sp, err := get()
	defer sp.Remove()
	if err != nil {
		return fileError{err}
	}
	_, err = e.svc.IngestInto(ctx, p, jobID, sp, uo, cursor)
	if err == nil {
		e.reportJob(ctx, jobID) // the service wrote the job's counts, not e.db
	}
	if code := vitrine.ErrorCode(err); code != "" && code != vitrine.EINTERNAL {
		return fileError{err}
	}
	return err
}

// fetch downloads one URL through the guarded client into the spool.
func (e *Engine) fetch(ctx context.Context, raw string) (*service.Spooled, error) {
	resp, err := e.out.Get(ctx, raw, maxFetchBytes)
	if err != nil {
		return nil, vitrine.Errorf(vitrine.EINVALID, "fetch %s: %v", raw, err)
	}
	defer resp.Body.Close()
	if resp.StatusCode != http.StatusOK {
		return nil, vitrine.Errorf(vitrine.EINVALID, "fetch %s: HTTP %d", raw, resp.StatusCode)
	}
	name := remoteName(resp)
	if name == "" {
		return nil, vitrine.Errorf(vitrine.EINVALID, "fetch %s: the URL names no file", raw)
	}
	sp, err := service.Spool(resp.Body, name, e.blobs.SpoolDir())
	var re *service.ReadError
	if errors.As(err, &re) {
		return sp, vitrine.Errorf(vitrine.EINVALID, "fetch %s: %v", raw, re.Err)
	}
	return sp, err
}

// remoteName is the file name of a fetched URL: Content-Disposition's, else
// the last element of the final URL's path.
func remoteName(resp *http.Response) string {
	if _, params, err := mime.ParseMediaType(resp.Header.Get("Content-Disposition")); err == nil && params["filename"] != "" {
		return path.Base(strings.ReplaceAll(params["filename"], `\`, "/"))
	}
	p, err := url.PathUnescape(path.Base(resp.Request.URL.Path))
	if err != nil || p == "/" || p == "." {
		return ""
	}
	return p
}

// uploadDrop uploads the files at the top of the job's drop folder, moving
// each to done/ or failed/ beside them. Hidden files are left alone with a
// warning, as Scene7 does for .DS_Store and Thumbs.db.
func (e *Engine) uploadDrop(ctx context.Context, p *vitrine.Principal, j *vitrine.JobRun, u *UploadOptions, uo vitrine.UploadOptions) error {
	root, dir, err := e.dropDir(p.Company.RootID, u.Drop)
	if err != nil {
		return err
	}
	defer root.Close()
	// Everything below goes through root: a symlink that leads out of the
	// company's drop folder (to another company's, say) fails to open.
	d, err := root.Open(dir)
	if errors.Is(err, os.ErrNotExist) {
		return vitrine.Errorf(vitrine.ENOTFOUND, "drop folder %s does not exist", u.Drop)
	} else if err != nil {
		return vitrine.Errorf(vitrine.EINVALID, "drop folder %s cannot be read: %v", u.Drop, errors.Unwrap(err))
	}
	entries, err := d.ReadDir(-1)
	d.Close()
	if err != nil {
		return fmt.Errorf("drop folder: %w", err)
	}
	var files []string
	var lines []vitrine.JobLogEntry
	for _, en := range entries {
		switch {
		case !en.Type().IsRegular():
		case strings.HasPrefix(en.Name(), ".") || strings.EqualFold(en.Name(), "Thumbs.db"):
			lines = append(lines, vitrine.JobLogEntry{Asset: en.Name(), Level: vitrine.LogWarning, Message: "hidden file skipped"})
		default:
			files = append(files, en.Name())
		}
	}
	if err := e.db.AppendJobLog(ctx, j.ID, lines); err != nil {
		return err
	}
	if err := e.db.SetJobTotal(ctx, j.ID, len(files)); err != nil {
		return err
	}
	for _, name := range files {
		if err := ctx.Err(); err != nil {
			return err
		}
		src := filepath.Join(dir, name)
		err := e.ingestOne(ctx, p, j.ID, uo, -1, func() (*service.Spooled, error) {
			f, err := root.Open(src)
			if err != nil {
				return nil, err
			}
			if st, err := f.Stat(); err != nil || !st.Mode().IsRegular() {
				f.Close()
				return nil, vitrine.Errorf(vitrine.EINVALID, "%s is not a regular file", name)
			}
			defer f.Close()
			return service.Spool(f, name, e.blobs.SpoolDir())
		})
		to := "done"
		if err != nil {
			if !isFileError(err) {
				return err
			}
			to = "failed"
			line := vitrine.JobLogEntry{Asset: name, Level: vitrine.LogError, Message: vitrine.ErrorMessage(err)}
			if err := e.db.AppendJobLog(ctx, j.ID, []vitrine.JobLogEntry{line}); err != nil {
				return err
			}
		}
		if err := moveAside(root, dir, to, name, e.cfg.Now()); err != nil {
			return err
		}
	}
	return nil
}

// dropDir opens DropRoot/<company> as a root and returns the job's drop
// folder relative to it, refusing a path that would leave it.
func (e *Engine) dropDir(company, rel string) (*os.Root, string, error) {
	if e.cfg.DropRoot == "" {
		return nil, "", vitrine.Errorf(vitrine.EINVALID, "this server has no drop root (vitrine serve --drop-root)")
	}
	dir, err := dropRel(rel)
	if err != nil {
		return nil, "", err
	}
	root, err := os.OpenRoot(filepath.Join(e.cfg.DropRoot, company))
	if errors.Is(err, os.ErrNotExist) {
		return nil, "", vitrine.Errorf(vitrine.ENOTFOUND, "drop folder %s does not exist", rel)
	} else if err != nil {
		return nil, "", fmt.Errorf("drop root: %w", err)
	}
	return root, dir, nil
}

// dropRel checks a drop folder path relative to the company's drop folder.
func dropRel(rel string) (string, error) {
	dir := filepath.Clean(filepath.FromSlash("./" + rel))
	if dir == ".." || strings.HasPrefix(dir, ".."+string(filepath.Separator)) || filepath.IsAbs(dir) {
		return "", vitrine.Errorf(vitrine.EINVALID, "drop folder %q leaves the company's drop folder", rel)
	}
	return dir, nil
}

// moveAside moves dir/name into dir/sub/ (inside root), keeping an older
// file of that name by suffixing the new one with a timestamp.
func moveAside(root *os.Root, dir, sub, name string, now time.Time) error {
	if err := root.MkdirAll(filepath.Join(dir, sub), 0o750); err != nil {
		return fmt.Errorf("drop folder: %w", err)
	}
	dst := filepath.Join(dir, sub, name)
	if _, err := root.Stat(dst); err == nil {
		dst += "." + now.UTC().Format("20060102T150405.000000000")
	}
	if err := root.Rename(filepath.Join(dir, name), dst); err != nil {
		return fmt.Errorf("drop folder: %w", err)
	}
	return nil
}
