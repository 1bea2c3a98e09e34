package bundle

import (
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"

	"github.com/devstack/devstack/internal/termsafe"
)

// LoadOptions say where Load writes the project's files, and who hears
// of the progress of Load and Check.
type LoadOptions struct {
	// Dir is where the project's files go; empty: ./PROJECT.
	Dir   string
	Meter StartMeter
	// Snapshots is where an archive's snapshots go (save --snapshots):
	// refused when one of them exists there, before anything is loaded;
	// imported after the images and files.
	Snapshots SnapshotStore
}

// Archive is an archive opened for one read, by Load or Check.
type Archive struct {
	name  string // as messages name it
	r     io.Reader
	size  int64 // 0 for standard input
	close func()
}

// LoadError is a failed load or check of File: what went wrong, at which
// step, and what is left.
type LoadError struct {
	File string // as messages name it
	Step string // "loading" or "checking"
	Left string // "nothing loaded", or what the engine may have
	Err  error
}

func (e *LoadError) Error() string { return fmt.Sprintf("%s: %v (%s)", e.File, e.Err, e.Left) }
func (e *LoadError) Unwrap() error { return e.Err }

// Load reads the archive once (Unpack): the image export streams to the
// engine as it is read, which gets the export's end only once the
// manifest at the end and every checksum have matched; the project's
// files are written into the directory after that, refused over other
// files. So nothing is loaded from a damaged archive, and a load costs
// one read of it. Then every image must have the ID it was saved with. It
// returns the manifest and the directory.
func Load(ctx context.Context, eng ImageLoader, a *Archive, o LoadOptions) (Manifest, string, error) {
	decide := func(m Manifest) (string, error) {
		dir, err := TargetDir(m, o.Dir)
		if err != nil {
			return "", err
		}
		if err := Conflicts(m, dir); err != nil {
			return "", err
		}
		return dir, checkSnapshotClashes(ctx, o.Snapshots, m)
	}
	meter := o.Meter.start(a.size, 0)
	m, dir, err := unpack(a.reader(meter), decide, func(export io.Reader) error {
		return eng.LoadImages(ctx, export)
	}, func(m Manifest, member func(string) io.Reader) error {
		return importSnapshots(ctx, o.Snapshots, m, a.name, member)
	})
	meter.Done()
	if err != nil {
		return m, dir, loadFailed(a.name, "loading", err)
	}
	for _, im := range m.Images {
		info, err := eng.InspectImage(ctx, im.Ref)
		if err != nil || info.ID != im.ID {
			return m, dir, fmt.Errorf("%s: image %s is not the saved one after the load (want %s, have %s): %v", a.name, termsafe.Name(im.Ref), termsafe.Name(im.ID), info.ID, err)
		}
	}
	return m, dir, nil
}

// TargetDir is the directory Load writes the project's files into: dir
// when given, else ./PROJECT (the manifest's project name, checked by
// DecodeManifest, checked again here), made absolute.
func TargetDir(m Manifest, dir string) (string, error) {
	if dir != "" {
		return filepath.Abs(dir)
	}
	if err := (Manifest{Project: m.Project}).check(); err != nil {
		return "", err
	}
	wd, err := os.Getwd()
	if err != nil {
		return "", err
	}
	return filepath.Join(wd, m.Project), nil
}

// Check reads the archive once and checks everything in it (Verify),
// writing nothing.
func Check(a *Archive, o LoadOptions) (Manifest, error) {
	meter := o.Meter.start(a.size, 0)
	defer meter.Done()
	m, err := Verify(a.reader(meter))
	if err != nil {
		return m, loadFailed(a.name, "checking", err)
	}
	return m, nil
}

// loadFailed says what went wrong with file, and what is left: nothing,
// unless the engine had the whole image export.
func loadFailed(file, step string, err error) error {
	left := "nothing loaded"
	if errors.Is(err, ErrImagesLoaded) {
		left = "the engine had the whole image export, its images may be loaded; no project file written"
	}
	return &LoadError{File: file, Step: step, Left: left, Err: err}
}

// Open opens the archive file ("-": stdin) for one read that cancelling
// ctx ends, even a read blocked on a pipe (the file is closed under it).
func Open(ctx context.Context, file string, stdin io.Reader) (*Archive, error) {
	if file == "-" {
		a := &Archive{name: "standard input", r: ctxReader{ctx, stdin}, close: func() {}}
		if f, ok := stdin.(*os.File); ok {
			stop := context.AfterFunc(ctx, func() { f.Close() })
			a.close = func() { stop() }
		}
		return a, nil
	}
	f, err := os.Open(file)
	if err != nil {
		return nil, err
	}
	st, err := f.Stat()
	if err != nil {
		f.Close()
		return nil, err
	}
	stop := context.AfterFunc(ctx, func() { f.Close() })
	return &Archive{name: file, r: ctxReader{ctx, f}, size: st.Size(), close: func() { stop(); f.Close() }}, nil
}

// reader is the archive's content, metered, and of known size when read
// from a file (which bounds what it may expand to).
func (a *Archive) reader(meter Meter) io.Reader {
	r := io.TeeReader(a.r, meter)
	if a.size > 0 {
		return sized{r, a.size}
	}
	return r
}

// Close closes the archive file (never standard input).
func (a *Archive) Close() { a.close() }

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
