package inject

import (
	"bytes"
	"compress/gzip"
	"embed"
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
