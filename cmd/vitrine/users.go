package main

import (
	"fmt"
	"net/http"
	"net/url"
	"text/tabwriter"
	"time"

	"github.com/spf13/cobra"

	"github.com/vitrine/vitrine"
)

// usersCmd manages the company's users through the API. Invite and reset
// print a one-time link to the workspace's set-password page, for the
// admin to hand over.
func (a *app) usersCmd() *cobra.Command {
	cmd := &cobra.Command{
		Use:     "users",
		Short:   "the company's users: ls, invite, reset, set",
		GroupID: groupAdmin,
		Example: `  vitrine users ls
  vitrine users invite ana --email ana@example.com --role user
  vitrine users set ana --disabled`,
	}
	var out output
	ls := &cobra.Command{
		Use:     "ls",
		Aliases: []string{"list"},
		Short:   "list the company's users, with role and access",
		Example: "  vitrine users ls",
		Args:    noArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			c, err := a.client()
			if err != nil {
				return err
			}
			var res struct{ Users []vitrine.Account }
			raw, err := c.get(cmd.Context(), c.companyURL("/users", nil), &res)
			if err != nil {
				return err
			}
			return out.print(cmd.OutOrStdout(), raw, func() error {
				tw := tabwriter.NewWriter(cmd.OutOrStdout(), 0, 4, 2, ' ', 0)
				fmt.Fprintln(tw, "NAME\tEMAIL\tROLE\tACCESS\tPASSWORD\tLAST SIGN-IN")
				for _, u := range res.Users {
					access, pw := "on", "set"
					if u.Disabled {
						access = "off"
					}
					if !u.HasPassword {
						pw = "not set"
					}
					fmt.Fprintf(tw, "%s\t%s\t%s\t%s\t%s\t%s\n", u.Name, u.Email, u.Role, access, pw, fmtTime(u.LastSignIn))
				}
				return tw.Flush()
			})
		},
	}
	out.register(ls)
	cmd.AddCommand(ls, a.userLinkCmd("invite"), a.userLinkCmd("reset"), a.userSetCmd())
	return cmd
}

// userLinkCmd is invite or reset: both answer a one-time link.
func (a *app) userLinkCmd(verb string) *cobra.Command {
	var out output
	var email, role string
	cmd := &cobra.Command{
		Use:     "invite NAME [--email E] [--role user|admin]",
		Short:   "invite a user: prints a one-time link where they set a password",
		Example: "  vitrine users invite ana --email ana@example.com --role user",
		Args:    exactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			c, err := a.client()
			if err != nil {
				return err
			}
			var res struct {
				User struct {
					Name string `json:"name"`
				} `json:"user"`
				Link struct {
					URL       string    `json:"url"`
					ExpiresAt time.Time `json:"expires_at"`
				} `json:"link"`
			}
			var raw []byte
			if verb == "invite" {
				raw, err = c.sendJSON(cmd.Context(), http.MethodPost, c.companyURL("/invitations", nil), map[string]any{"name": args[0], "email": email, "role": role}, &res)
			} else {
				raw, err = c.sendJSON(cmd.Context(), http.MethodPost, c.companyURL("/users/"+url.PathEscape(args[0])+"/password-reset", nil), struct{}{}, &res)
			}
			if err != nil {
				return err
			}
			return out.line(cmd.OutOrStdout(), raw, "%s sets a password at this one-time link (valid until %s):\n%s\n", res.User.Name, fmtTime(&res.Link.ExpiresAt), res.Link.URL)
		},
	}
	if verb == "invite" {
		cmd.Flags().StringVar(&email, "email", "", "the user's email (they may sign in with it)")
		cmd.Flags().StringVar(&role, "role", "user", "user or admin")
	} else {
		cmd.Use = "reset NAME"
		cmd.Short = "a new one-time set-password link for a user (the old password works until it is used)"
		cmd.Example = "  vitrine users reset ana"
	}
	out.register(cmd)
	return cmd
}

