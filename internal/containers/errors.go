package containers

import (
	"errors"
	"fmt"
)

var (
	// ErrBadSignal means a signal name or number is not one the engine knows.
	ErrBadSignal = errors.New("unknown signal")
	// ErrNoPort means a container does not publish the asked port.
	ErrNoPort = errors.New("port not published")
	// ErrNoPath means a path to copy does not exist.
	ErrNoPath = errors.New("no such file or directory")
)

// NamedError is err from the engine about container name, saying which.
func NamedError(name string, err error) error {
	return fmt.Errorf("container %s: %w", name, err)
}
