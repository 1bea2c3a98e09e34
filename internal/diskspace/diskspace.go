// Package diskspace says how much room a file system has: load's spool
// checks it before writing to $TMPDIR, doctor reports it.
package diskspace

import "errors"

// ErrUnknown: this system does not say how much room a file system has.
var ErrUnknown = errors.New("free space not known on this system")
