package ldm

import "errors"

var (
	// ErrCorrupt means the stream cannot be decoded: bad header, bad
	// record, a reference beyond the window, or truncated.
	ErrCorrupt = errors.New("damaged long-distance match stream")
	// ErrNewerVersion means the stream was written in a newer version of
	// the format.
	ErrNewerVersion = errors.New("long-distance match stream of a newer version")
)

// ErrTooLarge means a record would take the output over the reader's limit.
var ErrTooLarge = errors.New("long-distance match stream larger than allowed")
