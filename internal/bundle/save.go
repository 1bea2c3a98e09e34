package bundle

import (
	"context"
	"errors"
	"fmt"
	"io"
	"path/filepath"
	"strings"
	"syscall"

	"github.com/compose-spec/compose-go/v2/types"

	"github.com/devstack/devstack/internal/atomicfile"
)

// SaveOptions say what Save writes where.
type SaveOptions struct {
	Project *types.Project
	// Selected are the services named on the command line (none: the
	// whole project); Presets those that came from the catalogue.
	Selected, Presets []string
	// EnvFiles are the --env-file files, absolute.
	EnvFiles []string
	// Version is devstack's, for the manifest.
	Version string
	// Images are the images to export, each with its Ref and Services;
	// Save asks the engine for the rest.
	Images []Image
	// Files are the project's files and left-out directories (Collect).
	Files Collected
	// Snapshots are the project's snapshots to store (save --snapshots),
	// each one export of Snapshotter.
	Snapshots   []string
	Snapshotter SnapshotSource
	Compression Compression
	// Out is the archive's path, "-" for Stdout.
	Out    string
	Stdout io.Writer
	Meter  StartMeter
}

// Save writes the archive: the engine's export of the images, the
// project's files, the manifest. A file is written whole or not at all
// (internal/atomicfile): on any error nothing is left at Out. It returns
// the manifest and the archive's size.
func Save(ctx context.Context, eng ImageSaver, o SaveOptions) (Manifest, int64, error) {
	m, err := saveManifest(ctx, eng, o)
	if err != nil {
		return m, 0, err
	}
	if o.Out == "-" {
		size, err := writeTo(ctx, eng, o.Stdout, o, &m)
		return m, size, err
	}
	f, err := atomicfile.Create(o.Out, 0o644)
	if err != nil {
		return m, 0, err
	}
	size, err := writeTo(ctx, eng, f, o, &m)
	if err != nil {
		f.Abort()
		return m, 0, err
	}
	return m, size, f.Commit()
}

// saveManifest describes the project and its images (the members are the
// writer's to add).
func saveManifest(ctx context.Context, eng ImageSaver, o SaveOptions) (Manifest, error) {
	p := o.Project
	m := Manifest{Devstack: o.Version, Project: p.Name, Services: p.ServiceNames(), Presets: o.Presets, EmptyDirs: o.Files.EmptyDirs}
	if len(o.Selected) > 0 {
		m.Selected = o.Selected
	}
	var err error
	if m.ComposeFiles, err = relAll(p.WorkingDir, p.ComposeFiles); err != nil {
		return m, err
	}
	if m.EnvFiles, err = relAll(p.WorkingDir, o.EnvFiles); err != nil {
		return m, err
	}
	for _, im := range o.Images {
		info, err := eng.InspectImage(ctx, im.Ref)
		if err != nil {
			return m, err
		}
		im.ID, im.Tags, im.Platform = info.ID, info.Tags, info.Platform
		m.Images = append(m.Images, im)
	}
	return m, nil
}

func relAll(dir string, paths []string) ([]string, error) {
	var out []string
	for _, p := range paths {
		rel, err := ProjectRel(dir, p, "file")
		if err != nil {
			return nil, err
		}
		out = append(out, rel)
	}
	return out, nil
}

// writeTo writes the archive to dst and returns its size; m gets the
// snapshots written.
func writeTo(ctx context.Context, eng ImageSaver, dst io.Writer, o SaveOptions, m *Manifest) (int64, error) {
	meter := o.Meter.start(0, len(m.Images))
	defer meter.Done()
	cw := &countingWriter{w: dst, meter: meter}
	w, err := NewWriter(cw, o.Compression)
	if err != nil {
		return 0, err
	}
	if err := writeImages(ctx, eng, w, m.Images, meter); err != nil {
		w.Abort()
		return 0, writeError(o.Out, err)
	}
	for _, src := range o.Files.Files {
		if err := w.AddFile(src); err != nil {
			w.Abort()
			return 0, writeError(o.Out, err)
		}
	}
	for _, name := range o.Snapshots {
		if err := addSnapshot(ctx, w, o.Snapshotter, m.Project, name); err != nil {
			w.Abort()
			return 0, writeError(o.Out, err)
		}
	}
	if err := w.Close(*m); err != nil {
		return 0, writeError(o.Out, err)
	}
	m.Snapshots = w.snapshots
	return cw.n, nil
}

// writeImages streams the engine's export of every image into w, counting
// an image done once its config (named by its ID) has passed.
func writeImages(ctx context.Context, eng ImageSaver, w *Writer, images []Image, meter Meter) error {
	refs := make([]string, len(images))
	pending := map[string]bool{}
	for i, im := range images {
		refs[i] = im.Ref
		pending[strings.TrimPrefix(im.ID, "sha256:")] = true
	}
	rc, err := eng.SaveImages(ctx, refs)
	if err != nil {
		return err
	}
	defer rc.Close()
	return w.AddImageExport(rc, func(name string) {
		id := strings.TrimSuffix(filepath.Base(name), ".json")
		if pending[id] {
			delete(pending, id)
			meter.ImageDone()
		}
	})
}

// countingWriter passes writes on and counts them, for the meter too.
type countingWriter struct {
	w     io.Writer
	meter Meter
	n     int64
}

func (c *countingWriter) Write(b []byte) (int, error) {
	n, err := c.w.Write(b)
	c.n += int64(n)
	c.meter.Write(b[:n])
	return n, err
}

// writeError names the archive being written; a full disk says so.
func writeError(out string, err error) error {
	if errors.Is(err, syscall.ENOSPC) {
		return fmt.Errorf("writing %s: no space left on its device (nothing kept): %w", ArchiveName(out, "standard output"), err)
	}
	return fmt.Errorf("writing %s (nothing kept): %w", ArchiveName(out, "standard output"), err)
}

// ArchiveName is how messages name an archive file: "-" is standard
// output for save, standard input for load.
func ArchiveName(file, std string) string {
	if file == "-" {
		return std
	}
	return file
}
