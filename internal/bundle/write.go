package bundle

import (
	"archive/tar"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"os"
	"time"
)

// Writer streams an archive: the image export, then the project's files,
// then the manifest, which carries every member's SHA-256 and so can only
// come last.
type Writer struct {
	cw        io.WriteCloser
	tw        *tar.Writer
	members   []Member
	snapshots []Snapshot
	names     map[string]bool
}

// NewWriter writes an archive of compression c to w.
func NewWriter(w io.Writer, c Compression) (*Writer, error) {
	cw, err := compressor(w, c)
	if err != nil {
		return nil, err
	}
	return &Writer{cw: cw, tw: tar.NewWriter(cw), names: map[string]bool{}}, nil
}

// AddImageExport copies the members of the engine's image export (the tar
// stream of ImageSave) into the archive under images/, one member each,
// so every layer gets its own checksum and nothing is buffered. member is
// called after each one with its name inside the export.
func (w *Writer) AddImageExport(export io.Reader, member func(name string)) error {
	tr := tar.NewReader(export)
	for {
		h, err := tr.Next()
		if err == io.EOF {
			return nil
		}
		if err != nil {
			return fmt.Errorf("reading the engine's image export: %w", err)
		}
		m := Member{Name: ImagesPrefix + trimDirSlash(h.Name), Mode: h.Mode}
		switch h.Typeflag {
		case tar.TypeReg:
			m.Type, m.Size = TypeFile, h.Size
		case tar.TypeDir:
			m.Type = TypeDir
		case tar.TypeSymlink:
			m.Type, m.Link = TypeSymlink, h.Linkname
		default:
			return fmt.Errorf("image export member %s: unexpected tar type %q", h.Name, h.Typeflag)
		}
		if err := w.add(m, h.ModTime, tr); err != nil {
			return err
		}
		if member != nil {
			member(h.Name)
		}
	}
}

// AddFile adds a project file under project/.
func (w *Writer) AddFile(src Source) error {
	f, err := os.Open(src.Abs)
	if err != nil {
		return err
	}
	defer f.Close()
	st, err := f.Stat()
	if err != nil {
		return err
	}
	m := Member{Name: ProjectPrefix + src.Rel, Type: TypeFile, Size: st.Size(), Mode: int64(st.Mode().Perm())}
	if err := w.add(m, st.ModTime(), f); err != nil {
		return fmt.Errorf("%s: %w", src.Abs, err)
	}
	return nil
}

// AddSnapshot adds a snapshot export (size bytes of content) as
// snapshots/NAME.tar.zst, and it to the manifest Close writes.
func (w *Writer) AddSnapshot(s Snapshot, mod time.Time, content io.Reader) error {
	m := Member{Name: s.Member(), Type: TypeFile, Size: s.Size, Mode: 0o644}
	if err := w.add(m, mod, content); err != nil {
		return fmt.Errorf("snapshot %s: %w", s.Name, err)
	}
	s.SHA256 = w.members[len(w.members)-1].SHA256
	w.snapshots = append(w.snapshots, s)
	return nil
}

// add writes one member and records its checksum.
func (w *Writer) add(m Member, mod time.Time, content io.Reader) error {
	if err := CheckMember(m); err != nil {
		return err
	}
	if w.names[m.Name] {
		return fmt.Errorf("%w: %s twice", ErrCorrupt, m.Name)
	}
	w.names[m.Name] = true
	h := &tar.Header{Name: m.Name, Mode: m.Mode, Size: m.Size, ModTime: mod, Linkname: m.Link}
	switch m.Type {
	case TypeFile:
		h.Typeflag = tar.TypeReg
	case TypeDir:
		h.Typeflag, h.Name = tar.TypeDir, m.Name+"/"
	case TypeSymlink:
		h.Typeflag = tar.TypeSymlink
	}
	if err := w.tw.WriteHeader(h); err != nil {
		return err
	}
	if m.Type == TypeFile {
		sum := sha256.New()
		n, err := io.Copy(w.tw, io.TeeReader(io.LimitReader(content, m.Size), sum))
		if err == nil && n < m.Size {
			err = fmt.Errorf("%s: %w after %d of %d bytes", m.Name, io.ErrUnexpectedEOF, n, m.Size)
		}
		if err != nil {
			return err
		}
		m.SHA256 = hex.EncodeToString(sum.Sum(nil))
	}
	w.members = append(w.members, m)
	return nil
}

// Close writes the manifest, with the members and snapshots written so
// far, as the last member and flushes the compression. It does not close
// the underlying writer. An archive without snapshots is of format 2,
// which older devstacks read.
func (w *Writer) Close(m Manifest) error {
	if len(w.snapshots) == 0 {
		return w.close(m, formatNoSnapshots)
	}
	return w.close(m, FormatVersion)
}

func (w *Writer) close(m Manifest, format int) error {
	m.Format = format
	m.Members, m.Snapshots = w.members, w.snapshots
	b, err := m.Encode()
	if err != nil {
		return err
	}
	h := &tar.Header{Name: ManifestName, Typeflag: tar.TypeReg, Mode: 0o644, Size: int64(len(b)), ModTime: time.Now()}
	if err := w.tw.WriteHeader(h); err != nil {
		return err
	}
	if _, err := w.tw.Write(b); err != nil {
		return err
	}
	return errors.Join(w.tw.Close(), w.cw.Close())
}

// Abort releases the compressor after a failed write.
func (w *Writer) Abort() { _ = w.cw.Close() }

func trimDirSlash(name string) string {
	for len(name) > 1 && name[len(name)-1] == '/' {
		name = name[:len(name)-1]
	}
	return name
}
