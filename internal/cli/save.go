package cli

import (
	"context"
	"fmt"
	"io"
	"os"
	"path/filepath"

	"github.com/compose-spec/compose-go/v2/types"
	"github.com/docker/go-units"
	"github.com/spf13/cobra"

	"github.com/devstack/devstack/internal/apply"
	"github.com/devstack/devstack/internal/bundle"
	"github.com/devstack/devstack/internal/dockerapi"
	"github.com/devstack/devstack/internal/progress"
	"github.com/devstack/devstack/internal/version"
)

type saveFlags struct {
	output, compression, list string
	includeDirs               []string
	snapshots                 bool
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
kind by its content, whatever the file is called.

--snapshots also stores all the project's snapshots (devstack snapshot ls),
each as snapshots/NAME.tar.zst, exactly what snapshot export writes (so
snapshot import reads it taken out of the archive); load imports them.`,
		RunE: func(cmd *cobra.Command, args []string) error {
			if f.list != "" {
				if len(args) > 0 {
					return fmt.Errorf("--list takes no services")
				}
				return listArchive(cmd.Context(), g, loadFlags{}, f.list)
			}
			return runSave(cmd.Context(), g, f, args)
		},
	}
	fl := cmd.Flags()
	fl.StringVarP(&f.output, "output", "o", "", "archive to write, - for standard output (default: PROJECT.tar.zst, .ldm.zst, .tar.gz or .tar by --compression)")
	fl.StringVar(&f.compression, "compression", string(bundle.Zstd), "zstd: a tar in zstd (.tar.zst); gzip: a tar in gzip (.tar.gz); none: a plain tar (.tar); all three read by tar.\nzstd-long: zstd over a long-distance match layer (.ldm.zst), storing once what images share beyond their layers; only devstack load reads it")
	fl.StringArrayVar(&f.includeDirs, "include-dir", nil, "also store this bind-mounted directory's files (repeatable)")
	fl.BoolVar(&f.snapshots, "snapshots", false, "also store all the project's snapshots; load imports them")
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
	apply.DefaultImageNames(p)
	refs, err := apply.ExportRefs(p) // refused before anything is built or pulled
	if err != nil {
		return err
	}
	api, err := g.client(ctx)
	if err != nil {
		return err
	}
	defer api.Close()
	var snaps []string
	if f.snapshots {
		if snaps, err = saveSnapshots(ctx, api, p.Name); err != nil {
			return err
		}
	}
	pr := g.printer()
	if _, err := apply.EnsureImages(ctx, api, p, g.images(apply.ImageOptions{Build: true}), pr); err != nil {
		return err
	}
	for _, d := range files.EmptyDirs {
		pr.Event(progress.Event{Kind: progress.KindWarning, Detail: fmt.Sprintf("bind-mounted directory %s is not stored (--include-dir %s stores it); load creates it empty", d, d)})
	}
	o := bundle.SaveOptions{Project: p, Presets: r.Added, Selected: services, EnvFiles: absAll(g.EnvFiles), Version: version.Version,
		Files: files, Snapshots: snaps, Snapshotter: engineSnapshots{api}, Compression: comp, Out: out, Stdout: g.stdout, Meter: g.meter("Saving", "")}
	for _, ref := range refs {
		o.Images = append(o.Images, bundle.Image{Ref: ref.Ref, Services: ref.Services})
	}
	m, size, err := bundle.Save(ctx, engineImages{api}, o)
	if err != nil {
		return err
	}
	fmt.Fprintf(g.stderr, "Saved %s: %d images, %d files%s, %s\n", bundle.ArchiveName(out, "standard output"), len(m.Images), len(files.Files), savedSnapshots(m), units.HumanSize(float64(size)))
	return nil
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

// engineImages is the engine's side of bundle.Save and bundle.Load.
type engineImages struct{ api dockerapi.ImageAPI }

func (e engineImages) InspectImage(ctx context.Context, ref string) (bundle.ImageInfo, error) {
	info, err := apply.InspectImage(ctx, e.api, ref)
	return bundle.ImageInfo{ID: info.ID, Tags: info.Tags, Platform: info.Platform}, err
}

func (e engineImages) SaveImages(ctx context.Context, refs []string) (io.ReadCloser, error) {
	return apply.SaveImages(ctx, e.api, refs)
}

func (e engineImages) LoadImages(ctx context.Context, export io.Reader) error {
	return apply.LoadImages(ctx, e.api, export)
}
