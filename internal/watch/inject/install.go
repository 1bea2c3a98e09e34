package inject

import (
	"archive/tar"
	"bytes"
	"context"
	"crypto/sha256"
	"debug/elf"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"os"
	"path"
	"runtime"
	"testing"
	"time"

	"github.com/docker/docker/api/types/container"

	"github.com/devstack/devstack/internal/watch/receiver"
)

// selfExe is the running executable even when its file was replaced since.
const selfExe = "/proc/self/exe"

// Binary is a receiver to install in containers.
type Binary struct {
	open     func() (io.ReadCloser, error)
	size     int64
	dest     string // its path in containers: receiver.Dir/receiver.PrefixHASH
	Embedded bool   // the devstack-receiver built into devstack, not devstack itself
}

// Find picks the receiver for the engine's containers: the devstack-receiver
// embedded for the engine's platform, else the running devstack when it is
// a static Linux binary of the engine's architecture. A Binary that is not
// Embedded, or an error wrapping ErrNotBuiltIn, means this devstack was
// built without its receivers (a plain go build rather than make build).
func Find(ctx context.Context, api Engine) (*Binary, error) {
	v, err := api.ServerVersion(ctx)
	if err != nil {
		return nil, err
	}
	platform, err := receiverPlatform(v.Os, v.Arch)
	if err != nil {
		return nil, err
	}
	if data, ok := embedded(platform); ok {
		return embeddedBinary(data), nil
	}
	self, err := selfBinary(platform)
	if err != nil {
		return nil, fmt.Errorf("%w for %s, and devstack itself cannot run there: %v", ErrNotBuiltIn, platform, err)
	}
	return self, nil
}

// receiverPlatform is the receiver an engine's containers need, as GOOS/GOARCH.
func receiverPlatform(osName, arch string) (string, error) {
	if osName != "linux" {
		return "", fmt.Errorf("%w: the engine runs %s containers", ErrPlatform, osName)
	}
	return osName + "/" + goArch(arch), nil
}

// goArch names an architecture as Go does: engines report uname's names
// (Info) or Go's (Version).
func goArch(arch string) string {
	switch arch {
	case "x86_64":
		return "amd64"
	case "aarch64":
		return "arm64"
	case "i386", "i686":
		return "386"
	}
	return arch
}

func embeddedBinary(data []byte) *Binary {
	sum := sha256.Sum256(data)
	return &Binary{
		open:     func() (io.ReadCloser, error) { return io.NopCloser(bytes.NewReader(data)), nil },
		size:     int64(len(data)),
		dest:     destPath(sum[:]),
		Embedded: true,
	}
}

func destPath(sum []byte) string {
	return path.Join(receiver.Dir, receiver.Prefix+hex.EncodeToString(sum)[:16])
}

// selfBinary is the running devstack as the receiver (its hidden `receive`
// command), when it can run in the platform's containers.
func selfBinary(platform string) (*Binary, error) {
	if testing.Testing() {
		return nil, errors.New("a test binary is not devstack")
	}
	if self := runtime.GOOS + "/" + runtime.GOARCH; self != platform {
		return nil, fmt.Errorf("it is a %s binary", self)
	}
	return describeBinary(selfExe)
}

// describeBinary refuses a dynamically linked executable (it needs a
// loader and libraries the container may lack) and names the static one
// by its hash.
func describeBinary(exe string) (*Binary, error) {
	f, err := os.Open(exe)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	ef, err := elf.NewFile(f)
	if err != nil {
		return nil, fmt.Errorf("%s: %w", exe, err)
	}
	for _, p := range ef.Progs {
		if p.Type == elf.PT_INTERP {
			return nil, fmt.Errorf("%s is dynamically linked (build it with CGO_ENABLED=0)", exe)
		}
	}
	if _, err := f.Seek(0, io.SeekStart); err != nil {
		return nil, err
	}
	h := sha256.New()
	n, err := io.Copy(h, f)
	if err != nil {
		return nil, err
	}
	open := func() (io.ReadCloser, error) { return os.Open(exe) }
	return &Binary{open: open, size: n, dest: destPath(h.Sum(nil))}, nil
}

// install copies the receiver into the container unless it is there
// already.
func install(ctx context.Context, api Engine, id string, bin *Binary) error {
	if st, err := api.ContainerStatPath(ctx, id, bin.dest); err == nil && st.Size == bin.size && st.Mode.IsRegular() {
		return nil
	}
	f, err := bin.open()
	if err != nil {
		return err
	}
	pr, pw := io.Pipe()
	go func() {
		defer f.Close()
		pw.CloseWithError(tarReceiver(pw, f, bin))
	}()
	err = api.CopyToContainer(ctx, id, "/", pr, container.CopyToContainerOptions{})
	pr.CloseWithError(io.ErrClosedPipe) // stops the writer if the engine gave up early
	return err
}

// tarReceiver is the tar stream that installs the receiver, root's, 0755.
func tarReceiver(w io.Writer, f io.Reader, bin *Binary) error {
	now := time.Now()
	tw := tar.NewWriter(w)
	dir := &tar.Header{Name: receiver.RelPath(receiver.Dir) + "/", Typeflag: tar.TypeDir, Mode: 0o755, ModTime: now}
	if err := tw.WriteHeader(dir); err != nil {
		return err
	}
	file := &tar.Header{Name: receiver.RelPath(bin.dest), Typeflag: tar.TypeReg, Mode: 0o755, Size: bin.size, ModTime: now}
	if err := tw.WriteHeader(file); err != nil {
		return err
	}
	if _, err := io.Copy(tw, f); err != nil {
		return err
	}
	return tw.Close()
}
