package inject

import (
	"bytes"
	"compress/gzip"
	"embed"
	"io"
	"strings"
)

// receivers holds devstack-receiver built for linux/amd64 and linux/arm64
// as receivers/devstack-receiver-linux-ARCH.gz (make receivers, which make
// build runs first; go generate ./watch/inject does the same). A plain go
// build embeds only the README: watch then falls back to copying devstack
// itself, or to CopyToContainer.
//
//go:generate sh build-receiver.sh amd64
//go:generate sh build-receiver.sh arm64
//go:embed receivers
var receivers embed.FS

// embedded is the receiver built for platform (GOOS/GOARCH), if any,
// uncompressed.
func embedded(platform string) ([]byte, bool) {
	gz, err := receivers.ReadFile("receivers/devstack-receiver-" + strings.ReplaceAll(platform, "/", "-") + ".gz")
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
