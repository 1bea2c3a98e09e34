// Package buildkit plans BuildKit builds and has them run: MakePlan turns
// a service's compose build section into the engine's build options and
// what the build session serves (pure); Builder sends that plan to the
// devstack-buildkit helper program, which serves the session and reports
// progress back as typed events (package buildkit/worker does the work).
//
// The BuildKit session packages link gRPC, protobuf and OpenTelemetry;
// initialising them costs every process several milliseconds and MiBs, so
// devstack keeps them in the helper (as docker keeps buildx in a plugin)
// and starts fast for the commands that build nothing.
package buildkit

import "errors"

var (
	// ErrUnsupported means a build key this engine's BuildKit cannot honour.
	ErrUnsupported = errors.New("not supported by the engine's BuildKit")
	// ErrSecret means a build secret cannot be provided.
	ErrSecret = errors.New("build secret unavailable")
	// ErrSSH means an ssh forwarding cannot be set up.
	ErrSSH = errors.New("build ssh unavailable")
	// ErrStepFailed means a build step failed.
	ErrStepFailed = errors.New("build step failed")
)

var (
	// ErrNoHelper means the devstack-buildkit program, which runs BuildKit
	// builds, is neither next to devstack nor on PATH.
	ErrNoHelper = errors.New("devstack-buildkit not found")
	// ErrHelperVersion means devstack-buildkit comes from another devstack
	// build and speaks another protocol version.
	ErrHelperVersion = errors.New("devstack-buildkit is from another devstack build")
)
