package main

import (
	"bytes"
	"context"
	"fmt"
	"io"
	"io/fs"
	"mime/multipart"
	"net/http"
	"os"
	"path"
	"path/filepath"
	"sort"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/spf13/cobra"
)

type uploadItem struct {
	path   string
	folder string // server folder for this file
	size   int64
}

type uploadAnswer struct {
	Job struct {
		ID       int64  `json:"id"`
		Name     string `json:"name"`
		Status   string `json:"status"`
		Warnings int    `json:"warnings"`
	} `json:"job"`
	Assets []struct {
		Name      string `json:"name"`
		Version   int    `json:"version"`
		Replaced  bool   `json:"replaced"`
		Unchanged bool   `json:"unchanged"`
		Skipped   bool   `json:"skipped"`
		Warning   string `json:"warning"`
	} `json:"assets"`
}

// uploadCmd uploads files and directories (recursively; subdirectories
// become subfolders), several at a time, one request per file.
func (a *app) uploadCmd() *cobra.Command {
	var out output
	var folder, publish, overwrite string
	var jobs int
	var includeHidden bool
	cmd := &cobra.Command{
		Use:     "upload FILE|DIR… [--folder /x]",
		Short:   "upload files or directories (subdirectories become subfolders)",
		GroupID: groupContent,
		Long: `Upload files and directories, several at a time, with a progress bar on a
terminal. A directory becomes a folder of its name under --folder (./catalog
with --folder /products: /products/catalog), its subdirectories subfolders;
hidden files and directories (names starting with a dot) are left out unless
--include-hidden.
A file uploaded again into the same folder makes a new version (the same
bytes again change nothing: counted as unchanged). With --json
the API's answer for each file is printed, one JSON document per file.`,
		Example: `  vitrine upload shoe.jpg hat.png --folder /products
  vitrine upload --publish=false draft.jpg
  vitrine upload ./catalog --folder /products -j 8`,
		Args: minArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			if publish != "" {
				if _, err := strconv.ParseBool(publish); err != nil {
					return usagef("--publish must be true or false")
				}
			}
			c, err := a.client()
			if err != nil {
				return err
			}
			return runUpload(cmd.Context(), c, args, uploadOptions{folder: folder, publish: publish, overwrite: overwrite,
				jobs: jobs, includeHidden: includeHidden, json: out.json}, cmd.OutOrStdout(), cmd.ErrOrStderr())
		},
	}
	f := cmd.Flags()
	f.StringVar(&folder, "folder", "/", "destination folder")
	f.StringVar(&publish, "publish", "", "true or false (default: the folder's publish mode)")
	f.StringVar(&overwrite, "overwrite", "", "overwrite mode (default: the company's)")
	f.IntVarP(&jobs, "jobs", "j", 8, "concurrent uploads")
	f.BoolVar(&includeHidden, "include-hidden", false, "also upload hidden files and directories")
	out.register(cmd)
	return cmd
}

type uploadOptions struct {
	folder, publish, overwrite string
	jobs                       int
	includeHidden, json        bool
}

func runUpload(ctx context.Context, c *client, pos []string, o uploadOptions, stdout, stderr io.Writer) error {
	items, total, hidden, err := collect(pos, o.folder, o.includeHidden)
	if err != nil {
		return err
	}
	// More than one file is one batch upload job: one entry in the job
	// history with a per-file log, not one job per file.
	var batch *uploadBatch
	if len(items) > 1 {
		if batch, err = c.openBatch(ctx, batchName(pos), o.folder, len(items)); err != nil {
			return err
		}
	}
	bar := newProgress(stderr, total, len(items))
	rawUp, c := &rawUpload{}, c.forUploads(o.jobs)
	start := time.Now()
	var missing []notUploaded
	var mu sync.Mutex
	var uploaded, replaced, unchanged, skipped, warned int
	var failures []string
	work := make(chan uploadItem)
	var wg sync.WaitGroup
	for range max(1, o.jobs) {
		wg.Add(1)
		go func() {
			defer wg.Done()
			fh := newFileHasher()
			for it := range work {
				ans, raw, err := c.uploadFile(ctx, rawUp, fh, it, o.publish, o.overwrite, batch, bar)
				mu.Lock()
				if err != nil {
					failures = append(failures, fmt.Sprintf("%s: %v", it.path, err))
					missing = append(missing, notUploaded{File: it.path, Message: err.Error(), Cancelled: ctx.Err() != nil})
				} else {
					if o.json {
						writeRaw(stdout, raw)
					}
					for _, a := range ans.Assets {
						switch {
						case a.Skipped:
							skipped++
						case a.Unchanged:
							unchanged++
						case a.Replaced:
							replaced++
						default:
							uploaded++
						}
						if a.Warning != "" {
							warned++
							failures = append(failures, fmt.Sprintf("%s: warning: %s", it.path, a.Warning))
						}
					}
				}
				mu.Unlock()
				bar.add(0, true)
			}
		}()
	}
	sent := 0
	for _, it := range items {
		select {
		case work <- it:
			sent++
		case <-ctx.Done():
		}
	}
	close(work)
	wg.Wait()
	bar.finish()
	for _, it := range items[sent:] {
		missing = append(missing, notUploaded{File: it.path, Message: "not sent: the upload was interrupted", Cancelled: true})
	}
	if batch != nil {
		// The job ends even when the command was interrupted.
		fctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), 30*time.Second)
		err := c.finishBatch(fctx, batch.ID, missing)
		cancel()
		if err != nil {
			fmt.Fprintf(stderr, "upload job %d was not finished: %v\n", batch.ID, err)
		}
	}
	for _, f := range failures {
		fmt.Fprintln(stderr, f)
	}
	d := time.Since(start)
	summary := stdout
	if o.json { // stdout is the API's JSON only
		summary = stderr
	}
	if batch != nil {
		fmt.Fprintf(summary, "upload job %d: vitrine jobs show %d\n", batch.ID, batch.ID)
	}
	if hidden > 0 {
		fmt.Fprintf(summary, "left out %d hidden file(s) (--include-hidden uploads them)\n", hidden)
	}
	fmt.Fprintf(summary, "%d new, %d replaced, %d unchanged, %d skipped, %d warnings, %d failed; %.1f MB in %s (%.1f MB/s)\n",
		uploaded, replaced, unchanged, skipped, warned, len(failures)-warned, float64(total)/1e6, d.Round(time.Millisecond), float64(total)/1e6/d.Seconds())
	if len(failures)-warned > 0 {
		return fmt.Errorf("%d file(s) failed", len(failures)-warned)
	}
	return ctx.Err()
}

