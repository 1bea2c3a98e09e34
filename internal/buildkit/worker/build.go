// Package worker runs one BuildKit build through the engine, as the docker
// CLI 20.10 and buildx's docker driver do against the Engine API:
// ImageBuild with the BuildKit builder version and a session served over
// the engine's /session endpoint (build context and Dockerfile through
// filesync, registry credentials, build secrets, ssh forwarding). Progress
// comes back on the build's response stream as BuildKit status messages,
// reported as plain lines: step names and their output.
//
// It links BuildKit's session, gRPC and protobuf packages, so only the
// devstack-buildkit helper program imports it: devstack itself starts
// without paying for their initialisation (see package buildkit).
package worker

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"fmt"
	"io"
	"net"
	"os"
	"path/filepath"
	"strings"

	"github.com/docker/cli/cli/config/configfile"
	"github.com/docker/docker/api/types/build"
	"github.com/docker/docker/pkg/jsonmessage"
	"golang.org/x/sync/errgroup"

	"github.com/devstack/devstack/internal/apply"
	"github.com/devstack/devstack/internal/buildkit"
	"github.com/devstack/devstack/internal/dockerapi"
	"github.com/devstack/devstack/internal/progress"
)

// Build runs req, the BuildKit build of a service's image: it serves the
// session (context, Dockerfile, credentials from cfg when not nil,
// secrets, ssh) over the engine's /session endpoint and reports BuildKit's
// status to out as build steps and their output.
func Build(ctx context.Context, api dockerapi.API, req buildkit.Request, cfg *configfile.ConfigFile, out progress.Progress) error {
	plan, s := req.Plan, struct{ Name, Image string }{req.Service, req.Image}
	dockerfileDir, dockerfile, cleanup, err := dockerfileSource(plan)
	if err != nil {
		return fmt.Errorf("service %s: %w", s.Name, err)
	}
	defer cleanup()
	as, err := attachables(s.Name, plan, dockerfileDir, cfg)
	if err != nil {
		return err
	}
	sess, err := newSession(ctx, s.Image, as)
	if err != nil {
		return err
	}
	opts := plan.Options
	opts.SessionID = sess.ID()
	opts.BuildID = randomID()

	eg, ectx := errgroup.WithContext(ctx)
	eg.Go(func() error {
		return sess.Run(ectx, func(ctx context.Context, proto string, meta map[string][]string) (net.Conn, error) {
			return api.DialHijack(ctx, "/session", proto, meta)
		})
	})
	var buildErr error
	eg.Go(func() error {
		defer sess.Close()
		buildErr = run(ectx, api, opts, s.Image, out)
		return nil
	})
	if err := eg.Wait(); err != nil && buildErr == nil && ctx.Err() == nil {
		buildErr = fmt.Errorf("build session: %w", err)
	}
	if buildErr != nil {
		buildErr = explain(buildErr, dockerfile)
		if native := enginePlatform(ctx, api); opts.Platform != "" && native != "" && opts.Platform != native {
			buildErr = fmt.Errorf("%w\n(building for %s on a %s engine: its base images must come from a registry for that platform, and RUN steps need qemu emulation (binfmt) on the engine's host)", buildErr, opts.Platform, native)
		}
		return fmt.Errorf("service %s: %w", s.Name, buildErr)
	}
	return ctx.Err()
}

// dockerfileSource is where the session serves the Dockerfile from (a
// temporary directory for dockerfile_inline) and its text, for messages.
func dockerfileSource(p buildkit.Plan) (dir, text string, cleanup func(), err error) {
	cleanup = func() {}
	switch {
	case p.Inline != "":
		dir, err = os.MkdirTemp("", "devstack-dockerfile-")
		if err != nil {
			return "", "", cleanup, err
		}
		cleanup = func() { os.RemoveAll(dir) }
		err = os.WriteFile(filepath.Join(dir, "Dockerfile"), []byte(p.Inline), 0o644)
		return dir, p.Inline, cleanup, err
	case p.DockerfileDir != "":
		data, err := os.ReadFile(filepath.Join(p.DockerfileDir, p.Options.Dockerfile))
		if err != nil {
			return "", "", cleanup, fmt.Errorf("dockerfile: %w", err)
		}
		return p.DockerfileDir, string(data), cleanup, nil
	}
	return "", "", cleanup, nil
}

// run sends the build and follows its response stream: BuildKit's status
// as plain lines, the engine's errors. On cancellation it cancels the
// build on the engine too.
func run(ctx context.Context, api dockerapi.ImageAPI, opts build.ImageBuildOptions, image string, out progress.Progress) error {
	resp, err := api.ImageBuild(ctx, nil, opts)
	if err != nil {
		return err
	}
	defer resp.Body.Close()
	stop := context.AfterFunc(ctx, func() { _ = api.BuildCancel(context.WithoutCancel(ctx), opts.BuildID) })
	defer stop()
	view := newPlainView()
	emit := func(l line) {
		st := progress.BuildStep
		if l.output {
			st = progress.BuildOutput
		}
		out.Event(progress.Event{Kind: progress.KindBuild, Name: image, Status: st, Detail: l.text})
	}
	err = follow(resp.Body, view, emit)
	if err == nil {
		return nil
	}
	if name, serr, tail, ok := view.Failure(); ok {
		msg := fmt.Sprintf("%s: %s", name, serr)
		if len(tail) > 0 {
			msg += "\n  " + strings.Join(tail, "\n  ")
		}
		return fmt.Errorf("%w: %s", buildkit.ErrStepFailed, msg)
	}
	return err
}

// follow reads the build's JSON message stream until its end or an error.
func follow(r io.Reader, view *plainView, emit func(line)) error {
	return apply.ReadMessages(r, func(m jsonmessage.JSONMessage) error {
		switch {
		case m.ID == traceID && m.Aux != nil:
			st, err := decodeTrace(*m.Aux)
			if err != nil {
				return nil // a message this version does not understand
			}
			for _, l := range view.Lines(st) {
				emit(l)
			}
		case m.Stream != "":
			for _, l := range strings.Split(strings.TrimRight(m.Stream, "\n"), "\n") {
				emit(line{text: l})
			}
		}
		return nil
	})
}

// explain adds what a user can do to errors whose cause the Dockerfile
// shows: a `# syntax=` frontend that could not be pulled, heredocs the
// engine's built-in frontend cannot read.
func explain(err error, dockerfile string) error {
	msg := err.Error()
	if img := buildkit.SyntaxLine(dockerfile); img != "" && strings.Contains(msg, img) {
		return fmt.Errorf("%w\n(the Dockerfile's `# syntax=%s` line makes BuildKit pull that frontend image from its registry; without a registry, remove the line to use the engine's built-in frontend)", err, img)
	}
	if buildkit.SyntaxLine(dockerfile) == "" && buildkit.HasHeredoc(dockerfile) {
		return fmt.Errorf("%w\n(heredocs (<<EOF) need Dockerfile frontend 1.4 or later, newer than the one built into this engine: add `# syntax=docker/dockerfile:1.4`, which is pulled from a registry, or write the lines out)", err)
	}
	return err
}

// enginePlatform is the engine's os/arch ("" when it does not say).
func enginePlatform(ctx context.Context, api dockerapi.SystemAPI) string {
	sv, err := api.ServerVersion(ctx)
	if err != nil || sv.Os == "" {
		return ""
	}
	return sv.Os + "/" + sv.Arch
}

func randomID() string {
	b := make([]byte, 16)
	_, _ = rand.Read(b)
	return hex.EncodeToString(b)
}
