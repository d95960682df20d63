// Command vitrine is the Vitrine server, edge node and command-line client.
//
//	vitrine serve    API, UI, delivery and jobs
//	vitrine edge     a caching edge node
//	vitrine upload   upload files and folders
//	vitrine assets   the asset life cycle: ls, show, rm, restore, mv, cp, …
//	vitrine publish / unpublish / history
//	vitrine sets     list, create, show and edit sets
//
// `vitrine help` lists every command; docs/cli.md describes them.
package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"os/signal"
	"syscall"

	"github.com/spf13/cobra"
)

// Exit codes, as docs/cli.md documents them.
const (
	exitOK    = 0 // the command did what it was asked
	exitError = 1 // it failed: the server refused, could not be reached, …
	exitUsage = 2 // the command line is wrong: unknown command or flag, missing argument
)

// command is a process command with its own flag parser (envflag: flags
// grouped by component, each with its variable). The list stays a plain
// table so adding one is a one-line change.
type command struct {
	name    string
	summary string
	run     func(ctx context.Context, args []string, stdout, stderr io.Writer) error
}

func commands() []command {
	return []command{
		{"serve", "run the server: API, delivery, jobs", runServe},
		{"edge", "run a caching edge node in front of a server", runEdge},
		{"backup", "write an online backup of an embedded (SQLite) installation", runBackup},
		{"migrate", "copy an embedded installation to PostgreSQL and S3 (or another blob store)", runMigrate},
	}
}

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	os.Exit(Main(ctx, os.Args[1:], os.Stdout, os.Stderr))
}

// Main runs the command line args and returns the exit code.
func Main(ctx context.Context, args []string, stdout, stderr io.Writer) int {
	root := newRoot(stdout, stderr)
	root.SetArgs(args)
	cmd, err := root.ExecuteContextC(ctx)
	if err == nil {
		return exitOK
	}
	if errors.Is(err, flag.ErrHelp) { // a process command's -h: its usage is printed
		return exitOK
	}
	name := "vitrine"
	if cmd != nil && cmd != root {
		name = cmd.CommandPath()
	}
	fmt.Fprintf(stderr, "%s: %v\n", name, err)
	if isUsage(err) {
		fmt.Fprintf(stderr, "Run '%s --help' for usage.\n", name)
		return exitUsage
	}
	return exitError
}

// processCommand wraps a process command: cobra hands it the arguments
// untouched, so its own parser keeps its grouped --help.
func processCommand(c command) *cobra.Command {
	return &cobra.Command{
		Use:                c.name + " [flags]",
		Short:              c.summary,
		GroupID:            groupServer,
		DisableFlagParsing: true,
		RunE: func(cmd *cobra.Command, args []string) error {
			out := cmd.ErrOrStderr()
			if wantsHelp(args) {
				out = cmd.OutOrStdout()
			}
			return c.run(cmd.Context(), args, cmd.OutOrStdout(), out)
		},
	}
}

func wantsHelp(args []string) bool {
	for _, a := range args {
		switch a {
		case "-h", "-help", "--help":
			return true
		case "--":
			return false
		}
	}
	return false
}

// envOr returns the environment variable key, or def.
func envOr(key, def string) string {
	if v, ok := os.LookupEnv(key); ok && v != "" {
		return v
	}
	return def
}
