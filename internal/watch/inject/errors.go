package inject

import "errors"

var (
	// ErrNotBuiltIn: this devstack carries no receiver for the engine's
	// platform (built without make build) and cannot be one itself.
	ErrNotBuiltIn = errors.New("no devstack-receiver built into this devstack")
	// ErrPlatform: the engine's containers are not Linux ones.
	ErrPlatform = errors.New("no receiver for this engine")
)
