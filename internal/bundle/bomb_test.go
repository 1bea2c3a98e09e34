package bundle

import (
	"archive/tar"
	"bytes"
	"encoding/binary"
	"errors"
	"io"
	"strings"
	"testing"

	"github.com/klauspost/compress/zstd"
)

// bombArchive is a zstd-long archive of a few hundred bytes whose one
// member claims claim bytes: the tar header and one byte as literals, the
// rest as one long-distance match one byte back.
func bombArchive(t testing.TB, claim int64) []byte {
	t.Helper()
	var hdr bytes.Buffer
	tw := tar.NewWriter(&hdr)
	tw.WriteHeader(&tar.Header{Name: "images/bomb", Typeflag: tar.TypeReg, Mode: 0o644, Size: claim})
	tw.Flush()
	lits := append(hdr.Bytes(), 'x')
	stream := []byte("dsldm\x00\x01\x1a")
	stream = binary.AppendUvarint(stream, uint64(len(lits)))
	stream = binary.AppendUvarint(stream, uint64(claim-1))
	stream = binary.AppendUvarint(stream, 1)
	stream = append(stream, lits...)
	stream = append(stream, 0, 0)
	var out bytes.Buffer
	z, _ := zstd.NewWriter(&out)
	z.Write(stream)
	z.Close()
	return out.Bytes()
}

// counter is an engine's load that counts what it is sent.
type counter struct{ n int64 }

func (c *counter) load(r io.Reader) error {
	n, err := io.Copy(io.Discard, r)
	c.n += n
	return err
}

// A few hundred bytes claiming 3 GiB: refused at once when the archive's
// size is known (a file), and after at most the budget's bytes when it is
// not (standard input), saying what the bound is.
func TestDecompressionBomb(t *testing.T) {
	bomb := bombArchive(t, 3<<30)
	var c counter
	_, _, err := Unpack(sized{bytes.NewReader(bomb), int64(len(bomb))}, decideDir(t.TempDir(), nil), c.load)
	if !errors.Is(err, ErrTooLarge) || !strings.Contains(err.Error(), "1000 times") || c.n > 1<<20 {
		t.Errorf("archive of known size: %v, %d bytes sent to the engine", err, c.n)
	}
	c = counter{}
	_, _, err = Unpack(bytes.NewReader(bomb), decideDir(t.TempDir(), nil), c.load)
	if !errors.Is(err, ErrTooLarge) || !strings.Contains(err.Error(), "1000 times") || c.n > minBudget+2<<20 {
		t.Errorf("archive from a pipe: %v, %d bytes sent to the engine", err, c.n)
	}
	if _, err := Verify(bytes.NewReader(bomb)); !errors.Is(err, ErrTooLarge) {
		t.Errorf("Verify: %v", err)
	}
}

// The end of a compressed stream is checked: a gzip archive without its
// trailer is truncated, and a zstd stream zstd finds damaged is reported
// as that, not as a damaged long-distance match stream.
func TestCompressedEnd(t *testing.T) {
	gz := writeArchive(t, Gzip, FormatVersion)
	if _, err := Verify(bytes.NewReader(gz[:len(gz)-8])); !errors.Is(err, ErrCorrupt) || !strings.Contains(err.Error(), "truncated") {
		t.Errorf("gzip without its trailer: %v", err)
	}
	for _, c := range []Compression{Zstd, ZstdLong} {
		archive := writeArchive(t, c, FormatVersion)
		for at := range archive {
			damaged := bytes.Clone(archive)
			damaged[at] ^= 0x20
			if !bytes.HasPrefix(damaged, zstdMagic) {
				continue // not zstd any more
			}
			d, _ := zstd.NewReader(bytes.NewReader(damaged))
			_, zerr := io.ReadAll(d)
			d.Close()
			if zerr == nil {
				continue
			}
			_, err := Verify(bytes.NewReader(damaged))
			if !errors.Is(err, ErrCorrupt) || !strings.Contains(err.Error(), "damaged zstd stream") || strings.Contains(err.Error(), "long-distance") {
				t.Fatalf("%s, byte %d flipped (zstd: %v): %v", c, at, zerr, err)
			}
		}
	}
}
