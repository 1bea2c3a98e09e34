// Package kube takes a compose project to Kubernetes through the
// devstack-kube helper program: it finds the helper (next to devstack or
// on PATH), sends it the resolved project as JSON with the files the
// project names, and relays what it answers (progress events, the
// report, manifests, pods, log lines, the dashboard's changes).
//
// client-go and the Kubernetes API types initialise many packages at
// start-up and weigh tens of MiB: devstack keeps them in the helper, as it
// keeps BuildKit's client in devstack-buildkit, so that the commands that
// do not talk to Kubernetes start as fast as before. This package and
// package kube/wire import no Kubernetes package (a test checks it);
// kube/mapping and kube/worker, which do, are linked by the helper only.
package kube

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"

	"github.com/devstack/devstack/internal/helperprog"
	"github.com/devstack/devstack/internal/kube/wire"
	"github.com/devstack/devstack/internal/progress"
)

// HelperName is the program that talks to Kubernetes for devstack.
const HelperName = "devstack-kube"

// ErrNoHelper means devstack-kube is neither next to devstack nor on PATH.
var ErrNoHelper = errors.New("devstack-kube not found")

// HelperPath finds devstack-kube: next to the running devstack, else on PATH.
func HelperPath() (string, error) {
	if p, ok := helperprog.Find(HelperName); ok {
		return p, nil
	}
	return "", fmt.Errorf("%w next to devstack or on PATH: `make install` installs both", ErrNoHelper)
}

// Handlers receive the helper's answers; a nil one drops them.
type Handlers struct {
	Progress progress.Progress
	Note     func(wire.Note)
	Manifest func(wire.Manifest) error
	Pod      func(wire.Pod)
	Log      func(wire.LogLine)
	Change   func(wire.Change)
}

// Run sends req to the helper and hands each answer to h until the
// helper's last line. Cancelling ctx interrupts the helper.
func Run(ctx context.Context, req wire.Request, h Handlers) error {
	path, err := HelperPath()
	if err != nil {
		return err
	}
	req.Version = wire.Version
	return helperprog.Run(ctx, path, req, func(r io.Reader) (error, error) { return relay(r, h) })
}

// relay dispatches the helper's replies; it returns the error reply.
func relay(r io.Reader, h Handlers) (last, readErr error) {
	dec := json.NewDecoder(r)
	for {
		var rep wire.Reply
		if err := dec.Decode(&rep); errors.Is(err, io.EOF) {
			return nil, nil
		} else if err != nil {
			return nil, err
		}
		switch {
		case rep.Error != "":
			return rep.Err(), nil
		case rep.Event != nil && h.Progress != nil:
			h.Progress.Event(*rep.Event)
		case rep.Note != nil && h.Note != nil:
			h.Note(*rep.Note)
		case rep.Manifest != nil && h.Manifest != nil:
			if err := h.Manifest(*rep.Manifest); err != nil {
				return err, nil
			}
		case rep.Pod != nil && h.Pod != nil:
			h.Pod(*rep.Pod)
		case rep.Log != nil && h.Log != nil:
			h.Log(*rep.Log)
		case rep.Change != nil && h.Change != nil:
			h.Change(*rep.Change)
		}
	}
}
