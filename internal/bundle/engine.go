package bundle

import (
	"context"
	"io"
)

// ImageInfo is what Save records of an image and Load checks after the
// load.
type ImageInfo struct {
	ID       string
	Tags     []string
	Platform string
}

// ImageSaver is what Save asks of the engine: each image's ID, tags and
// platform, and one export of them all (the tar stream of an image save).
type ImageSaver interface {
	InspectImage(ctx context.Context, ref string) (ImageInfo, error)
	SaveImages(ctx context.Context, refs []string) (io.ReadCloser, error)
}

// ImageLoader is what Load asks of the engine: to load an export, and
// each image's ID afterwards.
type ImageLoader interface {
	LoadImages(ctx context.Context, export io.Reader) error
	InspectImage(ctx context.Context, ref string) (ImageInfo, error)
}

// Meter hears of a save's or a load's progress: the archive's bytes as
// they are written or read, and each image once it is through.
type Meter interface {
	io.Writer
	ImageDone()
	Done()
}

// StartMeter starts a Meter for an archive of total bytes (0 when not
// known) holding images images (0 when not known).
type StartMeter func(total int64, images int) Meter

type noMeter struct{}

func (noMeter) Write(p []byte) (int, error) { return len(p), nil }
func (noMeter) ImageDone()                  {}
func (noMeter) Done()                       {}

func (s StartMeter) start(total int64, images int) Meter {
	if s == nil {
		return noMeter{}
	}
	return s(total, images)
}
