package cli

import (
	"cmp"
	"context"
	"errors"
	"fmt"
	"path/filepath"
	"slices"
	"strings"

	"github.com/docker/go-units"
	"github.com/spf13/cobra"

	"github.com/devstack/devstack/internal/apply"
	"github.com/devstack/devstack/internal/bundle"
	"github.com/devstack/devstack/internal/progress"
	"github.com/devstack/devstack/internal/termsafe"
)

type loadFlags struct {
	dir        string
	up, dryRun bool
}

func newLoadCmd(g *globals) *cobra.Command {
	var f loadFlags
	cmd := &cobra.Command{
		Use:   "load FILE [--project-directory DIR] [--up]",
		Short: "Load an archive of devstack save: its images into the engine, its files into DIR",
		Long: `Load the archive written by devstack save: its images into the engine and
the project's files into DIR (default: ./PROJECT; existing files must be
identical), then print the command that starts the project. The archive
is checked (its manifest and the SHA-256 of every member) while the images
stream to the engine, which gets the end of the image export only once
everything checked out: a damaged archive loads nothing.
FILE - reads standard input (devstack save -o - | ssh HOST devstack load -).
--up starts it right away with --pull never. --dry-run only shows what is
inside. Nothing is loaded from a damaged archive. FILE may be of any
--compression of save (zstd, zstd-long, gzip, none): load tells which by
its content, not by its name. Snapshots in it (save --snapshots) are
imported into the project's snapshots on the engine after the images and
files, as snapshot import does; a name the project's snapshots already
have is refused before anything is loaded.`,
		Args: cobra.ExactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			if f.dryRun {
				return listArchive(cmd.Context(), g, f, args[0])
			}
			return runLoad(cmd.Context(), g, f, args[0])
		},
	}
	fl := cmd.Flags()
	fl.StringVar(&f.dir, "project-directory", "", "where to write the project's files (default: ./PROJECT)")
	fl.BoolVar(&f.up, "up", false, "then start the project (up -d --pull never)")
	fl.BoolVar(&f.dryRun, "dry-run", false, "show what the archive holds (checking every checksum) and load nothing")
	return cmd
}

// openArchive opens the archive ("-": standard input, which must not be
// a terminal) for bundle.Load or Check.
func openArchive(ctx context.Context, g *globals, file string) (*bundle.Archive, error) {
	if file == "-" && isTerminal(g.stdin) {
		return nil, fmt.Errorf("load -: standard input is a terminal; redirect an archive into it, or pipe devstack save -o - into it")
	}
	return bundle.Open(ctx, file, g.stdin)
}

// runLoad loads the archive (bundle.Load: one read, nothing loaded from a
// damaged archive), says what it loaded and prints, or runs, the command
// that starts the project.
func runLoad(ctx context.Context, g *globals, f loadFlags, file string) error {
	a, err := openArchive(ctx, g, file)
	if err != nil {
		return err
	}
	defer a.Close()
	api, err := g.client(ctx)
	if err != nil {
		return err
	}
	defer api.Close()
	o := bundle.LoadOptions{Dir: cmp.Or(f.dir, g.WorkingDir), Meter: g.meter("Loading", "(the engine unpacks the layers)"), // load's flag, the global one, else ./PROJECT
		Snapshots: engineSnapshots{api}}
	m, dir, err := bundle.Load(ctx, engineImages{api}, a, o)
	if err != nil {
		return interrupted(ctx, err)
	}
	out := g.printer()
	for _, im := range m.Images {
		out.Event(progress.Event{Kind: progress.KindImage, Name: termsafe.Name(im.Ref), Status: "Loaded", Detail: termsafe.Name(shortID(im.ID))})
	}
	for _, t := range m.ExportTags {
		fmt.Fprintf(g.stderr, "Loaded image: %s\n", termsafe.Name(t))
	}
	fmt.Fprintf(g.stderr, "Wrote %d files of project %s into %s\n", len(m.ProjectFiles()), m.Project, termsafe.Name(dir))
	for _, s := range m.Snapshots {
		fmt.Fprintf(g.stderr, "Imported snapshot %s (%s, %s; devstack snapshot restore %s brings it back)\n", s.Name, names(s.Volumes), units.HumanSize(float64(s.Size)), s.Name)
	}
	args := startArgs(m)
	if !f.up {
		fmt.Fprintf(g.stdout, "cd %s && devstack %s\n", shellQuote(termsafe.Name(dir)), strings.Join(quoteAll(args), " "))
		return nil
	}
	return upLoaded(ctx, g, m, dir)
}

// startArgs is the devstack command line (after "devstack", run in dir)
// that starts the loaded project: its name, its compose files unless it is
// the one found by default, its --env-file files, and the services named
// at save (presets need naming). Pure.
func startArgs(m bundle.Manifest) []string {
	args := []string{"-p", m.Project}
	defaults := []string{"compose.yaml", "compose.yml", "docker-compose.yml", "docker-compose.yaml"}
	if !(len(m.ComposeFiles) == 1 && slices.Contains(defaults, m.ComposeFiles[0])) {
		for _, f := range m.ComposeFiles {
			args = append(args, "-f", f)
		}
	}
	for _, f := range m.EnvFiles {
		args = append(args, "--env-file", f)
	}
	args = append(args, "up", "-d", "--pull", "never") // offline: the images are the loaded ones
	return append(args, m.Selected...)
}

// upLoaded starts the loaded project as `up -d --pull never` would.
func upLoaded(ctx context.Context, g *globals, m bundle.Manifest, dir string) error {
	lg := *g
	lg.WorkingDir, lg.ProjectName, lg.Files, lg.EnvFiles = dir, m.Project, nil, nil
	for _, f := range m.ComposeFiles {
		lg.Files = append(lg.Files, filepath.Join(dir, filepath.FromSlash(f)))
	}
	for _, f := range m.EnvFiles {
		lg.EnvFiles = append(lg.EnvFiles, filepath.Join(dir, filepath.FromSlash(f)))
	}
	return runUp(ctx, &lg, upFlags{detach: true, pull: "never", timeout: -1}, m.Selected)
}

func shortID(id string) string {
	id = strings.TrimPrefix(id, "sha256:")
	if len(id) > 12 {
		return id[:12]
	}
	return id
}

// interrupted is a load or check that Ctrl-C ended: it says so, and what
// is left.
func interrupted(ctx context.Context, err error) error {
	var le *bundle.LoadError
	if ctx.Err() != nil && errors.Is(err, context.Canceled) && errors.As(err, &le) {
		return &apply.Interrupted{Step: le.Step + " " + le.File, Left: le.Left, Cause: ctx.Err(), Err: le.Err}
	}
	return err
}

func quoteAll(args []string) []string {
	out := make([]string, len(args))
	for i, a := range args {
		out[i] = shellQuote(termsafe.Name(a)) // the archive's names: escaped, never sent to the terminal
	}
	return out
}

// shellQuote quotes s for a POSIX shell when it needs it.
func shellQuote(s string) string {
	if s != "" && strings.Trim(s, "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789-_./:=@+,") == "" {
		return s
	}
	return "'" + strings.ReplaceAll(s, "'", `'\''`) + "'"
}
