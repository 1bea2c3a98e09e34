package inject

import (
	"bytes"
	"compress/gzip"
	"crypto/sha256"
	"embed"
	"encoding/hex"
	"fmt"
	"io"
	"strings"
)

// receivers holds the small static programs devstack puts into containers,
// built for linux/amd64 and linux/arm64 as receivers/PROGRAM-linux-ARCH.gz
// (make receivers, which make build runs first; go generate
// ./internal/watch/inject does the same): devstack-receiver, which watch
// installs, devstack-router, the local HTTPS router's program, and
// devstack-snapshot, which copies volumes to and from snapshots. A plain
// go build embeds only the README: watch then falls back to copying devstack
// itself, or to CopyToContainer; the router is then off, and says so.
//
//go:generate sh build-program.sh devstack-receiver amd64
//go:generate sh build-program.sh devstack-receiver arm64
//go:generate sh build-program.sh devstack-router amd64
//go:generate sh build-program.sh devstack-router arm64
//go:generate sh build-program.sh devstack-snapshot amd64
//go:generate sh build-program.sh devstack-snapshot arm64
//go:embed receivers
var receivers embed.FS

// embedded is the receiver built for platform (GOOS/GOARCH), if any,
// uncompressed.
func embedded(platform string) ([]byte, bool) {
	return Program("devstack-receiver", platform)
}

// Program is the embedded program (devstack-receiver, devstack-router,
// devstack-snapshot)
// built for platform (GOOS/GOARCH), if any, uncompressed.
func Program(name, platform string) ([]byte, bool) {
	gz, err := receivers.ReadFile("receivers/" + name + "-" + strings.ReplaceAll(platform, "/", "-") + ".gz")
	if err != nil {
		return nil, false
	}
	zr, err := gzip.NewReader(bytes.NewReader(gz))
	if err != nil {
		return nil, false
	}
	data, err := io.ReadAll(zr)
	return data, err == nil && len(data) > 0
}

// Platforms lists the platforms (GOOS/GOARCH) this devstack carries a
// receiver for, sorted; none in a build without make receivers.
func Platforms() []string {
	entries, _ := receivers.ReadDir("receivers")
	var out []string
	for _, e := range entries {
		if p, ok := strings.CutPrefix(e.Name(), "devstack-receiver-"); ok && strings.HasSuffix(p, ".gz") {
			if osName, arch, ok := strings.Cut(strings.TrimSuffix(p, ".gz"), "-"); ok {
				out = append(out, osName+"/"+arch)
			}
		}
	}
	return out
}

// Fingerprint names the build of the embedded program name, for every
// platform at once, without uncompressing it: each file's size and the
// CRC-32 and length of what it holds (its gzip trailer). "" when none is
// embedded.
func Fingerprint(name string) string {
	entries, _ := receivers.ReadDir("receivers")
	var b strings.Builder
	for _, e := range entries {
		if !strings.HasPrefix(e.Name(), name+"-") || !strings.HasSuffix(e.Name(), ".gz") {
			continue
		}
		gz, err := receivers.ReadFile("receivers/" + e.Name())
		if err != nil || len(gz) < 8 {
			continue
		}
		fmt.Fprintf(&b, "%x%x", len(gz), gz[len(gz)-8:])
	}
	if b.Len() == 0 {
		return ""
	}
	sum := sha256.Sum256([]byte(b.String()))
	return hex.EncodeToString(sum[:])[:12]
}
