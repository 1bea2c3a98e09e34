package apply

import (
	"crypto/rand"
	"encoding/hex"

	"github.com/devstack/devstack/internal/convert"
)

// RunOptions mirror `devstack run` flags: the one-off service's
// (convert.RunOptions), and how it gets its image and dependencies.
type RunOptions struct {
	convert.RunOptions
	NoDeps bool
	ImageOptions
}

// NewSlug is a one-off container's random ID (64 hex digits, as compose's).
func NewSlug() string {
	b := make([]byte, 32)
	_, _ = rand.Read(b)
	return hex.EncodeToString(b)
}
