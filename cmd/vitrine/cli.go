package main

import (
	"errors"
	"fmt"
	"io"
	"strings"

	"github.com/spf13/cobra"
)

// Command groups in `vitrine --help`.
const (
	groupServer  = "server"
	groupContent = "content"
	groupPublish = "publish"
	groupAdmin   = "admin"
)

// app is what every client command shares: the connection flags. Their
// defaults come from the environment at run time, never into the help
// text, so a token in VITRINE_TOKEN is not printed by --help.
type app struct {
	url, token, company string
	insecure            bool
}

func newRoot(stdout, stderr io.Writer) *cobra.Command {
	a := &app{}
	root := &cobra.Command{
		Use:   "vitrine",
		Short: "Vitrine: digital-asset publishing and delivery",
		Long: `Vitrine publishes and delivers digital assets: the server (serve), a caching
edge node (edge), and a client for the REST API (every other command).

Client commands talk to the server at --url with the API token --token, in
the company --company; each falls back to VITRINE_URL, VITRINE_TOKEN and
VITRINE_COMPANY. Commands that print take --json: the API's answer, unchanged.

Exit codes: 0 ok, 1 error, 2 usage (unknown command or flag, missing argument).`,
		Example: `  vitrine serve --data ./data
  export VITRINE_TOKEN=$(cat data/admin-token)
  vitrine upload shoe.jpg --folder /products
  vitrine assets ls --folder /products
  vitrine help assets`,
		SilenceErrors:     true,
		SilenceUsage:      true,
		CompletionOptions: cobra.CompletionOptions{HiddenDefaultCmd: false},
		Args:              noArgs,
		RunE: func(cmd *cobra.Command, args []string) error {
			return cmd.Help()
		},
	}
	root.SetOut(stdout)
	root.SetErr(stderr)
	root.SetFlagErrorFunc(func(_ *cobra.Command, err error) error { return usageError{err} })
	pf := root.PersistentFlags()
	pf.StringVar(&a.url, "url", "", "server URL (default $VITRINE_URL, else http://127.0.0.1:8080)")
	pf.StringVar(&a.token, "token", "", "API token (default $VITRINE_TOKEN)")
	pf.StringVar(&a.company, "company", "", "company id (default $VITRINE_COMPANY, else demo)")
	pf.BoolVar(&a.insecure, "insecure", false, "do not verify the server's TLS certificate (self-signed test servers; default $VITRINE_INSECURE)")
	root.AddGroup(
		&cobra.Group{ID: groupServer, Title: "Run Vitrine:"},
		&cobra.Group{ID: groupContent, Title: "Assets, folders and sets:"},
		&cobra.Group{ID: groupPublish, Title: "Publishing and jobs:"},
		&cobra.Group{ID: groupAdmin, Title: "Company administration:"},
	)
	for _, c := range commands() {
		root.AddCommand(processCommand(c))
	}
	for _, c := range a.clientCommands() {
		root.AddCommand(c)
	}
	root.AddCommand(versionCmd())
	root.SetHelpCommandGroupID(groupServer)
	root.SetCompletionCommandGroupID(groupServer)
	for _, c := range root.Commands() {
		markGroups(c)
	}
	return root
}

// clientCommands are the commands that call the REST API.
func (a *app) clientCommands() []*cobra.Command {
	return []*cobra.Command{
		a.waitCmd(),
		a.uploadCmd(), a.assetsCmd(), a.foldersCmd(), a.setsCmd(),
		a.publishCmd("publish"), a.publishCmd("unpublish"), a.historyCmd(), a.publicationCmd(), a.quickPublishCmd(),
		a.jobsCmd(), a.invalidateCmd(), a.signCmd(),
		a.settingsCmd(), a.presetsCmd(), a.usersCmd(), a.tokensCmd(),
	}
}

