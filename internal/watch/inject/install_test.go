package inject

import (
	"context"
	"errors"
	"os"
	"strings"
	"testing"

	"github.com/docker/docker/api/types"

	"github.com/devstack/devstack/internal/watch/receiver"
)

func TestDescribeBinary(t *testing.T) {
	if _, err := os.Stat("/bin/busybox"); err == nil {
		bin, err := describeBinary("/bin/busybox")
		if err != nil {
			t.Errorf("static busybox: %v", err)
		} else if fi, _ := os.Stat("/bin/busybox"); bin.size != fi.Size() || !strings.HasPrefix(bin.dest, receiver.Dir+"/"+receiver.Prefix) || bin.Embedded {
			t.Errorf("busybox: %+v", bin)
		}
	}
	if _, err := os.Stat("/bin/sh"); err == nil {
		if _, err := describeBinary("/bin/sh"); err == nil || !strings.Contains(err.Error(), "dynamically linked") {
			t.Errorf("/bin/sh: %v, want dynamically linked", err)
		}
	}
}

// TestReceiverPlatform: the engine's reported OS and architecture (Go's
// names from /version, uname's from /info) pick the receiver.
func TestReceiverPlatform(t *testing.T) {
	for _, c := range []struct {
		os, arch, want string
		err            error
	}{
		{"linux", "amd64", "linux/amd64", nil},
		{"linux", "x86_64", "linux/amd64", nil},
		{"linux", "arm64", "linux/arm64", nil},
		{"linux", "aarch64", "linux/arm64", nil},
		{"linux", "s390x", "linux/s390x", nil},
		{"linux", "i686", "linux/386", nil},
		{"windows", "amd64", "", ErrPlatform},
	} {
		got, err := receiverPlatform(c.os, c.arch)
		if got != c.want || !errors.Is(err, c.err) || (c.err == nil) != (err == nil) {
			t.Errorf("%s/%s: %q, %v; want %q, %v", c.os, c.arch, got, err, c.want, c.err)
		}
	}
}

// TestEmbeddedBinary: a receiver's install path names its content, so a
// changed receiver (a newer devstack's) gets a new path and is installed
// beside the old one, which the new one prunes when it starts.
func TestEmbeddedBinary(t *testing.T) {
	a, b := embeddedBinary([]byte("receiver 1")), embeddedBinary([]byte("receiver 2"))
	if a.dest == b.dest || !strings.HasPrefix(a.dest, "/.devstack/receive-") || len(a.dest) != len("/.devstack/receive-")+16 {
		t.Errorf("install paths %q and %q", a.dest, b.dest)
	}
	if again := embeddedBinary([]byte("receiver 1")); again.dest != a.dest || again.size != 10 || !again.Embedded {
		t.Errorf("same content: %+v, want %+v", again, a)
	}
}

// versionOnly is an Engine that only answers ServerVersion.
type versionOnly struct {
	Engine
	os, arch string
}

func (v versionOnly) ServerVersion(context.Context) (types.Version, error) {
	return types.Version{Os: v.os, Arch: v.arch}, nil
}

// TestFind: the receiver embedded for the engine's reported platform is
// picked (make receivers, or e2e's build, embeds them; a plain go test
// build has none and says so); other platforms have none, and a test
// binary is never its own receiver.
func TestFind(t *testing.T) {
	ctx := context.Background()
	for _, arch := range []string{"amd64", "x86_64", "arm64", "aarch64"} {
		bin, err := Find(ctx, versionOnly{os: "linux", arch: arch})
		data, ok := embedded("linux/" + goArch(arch))
		switch {
		case !ok && !errors.Is(err, ErrNotBuiltIn):
			t.Errorf("linux/%s, nothing embedded: %v, want ErrNotBuiltIn", arch, err)
		case ok && (err != nil || !bin.Embedded || bin.dest != embeddedBinary(data).dest):
			t.Errorf("linux/%s: %+v, %v; want the embedded %s", arch, bin, err, embeddedBinary(data).dest)
		}
	}
	if _, err := Find(ctx, versionOnly{os: "linux", arch: "s390x"}); !errors.Is(err, ErrNotBuiltIn) {
		t.Errorf("linux/s390x: %v, want ErrNotBuiltIn", err)
	}
	if _, err := Find(ctx, versionOnly{os: "windows", arch: "amd64"}); !errors.Is(err, ErrPlatform) {
		t.Errorf("windows: %v, want ErrPlatform", err)
	}
}
