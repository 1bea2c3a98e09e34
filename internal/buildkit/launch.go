package buildkit

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"os"
	"strconv"

	"github.com/compose-spec/compose-go/v2/types"
	"github.com/docker/docker/api/types/versions"

	"github.com/devstack/devstack/internal/dockerapi"
	"github.com/devstack/devstack/internal/helperprog"
	"github.com/devstack/devstack/internal/progress"
)

// HelperName is the program that runs BuildKit builds for devstack.
const HelperName = "devstack-buildkit"

// Builder builds with the engine's BuildKit through the devstack-buildkit
// helper. It implements engine.BuildKit.
type Builder struct {
	// Context is the docker context devstack was told to use (--context);
	// the helper connects to the same engine.
	Context string
	// Helper is the helper's path; "" finds it (HelperPath).
	Helper string
}

// Enabled follows DOCKER_BUILDKIT when it is set; otherwise BuildKit is
// used when the engine has it (a Linux Docker engine speaking API 1.39 or
// later; not podman, whose compat API builds with buildah) and the helper
// is installed.
func (b Builder) Enabled(ctx context.Context, api dockerapi.SystemAPI) (bool, error) {
	if v := os.Getenv("DOCKER_BUILDKIT"); v != "" {
		on, err := strconv.ParseBool(v)
		if err != nil {
			return false, fmt.Errorf("DOCKER_BUILDKIT=%q: want 1 (BuildKit) or 0 (classic builder)", v)
		}
		return on, nil
	}
	sv, err := api.ServerVersion(ctx)
	if err != nil {
		return false, err
	}
	if dockerapi.IsPodman(sv) {
		return false, nil
	}
	if sv.Os != "linux" || versions.LessThan(api.ClientVersion(), "1.39") {
		return false, nil
	}
	_, err = b.helper()
	return err == nil, nil
}

// Build plans s's build and runs it in the helper.
func (b Builder) Build(ctx context.Context, p *types.Project, s types.ServiceConfig, labels map[string]string, out progress.Progress) error {
	plan, err := MakePlan(s, p.Secrets, p.Environment, labels)
	if err != nil {
		return err
	}
	path, err := b.helper()
	if err != nil {
		return fmt.Errorf("service %s: %w", s.Name, err)
	}
	req := Request{Version: WireVersion, Context: b.Context, Service: s.Name, Image: s.Image, Plan: plan}
	return runHelper(ctx, path, req, out)
}

func (b Builder) helper() (string, error) {
	if b.Helper != "" {
		return b.Helper, nil
	}
	return HelperPath()
}

// HelperPath finds devstack-buildkit: next to the running devstack (how
// make install and the release archives place it), else on PATH.
func HelperPath() (string, error) {
	if p, ok := helperprog.Find(HelperName); ok {
		return p, nil
	}
	return "", fmt.Errorf("%w next to devstack or on PATH: `make install` installs both; DOCKER_BUILDKIT=0 builds with the classic builder", ErrNoHelper)
}

// runHelper sends req to the helper at path and relays its events to out
// until its last line. Cancelling ctx interrupts the helper, which cancels
// the build on the engine.
func runHelper(ctx context.Context, path string, req Request, out progress.Progress) error {
	return helperprog.Run(ctx, path, req, func(r io.Reader) (error, error) {
		last, err := relay(r, out)
		if last != nil {
			return last.Err(), err
		}
		return nil, err
	})
}

// relay forwards the helper's events to out and returns its error reply.
func relay(r io.Reader, out progress.Progress) (*Reply, error) {
	dec := json.NewDecoder(r)
	for {
		var rep Reply
		if err := dec.Decode(&rep); errors.Is(err, io.EOF) {
			return nil, nil
		} else if err != nil {
			return nil, err
		}
		if rep.Error != "" {
			return &rep, nil
		}
		if rep.Event != nil && out != nil {
			out.Event(*rep.Event)
		}
	}
}
