// Package plan decides what converging a project takes: from the desired
// project and the observed state (Observed, Container) it makes a Plan of
// actions, with their reasons, for the apply side to run. Pure: it does not
// talk to the engine; the caller observes and passes the state in.
package plan

import "errors"

var (
	// ErrExternalMissing means an external network or volume does not exist.
	ErrExternalMissing = errors.New("external resource not found")
	// ErrBadScale means a SERVICE=N argument of scale is malformed.
	ErrBadScale = errors.New("invalid scale")
)
