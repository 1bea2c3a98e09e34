package bundle

import (
	"archive/tar"
	"cmp"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
)

// maxManifest bounds the manifest read into memory.
const maxManifest = 64 << 20

// Verify reads the whole archive once and checks it: tar structure, safe
// member names, the manifest (last member, format version first), and
// that the members are exactly the manifest's, each with its type, size
// and SHA-256. Nothing is written anywhere.
func Verify(r io.Reader) (Manifest, error) {
	var got []Member
	var raw []byte
	var first error // the first bad member: reported unless the format is too new
	err := walk(r, func(m Member, content io.Reader) error {
		switch {
		case raw != nil:
			first = cmp.Or(first, fmt.Errorf("%w: member %s follows the manifest", ErrCorrupt, m.Name))
			return nil
		case m.Name == ManifestName:
			b, err := io.ReadAll(io.LimitReader(content, maxManifest))
			raw = b
			return err
		}
		if err := CheckMember(m); err != nil {
			first = cmp.Or(first, err)
			return nil
		}
		if m.Type == TypeFile {
			sum := sha256.New()
			if _, err := io.Copy(sum, content); err != nil {
				return err
			}
			m.SHA256 = hex.EncodeToString(sum.Sum(nil))
		}
		got = append(got, m)
		return nil
	})
	if err != nil {
		return Manifest{}, err
	}
	if raw == nil {
		return Manifest{}, fmt.Errorf("%w: no %s at the end: the archive is truncated or was not written by devstack save", ErrCorrupt, ManifestName)
	}
	m, err := DecodeManifest(raw)
	if err != nil {
		return m, err
	}
	if first != nil {
		return m, first
	}
	return m, sameMembers(m.Members, got)
}

// sameMembers compares what the manifest lists with what the archive holds.
func sameMembers(want, got []Member) error {
	byName := map[string]Member{}
	for _, m := range want {
		byName[m.Name] = m
	}
	for _, g := range got {
		w, ok := byName[g.Name]
		if !ok {
			return fmt.Errorf("%w: member %s is not in the manifest", ErrCorrupt, g.Name)
		}
		delete(byName, g.Name)
		if err := sameMember(w, g); err != nil {
			return err
		}
	}
	for _, w := range want {
		if _, missing := byName[w.Name]; missing {
			return fmt.Errorf("%w: member %s listed in the manifest is missing", ErrCorrupt, w.Name)
		}
	}
	return nil
}

func sameMember(w, g Member) error {
	switch {
	case w.Type != g.Type || w.Link != g.Link || w.Mode != g.Mode:
		return fmt.Errorf("%w: member %s: type, mode or link differ from the manifest", ErrCorrupt, g.Name)
	case w.Size != g.Size:
		return fmt.Errorf("%w: member %s: %d bytes, the manifest says %d", ErrChecksum, g.Name, g.Size, w.Size)
	case w.SHA256 != g.SHA256:
		return fmt.Errorf("%w: member %s: SHA-256 %s, the manifest says %s", ErrChecksum, g.Name, g.SHA256, w.SHA256)
	}
	return nil
}

// walk decompresses and reads the tar stream, naming the member at which
// it fails.
func walk(r io.Reader, fn func(Member, io.Reader) error) error {
	dr, closeFn, err := decompressor(r)
	if err != nil {
		return err
	}
	defer closeFn()
	tr := tar.NewReader(dr)
	last := "the start"
	for {
		h, err := tr.Next()
		if err == io.EOF {
			return nil
		}
		if err != nil {
			if errors.Is(err, context.Canceled) {
				return err
			}
			return fmt.Errorf("%w: after %s: %v", ErrCorrupt, last, readErr(err))
		}
		m := Member{Name: trimDirSlash(h.Name), Mode: h.Mode, Link: h.Linkname}
		switch h.Typeflag {
		case tar.TypeReg:
			m.Type, m.Size = TypeFile, h.Size
		case tar.TypeDir:
			m.Type = TypeDir
		case tar.TypeSymlink:
			m.Type = TypeSymlink
		default:
			return fmt.Errorf("%w: member %s has unsupported tar type %q", ErrCorrupt, h.Name, h.Typeflag)
		}
		last = "member " + m.Name
		if err := fn(m, archiveReader{tr}); err != nil {
			var se streamError
			if errors.As(err, &se) && !errors.Is(err, context.Canceled) {
				return fmt.Errorf("%w: in member %s: %v", ErrCorrupt, m.Name, readErr(err))
			}
			return err
		}
	}
}

// archiveReader marks errors of reading the archive stream (truncation,
// damaged compression), so walk can tell them from the callback's own.
type archiveReader struct{ r io.Reader }

func (a archiveReader) Read(p []byte) (int, error) {
	n, err := a.r.Read(p)
	if err != nil && err != io.EOF {
		err = streamError{err}
	}
	return n, err
}

type streamError struct{ err error }

func (e streamError) Error() string { return e.err.Error() }
func (e streamError) Unwrap() error { return e.err }

func readErr(err error) string {
	if errors.Is(err, io.ErrUnexpectedEOF) {
		return "unexpected end of data (truncated?)"
	}
	return err.Error()
}