// collect expands the arguments into files, each with its server folder,
// and counts the hidden files and directories it left out of directories.
func collect(args []string, folder string, includeHidden bool) (items []uploadItem, total int64, hidden int, err error) {
	for _, a := range args {
		st, err := os.Stat(a)
		if err != nil {
			return nil, 0, 0, err
		}
		if !st.IsDir() {
			items = append(items, uploadItem{path: a, folder: folder, size: st.Size()})
			total += st.Size()
			continue
		}
		root := filepath.Clean(a)
		err = filepath.WalkDir(root, func(p string, d fs.DirEntry, err error) error {
			if err != nil {
				return err
			}
			if p != root && !includeHidden && strings.HasPrefix(d.Name(), ".") {
				hidden++
				if d.IsDir() {
					return filepath.SkipDir
				}
				return nil
			}
			if d.IsDir() || !d.Type().IsRegular() {
				return nil
			}
			info, err := d.Info()
			if err != nil {
				return err
			}
			rel, _ := filepath.Rel(root, filepath.Dir(p))
			f := path.Join(folder, filepath.Base(root), filepath.ToSlash(rel))
			items = append(items, uploadItem{path: p, folder: f, size: info.Size()})
			total += info.Size()
			return nil
		})
		if err != nil {
			return nil, 0, 0, err
		}
	}
	sort.Slice(items, func(i, j int) bool { return items[i].path < items[j].path })
	return items, total, hidden, nil
}

// countingReader reports bytes read to the progress bar.
type countingReader struct {
	r   io.Reader
	bar *progress
}

func (c countingReader) Read(p []byte) (int, error) {
	n, err := c.r.Read(p)
	c.bar.add(int64(n), false)
	return n, err
}

// uploadOne sends one file. The multipart body is a header, the file and a
// trailer with known lengths, so the request has a Content-Length and is
// not chunked, and the file streams without an extra goroutine and pipe.
func (c *client) uploadOne(ctx context.Context, it uploadItem, publish, overwrite string, batch *uploadBatch, bar *progress) (*uploadAnswer, []byte, error) {
	f, st, err := openStat(it.path)
	if err != nil {
		return nil, nil, err
	}
	defer f.Close()
	var head bytes.Buffer
	mw := multipart.NewWriter(&head)
	job := ""
	if batch != nil {
		job = strconv.FormatInt(batch.ID, 10)
	}
	for _, kv := range [][2]string{{"folder", it.folder}, {"publish", publish}, {"overwrite", overwrite}, {"upload_job", job}} {
		if kv[1] != "" {
			if err := mw.WriteField(kv[0], kv[1]); err != nil {
				return nil, nil, err
			}
		}
	}
	if _, err := mw.CreateFormFile("file", filepath.Base(it.path)); err != nil {
		return nil, nil, err
	}
	headLen := head.Len()
	if err := mw.Close(); err != nil {
		return nil, nil, err
	}
	trailer := head.Bytes()[headLen:] // Close wrote "\r\n--boundary--\r\n"
	body := io.MultiReader(bytes.NewReader(head.Bytes()[:headLen]), countingReader{f, bar}, bytes.NewReader(trailer))
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, c.companyURL("/assets", nil), body)
	if err != nil {
		return nil, nil, err
	}
	req.ContentLength = int64(headLen) + st.Size() + int64(len(trailer))
	req.Header.Set("Content-Type", mw.FormDataContentType())
	var ans uploadAnswer
	raw, err := c.send(req, &ans)
	return &ans, raw, err
}

// openStat opens the file at path for an upload and returns its
// information (its size goes in the Content-Length).
func openStat(path string) (*os.File, os.FileInfo, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, nil, err
	}
	st, err := f.Stat()
	if err != nil {
		f.Close()
		return nil, nil, err
	}
	return f, st, nil
}
