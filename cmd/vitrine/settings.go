package main

import (
	"encoding/json"
	"fmt"
	"io"
	"maps"
	"net/http"
	"slices"
	"strings"
	"text/tabwriter"

	"github.com/spf13/cobra"
)

// settingsCmd reads and changes the company settings.
func (a *app) settingsCmd() *cobra.Command {
	cmd := &cobra.Command{
		Use:     "settings",
		Short:   "company settings: get, set",
		GroupID: groupAdmin,
		Example: `  vitrine settings get
  vitrine settings get image_ttl_seconds
  vitrine settings set image_ttl_seconds=3600 trash_days=14`,
	}
	var getOut, setOut output
	get := &cobra.Command{
		Use:     "get [KEY…]",
		Short:   "print the company settings, or some of them",
		Example: "  vitrine settings get\n  vitrine settings get image_ttl_seconds time_zone\n  vitrine settings get --json | jq .presets",
		Args:    cobra.ArbitraryArgs,
		RunE: func(cmd *cobra.Command, args []string) error {
			c, err := a.client()
			if err != nil {
				return err
			}
			var st map[string]json.RawMessage
			raw, err := c.get(cmd.Context(), c.companyURL("/settings", nil), &st)
			if err != nil {
				return err
			}
			return getOut.print(cmd.OutOrStdout(), raw, func() error { return printSettings(cmd.OutOrStdout(), st, args) })
		},
	}
	set := &cobra.Command{
		Use:   "set KEY=VALUE…",
		Short: "change company settings (admins); a VALUE that is JSON is sent as JSON, else as a string",
		Example: `  vitrine settings set image_ttl_seconds=3600
  vitrine settings set time_zone=Europe/Paris trash_days=14
  vitrine settings set 'max_pix=[4000,4000]'`,
		Args: minArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			patch := map[string]json.RawMessage{}
			for _, kv := range args {
				k, v, ok := strings.Cut(kv, "=")
				if !ok || k == "" {
					return usagef("%q is not KEY=VALUE", kv)
				}
				patch[k] = jsonValue(v)
			}
			c, err := a.client()
			if err != nil {
				return err
			}
			var st map[string]json.RawMessage
			raw, err := c.sendJSON(cmd.Context(), http.MethodPatch, c.companyURL("/settings", nil), patch, &st)
			if err != nil {
				return err
			}
			return setOut.print(cmd.OutOrStdout(), raw, func() error {
				return printSettings(cmd.OutOrStdout(), st, slices.Sorted(maps.Keys(patch)))
			})
		},
	}
	getOut.register(get)
	setOut.register(set)
	cmd.AddCommand(get, set)
	return cmd
}

// jsonValue is v as JSON if it is JSON (3600, true, [1,2], "x"), else as
// a JSON string (Europe/Paris).
func jsonValue(v string) json.RawMessage {
	if json.Valid([]byte(v)) {
		return json.RawMessage(v)
	}
	b, _ := json.Marshal(v)
	return b
}

func printSettings(w io.Writer, st map[string]json.RawMessage, keys []string) error {
	if len(keys) == 0 {
		keys = slices.Sorted(maps.Keys(st))
	}
	tw := tabwriter.NewWriter(w, 0, 4, 2, ' ', 0)
	for _, k := range keys {
		v, ok := st[k]
		if !ok {
			return fmt.Errorf("no setting %q (vitrine settings get lists them)", k)
		}
		fmt.Fprintf(tw, "%s\t%s\n", k, v)
	}
	return tw.Flush()
}

// presetsCmd manages the company's Image Serving presets ($name$ in URLs),
// which live in the settings.
func (a *app) presetsCmd() *cobra.Command {
	cmd := &cobra.Command{
		Use:     "presets",
		Short:   "Image Serving presets ($name$ in URLs): ls, set, rm",
		GroupID: groupAdmin,
		Example: `  vitrine presets set thumb 'wid=200&hei=200&fmt=webp'
  vitrine presets ls
  curl 'http://127.0.0.1:8080/is/image/demo/shoe?$thumb$'`,
	}
	var lsOut, setOut, rmOut output
	presets := func(cmd *cobra.Command) (*client, map[string]string, error) {
		c, err := a.client()
		if err != nil {
			return nil, nil, err
		}
		var st struct {
			Presets map[string]string `json:"presets"`
		}
		if err := c.getJSON(cmd.Context(), c.companyURL("/settings", nil), &st); err != nil {
			return nil, nil, err
		}
		if st.Presets == nil {
			st.Presets = map[string]string{}
		}
		return c, st.Presets, nil
	}
	save := func(cmd *cobra.Command, c *client, p map[string]string, out *output) error {
		var st struct {
			Presets map[string]string `json:"presets"`
		}
		raw, err := c.sendJSON(cmd.Context(), http.MethodPatch, c.companyURL("/settings", nil), map[string]any{"presets": p}, &st)
		if err != nil {
			return err
		}
		return out.print(cmd.OutOrStdout(), raw, func() error { return printPresets(cmd.OutOrStdout(), st.Presets) })
	}
	ls := &cobra.Command{
		Use:     "ls",
		Aliases: []string{"list"},
		Short:   "list presets (--json: the settings, as the API answers them)",
		Example: "  vitrine presets ls",
		Args:    noArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			c, err := a.client()
			if err != nil {
				return err
			}
			var st struct {
				Presets map[string]string `json:"presets"`
			}
			raw, err := c.get(cmd.Context(), c.companyURL("/settings", nil), &st)
			if err != nil {
				return err
			}
			return lsOut.print(cmd.OutOrStdout(), raw, func() error { return printPresets(cmd.OutOrStdout(), st.Presets) })
		},
	}
	set := &cobra.Command{
		Use:     "set NAME MODIFIERS",
		Short:   "add or change a preset (admins)",
		Example: "  vitrine presets set thumb 'wid=200&hei=200&fmt=webp'",
		Args:    exactArgs(2),
		RunE: func(cmd *cobra.Command, args []string) error {
			c, p, err := presets(cmd)
			if err != nil {
				return err
			}
			p[args[0]] = args[1]
			return save(cmd, c, p, &setOut)
		},
	}
	rm := &cobra.Command{
		Use:     "rm NAME…",
		Short:   "delete presets (admins)",
		Example: "  vitrine presets rm thumb",
		Args:    minArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			c, p, err := presets(cmd)
			if err != nil {
				return err
			}
			for _, n := range args {
				if _, ok := p[n]; !ok {
					return fmt.Errorf("no preset %q", n)
				}
				delete(p, n)
			}
			return save(cmd, c, p, &rmOut)
		},
	}
	lsOut.register(ls)
	setOut.register(set)
	rmOut.register(rm)
	cmd.AddCommand(ls, set, rm)
	return cmd
}

func printPresets(w io.Writer, p map[string]string) error {
	tw := tabwriter.NewWriter(w, 0, 4, 2, ' ', 0)
	fmt.Fprintln(tw, "NAME\tMODIFIERS")
	for _, k := range slices.Sorted(maps.Keys(p)) {
		fmt.Fprintf(tw, "$%s$\t%s\n", k, p[k])
	}
	return tw.Flush()
}
