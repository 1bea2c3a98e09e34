package cli

import (
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"
	"syscall"

	"github.com/compose-spec/compose-go/v2/types"
	"github.com/docker/go-units"
	"github.com/spf13/cobra"

	"github.com/devstack/devstack/internal/bundle"
	"github.com/devstack/devstack/internal/compose"
	"github.com/devstack/devstack/internal/dockerapi"
	"github.com/devstack/devstack/internal/engine"
	"github.com/devstack/devstack/internal/progress"
	"github.com/devstack/devstack/internal/version"
)

type saveFlags struct {
	output, compression, list string
	includeDirs               []string
}

func newSaveCmd(g *globals) *cobra.Command {
	var f saveFlags
	cmd := &cobra.Command{
		Use:   "save [-o FILE] [SERVICE...]",
		Short: "Write the project's images and files into one archive, for a machine without a registry",
		Long: `Build every service that has a build section (as up --build does) and pull
what is missing (as up does), then write one archive holding the images of
the selected services (one export: layers shared by several images are
stored once), the project's compose files (and those their include: and
extends: name), .env, env_files, the files its configs, secrets and bind
mounts of files point at, and a manifest with a SHA-256 of every member. SERVICE may
name presets, as with up. Bind-mounted directories are stored only with
--include-dir (they may be the whole source tree); load creates them empty
otherwise. Every file must lie inside the project directory: paths are
stored relative to it and nothing is rewritten. devstack load FILE unpacks
the archive on the other machine; save --list FILE shows what is inside.

--compression zstd (the default), gzip and none write a tar that tar reads
(tar --zstd -xf NAME.tar.zst, tar -xzf NAME.tar.gz, tar -xf NAME.tar).
zstd-long writes NAME.ldm.zst: zstd over devstack's long-distance match
stream (zstd -d gives NAME.ldm, not a tar), which finds repeats up to
64 MiB back, as zstd --long does: the same file in two images' own layers,
the shared code of several binaries. It is smaller when images share
content beyond their layers; only devstack load reads it. load tells every
kind by its content, whatever the file is called.`,
		RunE: func(cmd *cobra.Command, args []string) error {
			if f.list != "" {
				if len(args) > 0 {
					return fmt.Errorf("--list takes no services")
				}
				return listArchive(cmd.Context(), g, f.list)
			}
			return runSave(cmd.Context(), g, f, args)
		},
	}
	fl := cmd.Flags()
	fl.StringVarP(&f.output, "output", "o", "", "archive to write, - for standard output (default: PROJECT.tar.zst, .ldm.zst, .tar.gz or .tar by --compression)")
	fl.StringVar(&f.compression, "compression", string(bundle.Zstd), "zstd: a tar in zstd (.tar.zst); gzip: a tar in gzip (.tar.gz); none: a plain tar (.tar); all three read by tar.\nzstd-long: zstd over a long-distance match layer (.ldm.zst), storing once what images share beyond their layers; only devstack load reads it")
	fl.StringArrayVar(&f.includeDirs, "include-dir", nil, "also store this bind-mounted directory's files (repeatable)")
	fl.StringVar(&f.list, "list", "", "show what archive FILE holds (checking every checksum) and write nothing")
	return cmd
}

func runSave(ctx context.Context, g *globals, f saveFlags, services []string) error {
	comp, err := bundle.ParseCompression(f.compression)
	if err != nil {
		return err
	}
	r, err := g.resolve(ctx, services)
	if err != nil {
		return err
	}
	p := r.Selected
	out := f.output
	switch {
	case out == "-" && isTerminal(g.stdout):
		return fmt.Errorf("-o -: standard output is a terminal; redirect it, or pipe it into devstack load -")
	case out == "":
		out = p.Name + comp.Ext()
	}
	if out != "-" {
		if out, err = filepath.Abs(out); err != nil {
			return err
		}
	}
	files, err := collectFiles(g, p, f.includeDirs, out)
	if err != nil {
		return err
	}
	engine.DefaultImageNames(p)
	refs, err := engine.ExportRefs(p) // refused before anything is built or pulled
	if err != nil {
		return err
	}
	api, err := g.client(ctx)
	if err != nil {
		return err
	}
	defer api.Close()
	pr := g.printer()
	if _, err := engine.EnsureImages(ctx, api, p, g.images(engine.ImageOptions{Build: true}), pr); err != nil {
		return err
	}
	m, err := newManifest(ctx, g, api, r, services, refs)
	if err != nil {
		return err
	}
	m.EmptyDirs = files.EmptyDirs
	for _, d := range files.EmptyDirs {
		pr.Event(progress.Event{Kind: progress.KindWarning, Detail: fmt.Sprintf("bind-mounted directory %s is not stored (--include-dir %s stores it); load creates it empty", d, d)})
	}
	size, err := writeArchive(ctx, g, api, out, comp, m, files.Files)
	if err != nil {
		return err
	}
	fmt.Fprintf(g.stderr, "Saved %s: %d images, %d files, %s\n", archiveName(out, "standard output"), len(m.Images), len(files.Files), units.HumanSize(float64(size)))
	return nil
}

