// Package bundle is the archive format of `devstack save` and `devstack
// load`: one tar stream (optionally zstd- or gzip-compressed, or zstd over
// the long-distance match layer of package ldm) holding a
// project's images as the engine exports them, its files, and a manifest
// with a SHA-256 of every member, written last. Writing is streamed; a
// reader verifies the whole archive in one pass before anything is used.
package bundle

import "errors"

var (
	// ErrCorrupt means the archive cannot be read: truncated, damaged
	// compression or tar structure, or no manifest.
	ErrCorrupt = errors.New("damaged archive")
	// ErrChecksum means a member's content does not match its SHA-256 in the manifest.
	ErrChecksum = errors.New("checksum mismatch")
	// ErrNewerFormat means the archive was written by a newer devstack.
	ErrNewerFormat = errors.New("archive format too new")
	// ErrUnsafePath means a member's name would land outside its directory.
	ErrUnsafePath = errors.New("unsafe path in archive")
	// ErrInvalidName means a name in the manifest is not one devstack
	// would have written (a project name compose would refuse).
	ErrInvalidName = errors.New("invalid name in archive")
	// ErrUndeclaredTag means the image export tags an image with a name
	// the manifest does not declare: loading it would retag a local image.
	ErrUndeclaredTag = errors.New("image export carries tags the manifest does not declare")
	// ErrOutsideProject means a file the project needs lies outside its directory.
	ErrOutsideProject = errors.New("file outside the project directory")
	// ErrImagesLoaded marks a load that failed after the engine had the
	// whole image export: the images are, or may soon be, on the engine;
	// no project file was written.
	ErrImagesLoaded = errors.New("the engine had the whole image export")
	// ErrConflict means loading would overwrite a different existing file.
	ErrConflict = errors.New("file exists with other content")
)

// ErrTooLarge means the archive expands beyond what its size allows: a
// decompression bomb, or damage.
var ErrTooLarge = errors.New("archive expands beyond what its size allows")
