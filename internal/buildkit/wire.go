package buildkit

import (
	"errors"

	"github.com/devstack/devstack/internal/progress"
)

// WireVersion numbers the protocol between devstack and its BuildKit
// helper; a helper from another devstack build refuses a request of
// another version instead of misreading it.
const WireVersion = 1

// Request is one build the helper runs, read as JSON from its stdin: the
// plan made by MakePlan, the service and image it builds, and the docker
// context devstack talks to ("" = as the docker CLI picks it).
type Request struct {
	Version int
	Context string
	Service string
	Image   string
	Plan    Plan
}

// Reply is one JSON line of the helper's stdout: a progress event, or,
// last, the build's error with the sentinel it wraps.
type Reply struct {
	Event *progress.Event `json:",omitempty"`
	Error string          `json:",omitempty"`
	Kind  string          `json:",omitempty"`
}

// kinds names the sentinels an error reply carries across the process
// boundary.
var kinds = map[string]error{
	"unsupported": ErrUnsupported,
	"secret":      ErrSecret,
	"ssh":         ErrSSH,
	"step":        ErrStepFailed,
	"version":     ErrHelperVersion,
}

// ErrorReply is err as the helper's last line. Pure.
func ErrorReply(err error) Reply {
	r := Reply{Error: err.Error()}
	for k, sentinel := range kinds {
		if errors.Is(err, sentinel) {
			r.Kind = k
		}
	}
	return r
}

// Err is the error an error reply stands for: its text, wrapping the
// sentinel it named. Pure.
func (r Reply) Err() error {
	return &helperError{msg: r.Error, sentinel: kinds[r.Kind]}
}

type helperError struct {
	msg      string
	sentinel error
}

func (e *helperError) Error() string { return e.msg }
func (e *helperError) Unwrap() error { return e.sentinel }
