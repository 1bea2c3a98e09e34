package feed

import "errors"

// ErrGone means a container no longer exists.
var ErrGone = errors.New("container is gone")
