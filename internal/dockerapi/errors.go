package dockerapi

import "errors"

var (
	// ErrDaemonUnreachable means the Docker engine did not answer.
	ErrDaemonUnreachable = errors.New("cannot reach the Docker engine")
	// ErrUnknownContext means a docker context name is not in docker's context store.
	ErrUnknownContext = errors.New("no docker context named")
	// ErrTLSMaterial means the TLS files of an engine endpoint are missing or unreadable.
	ErrTLSMaterial = errors.New("TLS material missing or unreadable")
)
