package stack

import "errors"

var (
	// ErrNoImage means a service has neither image: nor build: to name one.
	ErrNoImage = errors.New("no image")
	// ErrInvalid means a key's value cannot be expressed on a swarm.
	ErrInvalid = errors.New("invalid for swarm")
	// ErrCycle means depends_on forms a cycle.
	ErrCycle = errors.New("dependency cycle")
	// ErrSource means a secret's or config's content could not be read.
	ErrSource = errors.New("cannot read")
)
