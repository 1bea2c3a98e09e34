package receiver

import (
	"archive/tar"
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
)

// The receiver is installed in containers as receiverDir/receive-HASH,
// HASH naming the devstack build, so a container that has it already gets
// no second copy, and a newer devstack does not run an older receiver.
const (
	receiverDir    = "/.devstack"
	receiverPrefix = "receive-"
)

// selfExe is the running executable even when its file was replaced since.
const selfExe = "/proc/self/exe"

// Binary is the running devstack executable, which is also the
// receiver to install in containers.
type Binary struct {
	host string // where to read it
	size int64
	dest string // its path in containers
}

// Find checks that the running devstack can run in the engine's
// containers: a static Linux binary of the engine's architecture.
func Find(ctx context.Context, api Engine) (*Binary, error) {
	if testing.Testing() {
		return nil, errors.New("a test binary is not devstack")
	}
	if runtime.GOOS != "linux" {
		return nil, fmt.Errorf("devstack runs on %s, containers on linux", runtime.GOOS)
	}
	v, err := api.ServerVersion(ctx)
	if err != nil {
		return nil, err
	}
	if v.Os != "linux" || goArch(v.Arch) != runtime.GOARCH {
		return nil, fmt.Errorf("the engine runs %s/%s, devstack is linux/%s", v.Os, v.Arch, runtime.GOARCH)
	}
	return describeBinary(selfExe)
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
	name := receiverPrefix + hex.EncodeToString(h.Sum(nil))[:16]
	return &Binary{host: exe, size: n, dest: path.Join(receiverDir, name)}, nil
}

// install copies the receiver into the container unless it is
// there already.
func install(ctx context.Context, api Engine, id string, bin *Binary) error {
	if st, err := api.ContainerStatPath(ctx, id, bin.dest); err == nil && st.Size == bin.size && st.Mode.IsRegular() {
		return nil
	}
	f, err := os.Open(bin.host)
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
	dir := &tar.Header{Name: RelPath(receiverDir) + "/", Typeflag: tar.TypeDir, Mode: 0o755, ModTime: now}
	if err := tw.WriteHeader(dir); err != nil {
		return err
	}
	file := &tar.Header{Name: RelPath(bin.dest), Typeflag: tar.TypeReg, Mode: 0o755, Size: bin.size, ModTime: now}
	if err := tw.WriteHeader(file); err != nil {
		return err
	}
	if _, err := io.Copy(tw, f); err != nil {
		return err
	}
	return tw.Close()
}
