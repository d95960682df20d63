package main

import (
	"context"
	"fmt"
	"net/http"
	"path/filepath"
	"strconv"
)

// uploadBatch is an open batch upload job (POST …/upload-jobs) that the
// files of one `vitrine upload` join.
type uploadBatch struct {
	ID int64 `json:"id"`
}

// notUploaded is a file of the batch that did not reach the server, for
// the job's log.
type notUploaded struct {
	File      string `json:"file"`
	Message   string `json:"message,omitempty"`
	Cancelled bool   `json:"cancelled,omitempty"`
}

// batchName names the job after what was asked: "upload catalog" or
// "upload shoe.jpg and 3 more".
func batchName(args []string) string {
	name := "upload " + filepath.Base(filepath.Clean(args[0]))
	if len(args) > 1 {
		name += " and " + strconv.Itoa(len(args)-1) + " more"
	}
	return name
}

func (c *client) openBatch(ctx context.Context, name, folder string, total int) (*uploadBatch, error) {
	var b uploadBatch
	in := map[string]any{"name": name, "folder": folder, "total": total}
	if _, err := c.sendJSON(ctx, http.MethodPost, c.companyURL("/upload-jobs", nil), in, &b); err != nil {
		return nil, fmt.Errorf("open the upload job: %w", err)
	}
	return &b, nil
}

func (c *client) finishBatch(ctx context.Context, id int64, missing []notUploaded) error {
	in := map[string]any{"not_uploaded": missing}
	_, err := c.sendJSON(ctx, http.MethodPost, c.companyURL("/upload-jobs/"+strconv.FormatInt(id, 10)+"/finish", nil), in, nil)
	return err
}
