package receiver

import (
	"crypto/sha256"
	"encoding/binary"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
)

// Stat is one entry of a listed tree: what catching up compares (size and
// modification time first, a content hash where they differ).
type Stat struct {
	Rel   string      // slash path below the listed directory
	Mode  fs.FileMode // type and permissions
	Size  int64
	MTime int64  // modification time, Unix nanoseconds
	Link  string // a symlink's target
}

// Sum is the SHA-256 of one file's content; OK is false when the path is
// not a regular file (missing, a directory, a symlink: never followed).
type Sum struct {
	OK  bool
	Sum [sha256.Size]byte
}

// maxListed bounds a listing: more entries than this is a protocol error
// rather than unbounded memory.
const maxListed = 1 << 20

// List lists the tree below dir (a slash path below r; "" or "/" for the
// root) without following symlinks or descending into other mounts (a
// volume below it is left out whole); the directory itself is not
// listed. A missing dir lists as empty.
func List(r *os.Root, dir string) ([]Stat, error) {
	base := RelPath(dir)
	if base == "" {
		base = "."
	}
	var out []Stat
	var dev uint64
	if fi, err := r.Lstat(base); err == nil {
		dev, _ = devOf(fi)
	}
	err := fs.WalkDir(r.FS(), base, func(p string, d fs.DirEntry, err error) error {
		if err != nil {
			if p == base && errors.Is(err, fs.ErrNotExist) {
				return fs.SkipAll
			}
			if errors.Is(err, fs.ErrNotExist) {
				return nil // gone meanwhile
			}
			return err
		}
		if p == base {
			if !d.IsDir() {
				return fs.SkipAll // not a directory: nothing below it
			}
			return nil
		}
		if strings.HasPrefix(d.Name(), TmpPrefix) {
			return nil
		}
		info, err := d.Info()
		if err != nil {
			return nil // gone meanwhile
		}
		if d.IsDir() {
			if dv, ok := devOf(info); ok && dv != dev {
				return fs.SkipDir // another mount (a volume): not the tree's to list, nor to delete
			}
		}
		st := Stat{Rel: relBelow(base, p), Mode: info.Mode(), Size: info.Size(), MTime: info.ModTime().UnixNano()}
		if info.Mode()&fs.ModeSymlink != 0 {
			st.Link, _ = r.Readlink(p)
		}
		if len(out) >= maxListed {
			return fmt.Errorf("more than %d entries below %s", maxListed, dir)
		}
		out = append(out, st)
		return nil
	})
	return out, err
}

func relBelow(base, p string) string {
	if base == "." {
		return p
	}
	return strings.TrimPrefix(p, base+"/")
}

// Hash hashes the regular files at the container paths, never following a
// symlink.
func Hash(r *os.Root, paths []string) []Sum {
	out := make([]Sum, len(paths))
	for i, p := range paths {
		out[i] = hashOne(r, RelPath(p))
	}
	return out
}

func hashOne(r *os.Root, rel string) Sum {
	f, err := openRegular(r, rel)
	if err != nil {
		return Sum{}
	}
	defer f.Close()
	h := sha256.New()
	if _, err := io.Copy(h, f); err != nil {
		return Sum{}
	}
	var s Sum
	s.OK = true
	h.Sum(s.Sum[:0])
	return s
}

// openRegular opens rel when it is a regular file (not a symlink), and
// checks that what it opened is what it looked at.
func openRegular(r *os.Root, rel string) (*os.File, error) {
	if rel == "" {
		return nil, fs.ErrInvalid
	}
	fi, err := r.Lstat(rel)
	if err != nil {
		return nil, err
	}
	if !fi.Mode().IsRegular() {
		return nil, fmt.Errorf("%s: not a regular file", rel)
	}
	f, err := r.Open(rel)
	if err != nil {
		return nil, err
	}
	if ofi, err := f.Stat(); err != nil || !os.SameFile(fi, ofi) {
		f.Close()
		return nil, fmt.Errorf("%s: replaced while opened", rel)
	}
	return f, nil
}

// appendStats encodes a listing: per entry the mode, size and time, then
// the path and the link target, each with its length.
func appendStats(b []byte, stats []Stat) []byte {
	for _, s := range stats {
		b = binary.AppendUvarint(b, uint64(s.Mode))
		b = binary.AppendVarint(b, s.Size)
		b = binary.AppendVarint(b, s.MTime)
		b = binary.AppendUvarint(b, uint64(len(s.Rel)))
		b = append(b, s.Rel...)
		b = binary.AppendUvarint(b, uint64(len(s.Link)))
		b = append(b, s.Link...)
	}
	return b
}

var errDecode = fmt.Errorf("%w: malformed listing", ErrProtocol)

// decodeStats reads what appendStats wrote.
func decodeStats(b []byte) ([]Stat, error) {
	var out []Stat
	for len(b) > 0 {
		if len(out) >= maxListed {
			return nil, errDecode
		}
		var s Stat
		var ok bool
		var mode uint64
		if mode, b, ok = uvarint(b); !ok || mode > 0xffffffff {
			return nil, errDecode
		}
		s.Mode = fs.FileMode(mode)
		if s.Size, b, ok = varint(b); !ok {
			return nil, errDecode
		}
		if s.MTime, b, ok = varint(b); !ok {
			return nil, errDecode
		}
		if s.Rel, b, ok = str(b); !ok {
			return nil, errDecode
		}
		if s.Link, b, ok = str(b); !ok {
			return nil, errDecode
		}
		out = append(out, s)
	}
	return out, nil
}

func uvarint(b []byte) (uint64, []byte, bool) {
	v, n := binary.Uvarint(b)
	if n <= 0 {
		return 0, b, false
	}
	return v, b[n:], true
}

func varint(b []byte) (int64, []byte, bool) {
	v, n := binary.Varint(b)
	if n <= 0 {
		return 0, b, false
	}
	return v, b[n:], true
}

func str(b []byte) (string, []byte, bool) {
	n, b, ok := uvarint(b)
	if !ok || n > uint64(len(b)) {
		return "", b, false
	}
	return string(b[:n]), b[n:], true
}

// appendSums encodes hashes: a byte 1 and the sum, or a byte 0, per path.
func appendSums(b []byte, sums []Sum) []byte {
	for _, s := range sums {
		if !s.OK {
			b = append(b, 0)
			continue
		}
		b = append(b, 1)
		b = append(b, s.Sum[:]...)
	}
	return b
}

func decodeSums(b []byte, n int) ([]Sum, error) {
	out := make([]Sum, 0, n)
	for len(b) > 0 && len(out) < n {
		switch {
		case b[0] == 0:
			out, b = append(out, Sum{}), b[1:]
		case b[0] == 1 && len(b) > sha256.Size:
			var s Sum
			s.OK = true
			copy(s.Sum[:], b[1:])
			out, b = append(out, s), b[1+sha256.Size:]
		default:
			return nil, fmt.Errorf("%w: malformed sums", ErrProtocol)
		}
	}
	if len(out) != n || len(b) != 0 {
		return nil, fmt.Errorf("%w: %d sums for %d paths", ErrProtocol, len(out), n)
	}
	return out, nil
}

// HashFile is Hash's sum of a host file (catching up compares the two).
func HashFile(name string) Sum {
	r, err := os.OpenRoot(filepath.Dir(name))
	if err != nil {
		return Sum{}
	}
	defer r.Close()
	return hashOne(r, filepath.Base(name))
}
