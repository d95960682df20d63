package main

import (
	"fmt"
	"net/http"
	"time"

	"github.com/spf13/cobra"
)

// signCmd signs an image-serving URL with the company's newest signing key.
func (a *app) signCmd() *cobra.Command {
	var out output
	var expiresIn time.Duration
	cmd := &cobra.Command{
		Use:     "sign URL [--expires-in 24h]",
		Short:   "sign an image-serving URL with the company's newest URL signing key (admins)",
		GroupID: groupPublish,
		Long: `Sign an image-serving URL (/is/image/COMPANY/… or /is/content/COMPANY/…, a
path with its query or a full URL) with the company's newest URL signing key:
it prints the URL with exp= (with --expires-in) and sig= added. The signature
covers the path and the canonical modifiers, so the URL may be written in any
spelling Image Serving accepts. Needs the company admin role.`,
		Example: `  vitrine sign '/is/image/demo/shoe?wid=300&fmt=webp'
  vitrine sign 'https://img.example.com/is/image/demo/shoe?$thumb$' --expires-in 720h`,
		Args: exactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			if expiresIn < 0 || (expiresIn > 0 && expiresIn < time.Second) {
				return usagef("--expires-in must be at least 1s (or 0: no expiry)")
			}
			c, err := a.client()
			if err != nil {
				return err
			}
			var res struct {
				URL string `json:"url"`
			}
			body := map[string]any{"url": args[0], "expires_in_seconds": int64(expiresIn / time.Second)}
			raw, err := c.sendJSON(cmd.Context(), http.MethodPost, c.companyURL("/signed-urls", nil), body, &res)
			if err != nil {
				return err
			}
			return out.print(cmd.OutOrStdout(), raw, func() error {
				_, err := fmt.Fprintln(cmd.OutOrStdout(), res.URL)
				return err
			})
		},
	}
	cmd.Flags().DurationVar(&expiresIn, "expires-in", 0, "how long the signature is valid (0: no expiry; at most 10 years)")
	out.register(cmd)
	return cmd
}