// markGroups makes a command with subcommands answer an unknown one with
// a usage error and suggestions ("did you mean"), and its bare name with
// its help.
func markGroups(c *cobra.Command) {
	if !c.HasSubCommands() {
		return
	}
	if c.RunE == nil && c.Run == nil {
		c.Args = cobra.ArbitraryArgs
		c.RunE = func(cmd *cobra.Command, args []string) error {
			if len(args) == 0 {
				return cmd.Help()
			}
			return unknownCommand(cmd, args[0])
		}
	}
	for _, s := range c.Commands() {
		markGroups(s)
	}
}

func unknownCommand(cmd *cobra.Command, name string) error {
	msg := fmt.Sprintf("unknown command %q for %q", name, cmd.CommandPath())
	if cmd.SuggestionsMinimumDistance <= 0 {
		cmd.SuggestionsMinimumDistance = 2
	}
	if s := cmd.SuggestionsFor(name); len(s) > 0 {
		msg += "\n\nDid you mean this?\n\t" + strings.Join(s, "\n\t")
	}
	return usageError{errors.New(msg)}
}

// usageError is a wrong command line: exit code 2.
type usageError struct{ err error }

func (e usageError) Error() string { return e.err.Error() }
func (e usageError) Unwrap() error { return e.err }

func isUsage(err error) bool {
	var u usageError
	// cobra's own "unknown command" (for the root) and "unknown flag"
	// errors before the flag error func runs.
	return errors.As(err, &u) || strings.HasPrefix(err.Error(), "unknown command") || strings.HasPrefix(err.Error(), "unknown flag") ||
		strings.HasPrefix(err.Error(), "unknown shorthand flag")
}

func usagef(format string, args ...any) error { return usageError{fmt.Errorf(format, args...)} }

// noArgs refuses arguments, suggesting a command for the root's.
func noArgs(cmd *cobra.Command, args []string) error {
	if len(args) == 0 {
		return nil
	}
	if cmd.HasSubCommands() {
		return unknownCommand(cmd, args[0])
	}
	return usagef("%s takes no arguments", cmd.CommandPath())
}

// exactArgs wants n arguments, named in the command's Use line.
func exactArgs(n int) cobra.PositionalArgs {
	return func(cmd *cobra.Command, args []string) error {
		if len(args) != n {
			return usagef("want %d argument(s), got %d: %s", n, len(args), cmd.UseLine())
		}
		return nil
	}
}

func minArgs(n int) cobra.PositionalArgs {
	return func(cmd *cobra.Command, args []string) error {
		if len(args) < n {
			return usagef("want at least %d argument(s), got %d: %s", n, len(args), cmd.UseLine())
		}
		return nil
	}
}

// client resolves the connection flags (the environment fills what the
// command line left out) and returns a client for the API.
func (a *app) client() (*client, error) {
	c := &client{
		base:     firstOf(a.url, envOr("VITRINE_URL", "http://127.0.0.1:8080")),
		token:    firstOf(a.token, envOr("VITRINE_TOKEN", "")),
		company:  firstOf(a.company, envOr("VITRINE_COMPANY", "demo")),
		insecure: a.insecure || envOr("VITRINE_INSECURE", "") == "true",
	}
	return c, c.check()
}

func firstOf(v ...string) string {
	for _, s := range v {
		if s != "" {
			return s
		}
	}
	return ""
}

// output prints an answer: with --json the API's bytes unchanged, else
// the human form.
type output struct {
	json bool
}

func (o *output) register(cmd *cobra.Command) {
	cmd.Flags().BoolVar(&o.json, "json", false, "print the API's JSON answer unchanged (for jq)")
}

// print writes raw with --json, else calls human.
func (o *output) print(w io.Writer, raw []byte, human func() error) error {
	if o.json {
		return writeRaw(w, raw)
	}
	return human()
}

// line writes raw with --json, else one formatted message.
func (o *output) line(w io.Writer, raw []byte, format string, args ...any) error {
	return o.print(w, raw, func() error {
		_, err := fmt.Fprintf(w, format, args...)
		return err
	})
}

func writeRaw(w io.Writer, raw []byte) error {
	if _, err := w.Write(raw); err != nil {
		return err
	}
	if len(raw) > 0 && raw[len(raw)-1] != '\n' {
		_, err := io.WriteString(w, "\n")
		return err
	}
	return nil
}
