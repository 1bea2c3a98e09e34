// Package apply converges a compose project on a Docker engine: it observes
// what exists, asks internal/plan (pure) what to do and applies that plan
// through the Engine API: up, down, recreate and rollback, adoption, the
// waits, images (pull, push, build) and the host-side checks.
package apply

import "errors"

var (
	// ErrEngineGone means the engine stopped answering in the middle of a
	// command (dockerd stopped or restarted).
	ErrEngineGone = errors.New("the Docker engine went away")
	// ErrImageUnavailable means an image is missing and could not be pulled.
	ErrImageUnavailable = errors.New("image not available")
	// ErrUnauthorized means a registry refused the credentials (or their absence).
	ErrUnauthorized = errors.New("unauthorized")
	// ErrBuildFailed means an image build failed.
	ErrBuildFailed = errors.New("image build failed")
	// ErrDependencyFailed means a depends_on condition can never be met.
	ErrDependencyFailed = errors.New("dependency failed")
	// ErrHealthNeverRan means a container has a healthcheck but the engine
	// reported no probe result within the healthcheck's own schedule.
	ErrHealthNeverRan = errors.New("healthcheck never ran")
	// ErrMountSource means a bind mount's or file secret's host path is missing.
	ErrMountSource = errors.New("mount source missing")
)

var (
	// ErrNoRegistry means an image to push names no registry host.
	ErrNoRegistry = errors.New("image names no registry")
)
