package main

import (
	"bytes"
	"context"
	"crypto/tls"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/url"
	"strings"
	"time"
)

// client talks to a Vitrine server over the REST API.
type client struct {
	base     string
	token    string
	company  string
	insecure bool
	http     *http.Client
}

func (c *client) check() error {
	c.http = &http.Client{}
	if c.token == "" {
		return errors.New("no API token: set VITRINE_TOKEN or --token (the server writes the first one to DATA/admin-token)")
	}
	if c.insecure {
		c.http.Transport = &http.Transport{TLSClientConfig: &tls.Config{InsecureSkipVerify: true}, ForceAttemptHTTP2: true}
	}
	return nil
}

// apiURL returns the URL of an API path outside the company (/me/…).
func (c *client) apiURL(p string) string {
	return strings.TrimRight(c.base, "/") + "/api/v1" + p
}

// companyURL returns the API URL of a path under the company.
func (c *client) companyURL(p string, q url.Values) string {
	u := strings.TrimRight(c.base, "/") + "/api/v1/companies/" + url.PathEscape(c.company) + p
	if len(q) > 0 {
		u += "?" + q.Encode()
	}
	return u
}

// apiError is an error answer of the API.
type apiError struct {
	Status  int
	Code    string
	Message string
	Details []struct{ Item, Message string }
}

func (e *apiError) Error() string {
	s := fmt.Sprintf("%s (%s, HTTP %d)", e.Message, e.Code, e.Status)
	for _, d := range e.Details {
		s += fmt.Sprintf("\n  %s: %s", d.Item, d.Message)
	}
	return s
}

// do sends a request and decodes a JSON answer into out (if not nil).
func (c *client) do(ctx context.Context, method, u, contentType string, body io.Reader, out any) error {
	_, err := c.doRaw(ctx, method, u, contentType, body, out)
	return err
}

// doRaw is do, also returning the answer's bytes (for --json).
func (c *client) doRaw(ctx context.Context, method, u, contentType string, body io.Reader, out any) ([]byte, error) {
	req, err := http.NewRequestWithContext(ctx, method, u, body)
	if err != nil {
		return nil, err
	}
	if contentType != "" {
		req.Header.Set("Content-Type", contentType)
	}
	return c.send(req, out)
}

// send adds the token, sends req, decodes a JSON answer into out and
// returns its bytes.
func (c *client) send(req *http.Request, out any) ([]byte, error) {
	req.Header.Set("Authorization", "Bearer "+c.token)
	resp, err := c.http.Do(req)
	if err != nil {
		return nil, c.unreachable(err)
	}
	defer resp.Body.Close()
	data, err := io.ReadAll(io.LimitReader(resp.Body, 64<<20))
	if err != nil {
		return nil, fmt.Errorf("read answer: %w", err)
	}
	if resp.StatusCode >= 300 {
		var eb struct{ Error apiError }
		if json.Unmarshal(data, &eb) == nil && eb.Error.Code != "" {
			eb.Error.Status = resp.StatusCode
			return nil, &eb.Error
		}
		return nil, fmt.Errorf("HTTP %d: %s", resp.StatusCode, bytes.TrimSpace(data))
	}
	if out != nil && len(data) > 0 {
		if err := json.Unmarshal(data, out); err != nil {
			return nil, fmt.Errorf("read answer: %w", err)
		}
	}
	return data, nil
}

// unreachable says in users' words that nothing answers at the URL, with
// the likely reason; other transport errors pass unchanged.
func (c *client) unreachable(err error) error {
	var op *net.OpError
	if errors.As(err, &op) && op.Op == "dial" {
		return fmt.Errorf("cannot reach the server at %s — is `vitrine serve` running? (%w)", c.base, err)
	}
	return err
}

func (c *client) getJSON(ctx context.Context, u string, out any) error {
	return c.do(ctx, http.MethodGet, u, "", nil, out)
}

// get fetches u, decodes it into out and returns its bytes.
func (c *client) get(ctx context.Context, u string, out any) ([]byte, error) {
	return c.doRaw(ctx, http.MethodGet, u, "", nil, out)
}

// sendJSON sends in as JSON, decodes the answer into out and returns its
// bytes.
func (c *client) sendJSON(ctx context.Context, method, u string, in, out any) ([]byte, error) {
	var body io.Reader
	if in != nil {
		b, err := json.Marshal(in)
		if err != nil {
			return nil, err
		}
		body = bytes.NewReader(b)
	}
	return c.doRaw(ctx, method, u, "application/json", body, out)
}

func fmtTime(t *time.Time) string {
	if t == nil || t.IsZero() {
		return "-"
	}
	return t.Local().Format("2006-01-02 15:04:05")
}
