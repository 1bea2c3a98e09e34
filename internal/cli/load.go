package cli

import (
	"cmp"
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"slices"
	"strings"

	"github.com/docker/go-units"
	"github.com/spf13/cobra"

	"github.com/devstack/devstack/internal/bundle"
	"github.com/devstack/devstack/internal/engine"
	"github.com/devstack/devstack/internal/progress"
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
its content, not by its name.`,
		Args: cobra.ExactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			if f.dryRun {
				return listArchive(cmd.Context(), g, args[0])
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

// verifyArchive reads the archive once and checks everything in it.
func verifyArchive(ctx context.Context, g *globals, file string) (bundle.Manifest, error) {
	in, size, closeIn, err := openArchive(ctx, g, file)
	if err != nil {
		return bundle.Manifest{}, err
	}
	defer closeIn()
	bar := startTransfer(g.stderr, "Checking", size, 0, "")
	defer bar.done()
	m, err := bundle.Verify(io.TeeReader(in, bar))
	if err != nil {
		return m, loadFailed(ctx, file, "checking", err)
	}
	return m, nil
}

// runLoad reads the archive once (bundle.Unpack): the image export
// streams to the engine as it is read, which gets the export's end only
// once the manifest at the end and every checksum have matched; the
// project's files are written after that. So nothing is loaded from a
// damaged archive, and a load costs one read of it.
func runLoad(ctx context.Context, g *globals, f loadFlags, file string) error {
	in, size, closeIn, err := openArchive(ctx, g, file)
	if err != nil {
		return err
	}
	defer closeIn()
	api, err := g.client(ctx)
	if err != nil {
		return err
	}
	defer api.Close()
	decide := func(m bundle.Manifest) (string, error) {
		dir, err := filepath.Abs(cmp.Or(f.dir, g.WorkingDir, m.Project)) // load's flag, the global one, ./PROJECT
		if err != nil {
			return "", err
		}
		return dir, bundle.Conflicts(m, dir)
	}
	bar := startTransfer(g.stderr, "Loading", size, 0, "(the engine unpacks the layers)")
	m, dir, err := bundle.Unpack(io.TeeReader(in, bar), decide, func(export io.Reader) error {
		return engine.LoadImages(ctx, api, export)
	})
	bar.done()
	if err != nil {
		return loadFailed(ctx, file, "loading", err)
	}
	out := g.printer()
	for _, im := range m.Images {
		info, err := engine.InspectImage(ctx, api, im.Ref)
		if err != nil || info.ID != im.ID {
			return fmt.Errorf("%s: image %s is not the saved one after the load (want %s, have %s): %v", file, im.Ref, im.ID, info.ID, err)
		}
		out.Event(progress.Event{Kind: progress.KindImage, Name: im.Ref, Status: "Loaded", Detail: shortID(im.ID)})
	}
	fmt.Fprintf(g.stderr, "Wrote %d files of project %s into %s\n", len(m.ProjectFiles()), m.Project, dir)
	args := startArgs(m)
	if !f.up {
		fmt.Fprintf(g.stdout, "cd %s && devstack %s\n", shellQuote(dir), strings.Join(quoteAll(args), " "))
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

// listArchive checks an archive and shows what it holds.
func listArchive(ctx context.Context, g *globals, file string) error {
	m, err := verifyArchive(ctx, g, file)
	if err != nil {
		return err
	}
	w := g.stdout
	fmt.Fprintf(w, "project %s (archive format %d, devstack %s)\n", m.Project, m.Format, m.Devstack)
	fmt.Fprintf(w, "services: %s\n", strings.Join(m.Services, ", "))
	if len(m.Presets) > 0 {
		fmt.Fprintf(w, "presets: %s\n", strings.Join(m.Presets, ", "))
	}
	fmt.Fprintf(w, "images (%s in the export):\n", units.HumanSize(float64(m.ImageBytes())))
	for _, im := range m.Images {
		fmt.Fprintf(w, "  %s  %s  %s  (%s)\n", im.Ref, shortID(im.ID), im.Platform, strings.Join(im.Services, ", "))
	}
	fmt.Fprintf(w, "files:\n")
	for _, f := range m.ProjectFiles() {
		fmt.Fprintf(w, "  %s  %s\n", f.Name, units.HumanSize(float64(f.Size)))
	}
	for _, d := range m.EmptyDirs {
		fmt.Fprintf(w, "  %s/  (bind-mounted directory, not stored)\n", d)
	}
	fmt.Fprintf(w, "%d members, every checksum OK\n", len(m.Members)+1)
	return nil
}

func shortID(id string) string {
	id = strings.TrimPrefix(id, "sha256:")
	if len(id) > 12 {
		return id[:12]
	}
	return id
}

// openArchive opens an archive ("-": standard input) for one read that
// Ctrl-C ends, even a read blocked on a pipe (the file is closed under
// it).
func openArchive(ctx context.Context, g *globals, file string) (io.Reader, int64, func(), error) {
	if file == "-" {
		if isTerminal(g.stdin) {
			return nil, 0, nil, fmt.Errorf("load -: standard input is a terminal; redirect an archive into it, or pipe devstack save -o - into it")
		}
		if f, ok := g.stdin.(*os.File); ok {
			stop := context.AfterFunc(ctx, func() { f.Close() })
			return ctxReader{ctx, f}, 0, func() { stop() }, nil
		}
		return ctxReader{ctx, g.stdin}, 0, func() {}, nil
	}
	f, err := os.Open(file)
	if err != nil {
		return nil, 0, nil, err
	}
	st, err := f.Stat()
	if err != nil {
		f.Close()
		return nil, 0, nil, err
	}
	stop := context.AfterFunc(ctx, func() { f.Close() })
	return ctxReader{ctx, f}, st.Size(), func() { stop(); f.Close() }, nil
}

// ctxReader ends a read with the context's error once it is cancelled.
type ctxReader struct {
	ctx context.Context
	r   io.Reader
}

func (c ctxReader) Read(b []byte) (int, error) {
	if err := c.ctx.Err(); err != nil {
		return 0, err
	}
	n, err := c.r.Read(b)
	if err != nil && c.ctx.Err() != nil {
		err = c.ctx.Err()
	}
	return n, err
}

// loadFailed says what went wrong with FILE, and what is left: nothing,
// unless the engine had the whole image export.
func loadFailed(ctx context.Context, file, step string, err error) error {
	file, left := archiveName(file, "standard input"), "nothing loaded"
	if errors.Is(err, bundle.ErrImagesLoaded) {
		left = "the engine had the whole image export, its images may be loaded; no project file written"
	}
	if ctx.Err() != nil && errors.Is(err, context.Canceled) {
		return &engine.Interrupted{Step: step + " " + file, Left: left, Cause: ctx.Err(), Err: err}
	}
	return fmt.Errorf("%s: %w (%s)", file, err, left)
}

func quoteAll(args []string) []string {
	out := make([]string, len(args))
	for i, a := range args {
		out[i] = shellQuote(a)
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
