// Package compose loads compose projects (files, .env, env_files, profiles,
// include/extends) with compose-go and selects services with their
// dependencies.
package compose

import "errors"

var (
	// ErrNoConfig means no compose file was given and none was found.
	ErrNoConfig = errors.New("no compose file found")
	// ErrUnknownService means a service named on the command line is not in the project.
	ErrUnknownService = errors.New("no such service")
	// ErrCycle means depends_on forms a cycle.
	ErrCycle = errors.New("dependency cycle")
	// ErrInvalid means the compose model failed to load or validate.
	ErrInvalid = errors.New("invalid compose project")
)
