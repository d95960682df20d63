package main

import (
	"context"
	"fmt"
	"net/http"
	"strings"
	"time"

	"github.com/spf13/cobra"
)

// waitCmd waits until the server answers its health check: the step
// between starting `vitrine serve` in the background and the first
// client command.
func (a *app) waitCmd() *cobra.Command {
	var timeout time.Duration
	cmd := &cobra.Command{
		Use:   "wait [--timeout 2m]",
		Short: "wait until the server at --url is up (its /healthz answers)",
		Long: `Wait until the server at --url answers GET /healthz with 200, checking twice
a second. Exit 0 once it does, 1 after --timeout. Needs no token.`,
		GroupID: groupServer,
		Example: `  vitrine serve --data ./data &
  vitrine wait && export VITRINE_TOKEN=$(cat data/admin-token)`,
		Args: noArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			base := strings.TrimRight(firstOf(a.url, envOr("VITRINE_URL", "http://127.0.0.1:8080")), "/")
			c := &client{base: base, insecure: a.insecure || envOr("VITRINE_INSECURE", "") == "true", token: "-"}
			_ = c.check() // only sets up the transport
			ctx, cancel := context.WithTimeout(cmd.Context(), timeout)
			defer cancel()
			tick := time.NewTicker(500 * time.Millisecond)
			defer tick.Stop()
			var last error
			for {
				req, err := http.NewRequestWithContext(ctx, http.MethodGet, base+"/healthz", nil)
				if err != nil {
					return err
				}
				resp, err := c.http.Do(req)
				if err == nil {
					resp.Body.Close()
					if resp.StatusCode == http.StatusOK {
						_, err := fmt.Fprintf(cmd.OutOrStdout(), "%s is up\n", base)
						return err
					}
					err = fmt.Errorf("health check: HTTP %d", resp.StatusCode)
				}
				last = err
				select {
				case <-ctx.Done():
					return fmt.Errorf("the server at %s did not come up within %s — is `vitrine serve` running? (%w)", base, timeout, last)
				case <-tick.C:
				}
			}
		},
	}
	cmd.Flags().DurationVar(&timeout, "timeout", 2*time.Minute, "give up after this long")
	return cmd
}
