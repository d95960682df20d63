package main

import (
	"bytes"
	"context"
	"crypto/tls"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"io"
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

// clientFlags registers --url, --token and --company on fs.
func clientFlags(fs *flag.FlagSet) *client { return clientFlagsNamed(fs, "url") }

// clientFlagsNamed is clientFlags with the server URL flag under another
// name, for commands whose --url means something else.
func clientFlagsNamed(fs *flag.FlagSet, serverFlag string) *client {
	c := &client{http: &http.Client{Timeout: 0}}
	fs.StringVar(&c.base, serverFlag, envOr("VITRINE_URL", "http://127.0.0.1:8080"), "server URL [VITRINE_URL]")
	fs.StringVar(&c.token, "token", envOr("VITRINE_TOKEN", ""), "API token [VITRINE_TOKEN]")
	fs.StringVar(&c.company, "company", envOr("VITRINE_COMPANY", "demo"), "company id [VITRINE_COMPANY]")
	fs.BoolVar(&c.insecure, "insecure", envOr("VITRINE_INSECURE", "") == "true", "do not verify the server's TLS certificate (self-signed test servers) [VITRINE_INSECURE]")
	return c
}

func (c *client) check() error {
	if c.token == "" {
		return errors.New("no API token: set VITRINE_TOKEN or --token (the server writes the first one to DATA/admin-token)")
	}
	if c.insecure {
		c.http.Transport = &http.Transport{TLSClientConfig: &tls.Config{InsecureSkipVerify: true}, ForceAttemptHTTP2: true}
	}
	return nil
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
	req, err := http.NewRequestWithContext(ctx, method, u, body)
	if err != nil {
		return err
	}
	if contentType != "" {
		req.Header.Set("Content-Type", contentType)
	}
	return c.send(req, out)
}

// send adds the token, sends req and decodes a JSON answer into out.
func (c *client) send(req *http.Request, out any) error {
	req.Header.Set("Authorization", "Bearer "+c.token)
	resp, err := c.http.Do(req)
	if err != nil {
		return err
	}
	defer resp.Body.Close()
	data, err := io.ReadAll(io.LimitReader(resp.Body, 64<<20))
	if err != nil {
		return fmt.Errorf("read answer: %w", err)
	}
	if resp.StatusCode >= 300 {
		var eb struct{ Error apiError }
		if json.Unmarshal(data, &eb) == nil && eb.Error.Code != "" {
			eb.Error.Status = resp.StatusCode
			return &eb.Error
		}
		return fmt.Errorf("HTTP %d: %s", resp.StatusCode, bytes.TrimSpace(data))
	}
	if out != nil {
		return json.Unmarshal(data, out)
	}
	return nil
}

func (c *client) getJSON(ctx context.Context, u string, out any) error {
	return c.do(ctx, http.MethodGet, u, "", nil, out)
}

func (c *client) postJSON(ctx context.Context, u string, in, out any) error {
	b, err := json.Marshal(in)
	if err != nil {
		return err
	}
	return c.do(ctx, http.MethodPost, u, "application/json", bytes.NewReader(b), out)
}

func printJSON(w io.Writer, v any) error {
	enc := json.NewEncoder(w)
	enc.SetIndent("", "  ")
	return enc.Encode(v)
}

func fmtTime(t *time.Time) string {
	if t == nil || t.IsZero() {
		return "-"
	}
	return t.Local().Format("2006-01-02 15:04:05")
}

// parseArgs parses flags that may come before, between or after the
// positional arguments (`vitrine upload a.jpg --folder /x`), and returns the
// positional arguments. A lone "--" ends flag parsing.
func parseArgs(fs *flag.FlagSet, args []string) ([]string, error) {
	var pos []string
	for {
		if err := fs.Parse(args); err != nil {
			return nil, err
		}
		rest := fs.Args()
		if len(rest) == 0 {
			return pos, nil
		}
		if len(args) > len(rest) && args[len(args)-len(rest)-1] == "--" {
			return append(pos, rest...), nil
		}
		pos = append(pos, rest[0])
		args = rest[1:]
	}
}
