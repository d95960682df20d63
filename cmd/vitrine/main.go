// Command vitrine is the Vitrine server, edge node and command-line client.
//
//	vitrine serve    API, UI, delivery and jobs
//	vitrine upload   upload files and folders
//	vitrine assets   list and show assets
//	vitrine publish / unpublish / history
//	vitrine sets     create, show and edit sets
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
)

// command is one subcommand: it parses its own flags and runs.
type command struct {
	name    string
	summary string
	run     func(ctx context.Context, args []string, stdout, stderr io.Writer) error
}

func commands() []command {
	return []command{
		{"serve", "run the server: API, delivery, jobs", runServe},
		{"edge", "run a caching edge node in front of a server", runEdge},
		{"invalidate", "Invalidate CDN: purge assets' URLs or given URLs from every edge", runInvalidate},
		{"upload", "upload files or directories", runUpload},
		{"assets", "list (ls) or show assets", runAssets},
		{"publish", "publish assets", runPublish},
		{"unpublish", "unpublish assets", runUnpublish},
		{"history", "show an asset's publish history", runHistory},
		{"folders", "folders and their publish properties: ls, create, show, set, rm", runFolders},
		{"publication", "Manage Publication: plan (each asset's publish target) or apply", runPublication},
		{"quick-publish", "publish now, with unpublished references", runQuickPublish},
		{"sets", "create, show and edit sets: create, show, add, rm", runSets},
		{"jobs", "list and control jobs: ls, show, cancel, pause, resume, run, rm", runJobs},
		{"users", "the company's users: ls, invite (a one-time link to set a password), reset", runUsers},
		{"backup", "write an online backup of an embedded (SQLite) installation", runBackup},
	}
}

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	os.Exit(Main(ctx, os.Args[1:], os.Stdout, os.Stderr))
}

// Main runs the command line args and returns the exit code.
func Main(ctx context.Context, args []string, stdout, stderr io.Writer) int {
	if len(args) == 0 || args[0] == "-h" || args[0] == "--help" || args[0] == "help" {
		usage(stderr)
		return 2
	}
	for _, c := range commands() {
		if c.name == args[0] {
			err := c.run(ctx, args[1:], stdout, stderr)
			switch {
			case err == nil:
				return 0
			case errors.Is(err, flag.ErrHelp):
				return 2
			default:
				fmt.Fprintf(stderr, "vitrine %s: %v\n", c.name, err)
				return 1
			}
		}
	}
	fmt.Fprintf(stderr, "vitrine: unknown command %q\n\n", args[0])
	usage(stderr)
	return 2
}

func usage(w io.Writer) {
	fmt.Fprintln(w, "usage: vitrine COMMAND [flags]\n\ncommands:")
	for _, c := range commands() {
		fmt.Fprintf(w, "  %-10s %s\n", c.name, c.summary)
	}
	fmt.Fprintln(w, "\nClient commands read VITRINE_URL, VITRINE_TOKEN and VITRINE_COMPANY (or --url, --token, --company).")
}

// envOr returns the environment variable key, or def.
func envOr(key, def string) string {
	if v, ok := os.LookupEnv(key); ok && v != "" {
		return v
	}
	return def
}
