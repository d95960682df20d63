package main

import (
	"fmt"
	"net/http"

	"github.com/spf13/cobra"
)

// invalidateCmd is Invalidate CDN: purge assets' URLs, or given URLs, from
// every edge.
func (a *app) invalidateCmd() *cobra.Command {
	var out output
	var urls []string
	var all bool
	var server string
	cmd := &cobra.Command{
		Use:     "invalidate NAME… [--purge-url URL…] [--all-renditions]",
		Short:   "Invalidate CDN: purge assets' URLs or given URLs from every edge (admins)",
		GroupID: groupPublish,
		Long: `Purge assets' delivery URLs, or given URLs, from every edge the server was
started with (serve --edges). The answer says which edges confirmed the
purge; a URL no edge confirmed may still be served from an edge's cache.`,
		Example: `  vitrine invalidate shoe
  vitrine invalidate shoe --all-renditions
  vitrine invalidate --purge-url 'http://127.0.0.1:8080/is/image/demo/shoe?wid=300'`,
		Args: cobra.ArbitraryArgs,
		RunE: func(cmd *cobra.Command, args []string) error {
			if len(args) == 0 && len(urls) == 0 {
				return usagef("name assets or --purge-url: %s", cmd.UseLine())
			}
			if server != "" && a.url == "" {
				a.url = server
			}
			c, err := a.client()
			if err != nil {
				return err
			}
			var res struct {
				ID     int64    `json:"id"`
				Status string   `json:"status"`
				URLs   []string `json:"urls"`
				Purge  struct {
					Confirmed   bool     `json:"confirmed"`
					Unconfirmed []string `json:"unconfirmed"`
					Edges       []struct {
						Edge string `json:"edge"`
						OK   bool   `json:"ok"`
					} `json:"edges"`
				} `json:"purge"`
			}
			body := map[string]any{"assets": nonNil(args), "urls": nonNil(urls), "all_renditions": all}
			raw, err := c.sendJSON(cmd.Context(), http.MethodPost, c.companyURL("/invalidations", nil), body, &res)
			if err != nil {
				return err
			}
			return out.print(cmd.OutOrStdout(), raw, func() error {
				w := cmd.OutOrStdout()
				ok := 0
				for _, e := range res.Purge.Edges {
					if e.OK {
						ok++
					}
				}
				fmt.Fprintf(w, "invalidation %d: %s; %d URL(s), %d of %d edge(s) confirmed\n", res.ID, res.Status, len(res.URLs), ok, len(res.Purge.Edges))
				if len(res.Purge.Edges) == 0 {
					fmt.Fprintln(w, "  no edge to purge: the server runs without --edges")
				}
				for _, e := range res.Purge.Edges {
					if !e.OK {
						fmt.Fprintf(w, "  edge not confirmed: %s\n", e.Edge)
					}
				}
				for _, u := range res.Purge.Unconfirmed {
					fmt.Fprintf(w, "  not confirmed: %s\n", u)
				}
				return nil
			})
		},
	}
	f := cmd.Flags()
	f.StringArrayVar(&urls, "purge-url", nil, "a delivery URL to purge (repeatable)")
	f.BoolVar(&all, "all-renditions", false, "also purge every rendition of each asset")
	f.StringVar(&server, "server", "", "server URL")
	_ = f.MarkDeprecated("server", "use --url")
	out.register(cmd)
	return cmd
}
