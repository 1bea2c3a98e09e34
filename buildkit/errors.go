// Package buildkit builds images with the engine's own BuildKit, as the
// docker CLI 20.10 and buildx's docker driver do against the Engine API:
// ImageBuild with the BuildKit builder version and a session served over
// the engine's /session endpoint (build context and Dockerfile through
// filesync, registry credentials, build secrets, ssh forwarding). Progress
// comes back on the build's response stream as BuildKit status messages,
// shown as plain lines: step names and their output.
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
