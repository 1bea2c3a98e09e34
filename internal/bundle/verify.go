package bundle

import (
	"bytes"
	"cmp"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"io"

	"github.com/devstack/devstack/internal/termsafe"
)

// maxManifest bounds the manifest read into memory.
const maxManifest = 64 << 20

// Verify reads the whole archive once and checks it: tar structure, safe
// member names, the manifest (last member, format version first), and
// that the members are exactly the manifest's, each with its type, size
// and SHA-256. Nothing is written anywhere.
func Verify(r io.Reader) (Manifest, error) {
	var c checker
	err := walk(r, func(m Member, content io.Reader) error {
		if mine, err := c.take(m, content); !mine || err != nil {
			return err
		}
		sum, err := copySum(c.metaSink(m), m, content)
		c.add(m, sum)
		return err
	})
	if err != nil {
		return Manifest{}, err
	}
	return c.result()
}

// checker is what one pass over an archive finds out: the members with
// their checksums, the first bad one, and the manifest.
type checker struct {
	got   []Member
	raw   []byte
	first error                    // the first bad member: reported unless the format is too new
	meta  map[string]*bytes.Buffer // the export's tag files (metaSink)
}

// take sees a member first. It keeps the manifest, and notes a member
// that follows it or has an unsafe name; mine is true when the content is
// the caller's to read (and add).
func (c *checker) take(m Member, content io.Reader) (mine bool, err error) {
	switch {
	case c.raw != nil:
		c.first = cmp.Or(c.first, fmt.Errorf("%w: member %s follows the manifest", ErrCorrupt, termsafe.Name(m.Name)))
		return false, nil
	case m.Name == ManifestName:
		c.raw, err = io.ReadAll(io.LimitReader(content, maxManifest))
		return false, err
	}
	if err := CheckMember(m); err != nil {
		c.first = cmp.Or(c.first, err)
		return false, nil
	}
	return true, nil
}

// add records a member read in full, with the SHA-256 of a file's content.
func (c *checker) add(m Member, sum string) {
	m.SHA256 = sum
	c.got = append(c.got, m)
}

// result is the manifest once everything read matches it.
func (c *checker) result() (Manifest, error) {
	if c.raw == nil {
		return Manifest{}, fmt.Errorf("%w: no %s at the end: the archive is truncated or was not written by devstack save", ErrCorrupt, ManifestName)
	}
	m, err := DecodeManifest(c.raw)
	if err != nil {
		return m, err
	}
	if c.first != nil {
		return m, c.first
	}
	if err := sameMembers(m.Members, c.got); err != nil {
		return m, err
	}
	m.ExportTags, err = checkExportTags(m, c.meta)
	return m, err
}

// copySum copies a member's content to w and returns the SHA-256 of a
// file's (nothing for a directory or a link).
func copySum(w io.Writer, m Member, content io.Reader) (string, error) {
	if m.Type != TypeFile {
		return "", nil
	}
	sum := sha256.New()
	if _, err := io.Copy(io.MultiWriter(w, sum), content); err != nil {
		return "", err
	}
	return hex.EncodeToString(sum.Sum(nil)), nil
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
			return fmt.Errorf("%w: member %s is not in the manifest", ErrCorrupt, termsafe.Name(g.Name))
		}
		delete(byName, g.Name)
		if err := sameMember(w, g); err != nil {
			return err
		}
	}
	for _, w := range want {
		if _, missing := byName[w.Name]; missing {
			return fmt.Errorf("%w: member %s listed in the manifest is missing", ErrCorrupt, termsafe.Name(w.Name))
		}
	}
	return nil
}

func sameMember(w, g Member) error {
	name := termsafe.Name(g.Name)
	switch {
	case w.Type != g.Type || w.Link != g.Link || w.Mode != g.Mode:
		return fmt.Errorf("%w: member %s: type, mode or link differ from the manifest", ErrCorrupt, name)
	case w.Size != g.Size:
		return fmt.Errorf("%w: member %s: %d bytes, the manifest says %d", ErrChecksum, name, g.Size, w.Size)
	case w.SHA256 != g.SHA256:
		return fmt.Errorf("%w: member %s: SHA-256 %s, the manifest says %s", ErrChecksum, name, g.SHA256, w.SHA256)
	}
	return nil
}