func (a *app) userSetCmd() *cobra.Command {
	var out output
	var role string
	var disabled bool
	cmd := &cobra.Command{
		Use:     "set NAME [--role user|admin] [--disabled[=false]]",
		Short:   "change a user's role, or switch their access off or on",
		Example: "  vitrine users set ana --role admin\n  vitrine users set ana --disabled\n  vitrine users set ana --disabled=false",
		Args:    exactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			body := map[string]any{}
			if role != "" {
				body["role"] = role
			}
			if cmd.Flags().Changed("disabled") {
				body["disabled"] = disabled
			}
			if len(body) == 0 {
				return usagef("say what to set: --role or --disabled")
			}
			c, err := a.client()
			if err != nil {
				return err
			}
			var u vitrine.Account
			raw, err := c.sendJSON(cmd.Context(), http.MethodPatch, c.companyURL("/users/"+url.PathEscape(args[0]), nil), body, &u)
			if err != nil {
				return err
			}
			return out.print(cmd.OutOrStdout(), raw, func() error {
				access := "on"
				if u.Disabled {
					access = "off"
				}
				_, err := fmt.Fprintf(cmd.OutOrStdout(), "%s: role %s, access %s\n", u.Name, u.Role, access)
				return err
			})
		},
	}
	cmd.Flags().StringVar(&role, "role", "", "user or admin")
	cmd.Flags().BoolVar(&disabled, "disabled", false, "switch the user's access off (--disabled=false: on)")
	out.register(cmd)
	return cmd
}

// tokensCmd manages the caller's own API tokens.
func (a *app) tokensCmd() *cobra.Command {
	cmd := &cobra.Command{
		Use:     "tokens",
		Short:   "your personal API tokens: ls, create, revoke",
		GroupID: groupAdmin,
		Example: `  vitrine tokens create laptop
  vitrine tokens ls
  vitrine tokens revoke 3`,
	}
	var lsOut, createOut, revokeOut output
	ls := &cobra.Command{
		Use:     "ls",
		Aliases: []string{"list"},
		Short:   "list your API tokens (never their secrets)",
		Example: "  vitrine tokens ls",
		Args:    noArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			c, err := a.client()
			if err != nil {
				return err
			}
			var res struct{ Tokens []vitrine.PersonalToken }
			raw, err := c.get(cmd.Context(), c.apiURL("/me/tokens"), &res)
			if err != nil {
				return err
			}
			return lsOut.print(cmd.OutOrStdout(), raw, func() error {
				tw := tabwriter.NewWriter(cmd.OutOrStdout(), 0, 4, 2, ' ', 0)
				fmt.Fprintln(tw, "ID\tNAME\tPREFIX\tCREATED\tLAST USED\tEXPIRES")
				for _, t := range res.Tokens {
					expires := "never"
					if t.ExpiresAt != nil {
						expires = fmtTime(t.ExpiresAt)
					}
					fmt.Fprintf(tw, "%d\t%s\t%s…\t%s\t%s\t%s\n", t.ID, t.Name, t.Prefix, fmtTime(&t.CreatedAt), fmtTime(t.LastUsedAt), expires)
				}
				return tw.Flush()
			})
		},
	}
	var days int
	create := &cobra.Command{
		Use:     "create NAME [--expires-in-days N]",
		Short:   "make a personal API token; its secret is printed once",
		Example: "  vitrine tokens create laptop\n  vitrine tokens create ci --expires-in-days 90\n  export VITRINE_TOKEN=$(vitrine tokens create ci --json | jq -r .secret)",
		Args:    exactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			c, err := a.client()
			if err != nil {
				return err
			}
			var res struct {
				Token  vitrine.PersonalToken `json:"token"`
				Secret string                `json:"secret"`
			}
			raw, err := c.sendJSON(cmd.Context(), http.MethodPost, c.apiURL("/me/tokens"), map[string]any{"name": args[0], "expires_in_days": days}, &res)
			if err != nil {
				return err
			}
			return createOut.print(cmd.OutOrStdout(), raw, func() error {
				expires := "never expires"
				if res.Token.ExpiresAt != nil {
					expires = "expires " + fmtTime(res.Token.ExpiresAt)
				}
				_, err := fmt.Fprintf(cmd.OutOrStdout(), "token %d %q, %s (shown once; keep it secret):\n%s\n", res.Token.ID, res.Token.Name, expires, res.Secret)
				return err
			})
		},
	}
	revoke := &cobra.Command{
		Use:     "revoke ID",
		Short:   "revoke one of your API tokens",
		Example: "  vitrine tokens revoke 3",
		Args:    exactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			c, err := a.client()
			if err != nil {
				return err
			}
			raw, err := c.doRaw(cmd.Context(), http.MethodDelete, c.apiURL("/me/tokens/"+url.PathEscape(args[0])), "", nil, nil)
			if err != nil {
				return err
			}
			return revokeOut.print(cmd.OutOrStdout(), raw, func() error {
				_, err := fmt.Fprintf(cmd.OutOrStdout(), "revoked token %s\n", args[0])
				return err
			})
		},
	}
	lsOut.register(ls)
	createOut.register(create)
	create.Flags().IntVar(&days, "expires-in-days", 0, "days until the token expires (0: never)")
	revokeOut.register(revoke)
	cmd.AddCommand(ls, create, revoke)
	return cmd
}
