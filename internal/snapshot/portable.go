package snapshot

import (
	"archive/tar"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"path"
	"strings"

	"github.com/klauspost/compress/zstd"

	"github.com/devstack/devstack/internal/bundle"
	"github.com/devstack/devstack/internal/snapshot/manifest"
	"github.com/devstack/devstack/internal/termsafe"
)

// A snapshot moves between engines as one .tar.zst (export, import, and
// as snapshots/NAME.tar.zst in a save bundle): manifest.json first, then one
// KEY.tar.zst a volume, each exactly the file of the store, so the
// manifest's size and sha256 check it on the way.

// ErrBadImport is an import refused: the file is not a snapshot export
// devstack would have written, or it is damaged.
var ErrBadImport = errors.New("not a valid snapshot export")

// expansionBudget is bundle's bound on what compressed bytes may expand
// to (a variable for tests).
var expansionBudget = bundle.ExpansionBudget

// maxVolumes bounds the volumes one imported snapshot may hold.
const maxVolumes = 256

// CheckImported refuses a manifest read from an export before anything
// of it reaches the engine: a bad name or key, a key twice, sizes that
// cannot be, a checksum that is not one, text that would not print safely.
func CheckImported(m manifest.Manifest) error {
	bad := func(format string, a ...any) error {
		return fmt.Errorf("%w: %s: %s", ErrBadImport, manifest.File, fmt.Sprintf(format, a...))
	}
	if err := CheckName(m.Name); err != nil {
		return bad("%v", err)
	}
	if len(m.Volumes) == 0 || len(m.Volumes) > maxVolumes {
		return bad("%d volumes (1 to %d)", len(m.Volumes), maxVolumes)
	}
	seen := map[string]bool{}
	for _, v := range m.Volumes {
		if err := CheckName(v.Key); err != nil {
			return bad("volume key: %v", err)
		}
		if seen[v.Key] {
			return bad("volume %s twice", v.Key)
		}
		seen[v.Key] = true
		switch {
		case v.Size <= 0:
			return bad("volume %s: size %d", v.Key, v.Size)
		case v.Content < 0 || v.Content > expansionBudget(v.Size):
			return bad("volume %s: %d bytes of content in %d compressed (a decompression bomb, or damage)", v.Key, v.Content, v.Size)
		case len(v.SHA256) != 64 || strings.ToLower(v.SHA256) != v.SHA256:
			return bad("volume %s: sha256 %q is not 64 hex digits", v.Key, termsafe.Name(v.SHA256))
		case termsafe.Name(v.Name) != v.Name:
			return bad("volume %s: name %q", v.Key, termsafe.Name(v.Name))
		}
		if _, err := hex.DecodeString(v.SHA256); err != nil {
			return bad("volume %s: sha256 %q is not 64 hex digits", v.Key, v.SHA256)
		}
	}
	for _, s := range append([]string{m.Branch, m.Project}, m.Services...) {
		if termsafe.Name(s) != s || len(s) > 256 {
			return bad("%q is no name", termsafe.Name(s))
		}
	}
	return nil
}

// checkVolumeArchive reads a volume's archive (KEY.tar.zst) as a restore
// would, and refuses what a restore must never meet: members outside the
// volume, hard links out of it, device files, more content than the
// manifest declares, expansion past the budget of its size.
func checkVolumeArchive(r io.Reader, v manifest.Volume) error {
	zr, err := zstd.NewReader(r, zstd.WithDecoderConcurrency(1), zstd.WithDecoderMaxMemory(1<<30))
	if err != nil {
		return err
	}
	defer zr.Close()
	lr := &io.LimitedReader{R: zr, N: expansionBudget(v.Size) + 1}
	tr := tar.NewReader(lr)
	var content int64
	for {
		h, err := tr.Next()
		if err == io.EOF {
			break
		}
		if err != nil {
			return tooLarge(lr, err)
		}
		if err := checkEntry(h); err != nil {
			return err
		}
		if h.Typeflag == tar.TypeReg {
			if content += h.Size; content > v.Content {
				return fmt.Errorf("its files hold more than the %d bytes the manifest says", v.Content)
			}
		}
	}
	if _, err := io.Copy(io.Discard, lr); err != nil {
		return tooLarge(lr, err)
	}
	if lr.N <= 0 {
		return tooLarge(lr, nil)
	}
	if content != v.Content {
		return fmt.Errorf("its files hold %d bytes, the manifest says %d", content, v.Content)
	}
	return nil
}

func tooLarge(lr *io.LimitedReader, err error) error {
	if lr.N <= 0 {
		return fmt.Errorf("it expands beyond what its size allows (a decompression bomb, or damage)")
	}
	return fmt.Errorf("damaged: %w", err)
}

// checkEntry refuses an entry a restore would not write where it should.
func checkEntry(h *tar.Header) error {
	name := strings.TrimSuffix(h.Name, "/")
	if name == "." {
		return nil
	}
	name = strings.TrimPrefix(name, "./")
	if why := bundle.RelProblem(name); why != "" {
		return fmt.Errorf("entry %q %s", termsafe.Name(h.Name), why)
	}
	switch h.Typeflag {
	case tar.TypeReg, tar.TypeDir, tar.TypeSymlink, tar.TypeFifo:
		return nil
	case tar.TypeLink:
		if why := bundle.RelProblem(strings.TrimPrefix(path.Clean(h.Linkname), "./")); why != "" {
			return fmt.Errorf("hard link %q -> %q: the target %s", termsafe.Name(h.Name), termsafe.Name(h.Linkname), why)
		}
		return nil
	case tar.TypeChar, tar.TypeBlock:
		return fmt.Errorf("entry %q is a device file: not imported", termsafe.Name(h.Name))
	}
	return fmt.Errorf("entry %q has tar type %q, which a snapshot does not hold", termsafe.Name(h.Name), h.Typeflag)
}
