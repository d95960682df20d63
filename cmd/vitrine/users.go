package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"net/url"
	"text/tabwriter"
	"time"
)

// runUsers manages the company's users through the API: ls, invite NAME,
// reset NAME. Invite and reset print a one-time link to the workspace's
// set-password page, for the admin to hand over.
func runUsers(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	fs := flag.NewFlagSet("users", flag.ContinueOnError)
	fs.SetOutput(stderr)
	c := clientFlags(fs)
	email := fs.String("email", "", "invite: the user's email (they may sign in with it)")
	role := fs.String("role", "user", "invite: user or admin")
	pos, err := parseArgs(fs, args)
	if err != nil {
		return err
	}
	if err := c.check(); err != nil {
		return err
	}
	const usage = "usage: vitrine users ls | invite NAME [--email E] [--role user|admin] | reset NAME"
	if len(pos) == 0 {
		return errors.New(usage)
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
	switch {
	case pos[0] == "ls" && len(pos) == 1:
		return listUsers(ctx, c, stdout)
	case pos[0] == "invite" && len(pos) == 2:
		err = c.postJSON(ctx, c.companyURL("/invitations", nil), map[string]any{"name": pos[1], "email": *email, "role": *role}, &res)
	case pos[0] == "reset" && len(pos) == 2:
		err = c.postJSON(ctx, c.companyURL("/users/"+url.PathEscape(pos[1])+"/password-reset", nil), struct{}{}, &res)
	default:
		return errors.New(usage)
	}
	if err != nil {
		return err
	}
	fmt.Fprintf(stdout, "%s sets a password at this one-time link (valid until %s):\n%s\n", res.User.Name, fmtTime(&res.Link.ExpiresAt), res.Link.URL)
	return nil
}

func listUsers(ctx context.Context, c *client, stdout io.Writer) error {
	var res struct {
		Users []struct {
			Name        string     `json:"name"`
			Email       string     `json:"email"`
			Role        string     `json:"role"`
			Disabled    bool       `json:"disabled"`
			HasPassword bool       `json:"has_password"`
			LastSignIn  *time.Time `json:"last_sign_in"`
		} `json:"users"`
	}
	if err := c.getJSON(ctx, c.companyURL("/users", nil), &res); err != nil {
		return err
	}
	tw := tabwriter.NewWriter(stdout, 0, 4, 2, ' ', 0)
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
}
