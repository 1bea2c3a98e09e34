// Package convert turns a compose service into what the Docker Engine API
// takes (container, host and networking config, networks, volumes, labels)
// and hashes the config for the plan. Pure: no client, no host file reads
// (the apply side passes those in); imports_test.go checks it.
package convert

import "errors"

var (
	// ErrInvalidConfig means a service's config cannot become a container
	// (the engine would refuse it); nothing is created.
	ErrInvalidConfig = errors.New("invalid service config")
	// ErrBadAddress means a fixed container address cannot be given on its network.
	ErrBadAddress = errors.New("invalid fixed address")
	// ErrNoContainer means a service has no (running) container.
	ErrNoContainer = errors.New("no container")
	// ErrPortInUse means a published host port is already bound.
	ErrPortInUse = errors.New("host port already in use")
)