// newManifest describes the project and its images (the members are the
// writer's to add).
func newManifest(ctx context.Context, g *globals, api dockerapi.ImageAPI, r compose.Resolved, services []string, refs []engine.ExportRef) (bundle.Manifest, error) {
	p := r.Selected
	m := bundle.Manifest{Devstack: version.Version, Project: p.Name, Services: p.ServiceNames(), Presets: r.Added}
	if len(services) > 0 {
		m.Selected = services
	}
	var err error
	if m.ComposeFiles, err = relAll(p.WorkingDir, p.ComposeFiles); err != nil {
		return m, err
	}
	if m.EnvFiles, err = relAll(p.WorkingDir, absAll(g.EnvFiles)); err != nil {
		return m, err
	}
	for _, ref := range refs {
		info, err := engine.InspectImage(ctx, api, ref.Ref)
		if err != nil {
			return m, err
		}
		m.Images = append(m.Images, bundle.Image{ID: info.ID, Ref: ref.Ref, Tags: info.Tags, Platform: info.Platform, Services: ref.Services})
	}
	return m, nil
}

// collectFiles lists the project's files; --env-file and --include-dir
// paths are taken relative to the current directory.
func collectFiles(g *globals, p *types.Project, includeDirs []string, out string) (bundle.Collected, error) {
	include := absAll(includeDirs)
	for _, d := range include {
		if st, err := os.Stat(d); err != nil || !st.IsDir() {
			return bundle.Collected{}, fmt.Errorf("--include-dir %s: not a directory", d)
		}
	}
	return bundle.Collect(p, absAll(g.EnvFiles), include, out)
}

func absAll(paths []string) []string {
	var out []string
	for _, p := range paths {
		abs, err := filepath.Abs(p)
		if err != nil {
			abs = p
		}
		out = append(out, abs)
	}
	return out
}

func relAll(dir string, paths []string) ([]string, error) {
	var out []string
	for _, p := range paths {
		rel, err := bundle.ProjectRel(dir, p, "file")
		if err != nil {
			return nil, err
		}
		out = append(out, rel)
	}
	return out, nil
}

// writeArchive streams the archive into a temporary file beside out and
// renames it into place once complete; on any error the partial file is
// removed. Out "-" is standard output (a reader there sees a broken
// archive on error). It returns the archive's size.
func writeArchive(ctx context.Context, g *globals, api dockerapi.ImageAPI, out string, comp bundle.Compression, m bundle.Manifest, files []bundle.Source) (size int64, err error) {
	if out == "-" {
		return streamArchive(ctx, g, api, g.stdout, out, comp, m, files)
	}
	tmp, err := os.CreateTemp(filepath.Dir(out), "."+filepath.Base(out)+".partial-*")
	if err != nil {
		return 0, writeError(out, err)
	}
	defer func() {
		if err != nil {
			tmp.Close()
			os.Remove(tmp.Name())
		}
	}()
	if size, err = streamArchive(ctx, g, api, tmp, out, comp, m, files); err != nil {
		return 0, err
	}
	if err := tmp.Chmod(0o644); err != nil {
		return 0, writeError(out, err)
	}
	if err := tmp.Close(); err != nil {
		return 0, writeError(out, err)
	}
	return size, os.Rename(tmp.Name(), out)
}

// streamArchive writes the archive to dst: the images, the files, the
// manifest.
func streamArchive(ctx context.Context, g *globals, api dockerapi.ImageAPI, dst io.Writer, out string, comp bundle.Compression, m bundle.Manifest, files []bundle.Source) (int64, error) {
	bar := startTransfer(g.stderr, "Saving", 0, len(m.Images), "")
	defer bar.done()
	w, err := bundle.NewWriter(countingWriter{dst, bar}, comp)
	if err != nil {
		return 0, err
	}
	if err := writeImages(ctx, api, w, m.Images, bar); err != nil {
		w.Abort()
		return 0, writeError(out, err)
	}
	for _, src := range files {
		if err := w.AddFile(src); err != nil {
			w.Abort()
			return 0, writeError(out, err)
		}
	}
	if err := w.Close(m); err != nil {
		return 0, writeError(out, err)
	}
	return bar.bytes.Load(), nil
}

// writeImages streams the engine's export of every image into w, counting
// an image done once its config (named by its ID) has passed.
func writeImages(ctx context.Context, api dockerapi.ImageAPI, w *bundle.Writer, images []bundle.Image, bar *transfer) error {
	refs := make([]string, len(images))
	pending := map[string]bool{}
	for i, im := range images {
		refs[i] = im.Ref
		pending[strings.TrimPrefix(im.ID, "sha256:")] = true
	}
	rc, err := engine.SaveImages(ctx, api, refs)
	if err != nil {
		return err
	}
	defer rc.Close()
	return w.AddImageExport(rc, func(name string) {
		id := strings.TrimSuffix(filepath.Base(name), ".json")
		if pending[id] {
			delete(pending, id)
			bar.imagesDone.Add(1)
		}
	})
}

// writeError names the archive being written; a full disk says so.
func writeError(out string, err error) error {
	if errors.Is(err, syscall.ENOSPC) {
		return fmt.Errorf("writing %s: no space left on its device (nothing kept): %w", archiveName(out, "standard output"), err)
	}
	return fmt.Errorf("writing %s (nothing kept): %w", archiveName(out, "standard output"), err)
}

// archiveName is how messages name an archive file: "-" is standard
// output for save, standard input for load.
func archiveName(file, std string) string {
	if file == "-" {
		return std
	}
	return file
}
