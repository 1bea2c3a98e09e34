package bundle

import (
	"bytes"
	"cmp"
	"fmt"
	"io"
	"os"

	"github.com/docker/go-units"

	"github.com/devstack/devstack/internal/diskspace"
	"github.com/devstack/devstack/internal/termsafe"
)

// spoolMemory is how much of the project's files a load keeps in memory
// until the archive is known to be sound; the rest waits in a temporary
// file.
const spoolMemory = 32 << 20

// spool keeps the project's members, read before the manifest at the end
// of the archive has been checked, until they may be written.
type spool struct {
	limit int64 // in memory; spoolMemory when 0
	mem   []byte
	file  *os.File
	size  int64 // of file
	items []spooled
	free  func() (int64, error) // free space where the temporary file goes; statfs of $TMPDIR when nil
}

type spooled struct {
	m      Member
	off    int64
	inFile bool
}

// add keeps one member and returns the SHA-256 of a file's content.
func (s *spool) add(m Member, content io.Reader) (string, error) {
	it := spooled{m: m}
	var w io.Writer
	switch {
	case m.Type != TypeFile:
	case int64(len(s.mem))+m.Size <= cmp.Or(s.limit, spoolMemory):
		it.off = int64(len(s.mem))
		w = (*memTail)(&s.mem)
	default:
		if err := s.room(m); err != nil {
			return "", err
		}
		if s.file == nil {
			f, err := os.CreateTemp("", "devstack-load-*")
			if err != nil {
				return "", fmt.Errorf("keeping the project's files until the archive is checked: %w", err)
			}
			s.file = f
		}
		it.off, it.inFile, w = s.size, true, s.file
	}
	sum, err := copySum(w, m, content) // a tar member's content is exactly its size
	if err != nil {
		return "", err
	}
	if it.inFile {
		s.size += m.Size
	}
	s.items = append(s.items, it)
	return sum, nil
}

// room refuses a member that does not fit in the free space of the
// temporary directory, before any of it is written there.
func (s *spool) room(m Member) error {
	free := s.free
	if free == nil {
		free = func() (int64, error) {
			n, _, err := diskspace.Of(os.TempDir())
			return int64(n), err
		}
	}
	n, err := free()
	if err == nil && n < m.Size {
		return fmt.Errorf("keeping the project's files until the archive is checked: member %s needs %s in %s (the temporary directory, $TMPDIR), which has %s free",
			termsafe.Name(m.Name), units.BytesSize(float64(m.Size)), os.TempDir(), units.BytesSize(float64(n)))
	}
	return nil
}

// content is a kept file's content.
func (s *spool) content(it spooled) io.Reader {
	if it.inFile {
		return io.NewSectionReader(s.file, it.off, it.m.Size)
	}
	return bytes.NewReader(s.mem[it.off : it.off+it.m.Size])
}

// close removes the temporary file.
func (s *spool) close() {
	if s.file != nil {
		s.file.Close()
		os.Remove(s.file.Name())
	}
}

// memTail appends to a byte slice.
type memTail []byte

func (t *memTail) Write(p []byte) (int, error) {
	*t = append(*t, p...)
	return len(p), nil
}
