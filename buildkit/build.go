package buildkit

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net"
	"os"
	"path/filepath"
	"strconv"
	"strings"

	"github.com/compose-spec/compose-go/v2/types"
	"github.com/docker/cli/cli/config/configfile"
	"github.com/docker/docker/api/types/build"
	"github.com/docker/docker/api/types/versions"
	"github.com/docker/docker/pkg/jsonmessage"
	"golang.org/x/sync/errgroup"

	"github.com/devstack/devstack/engine"
)

// Credentials gives the session's auth provider docker's configuration
// (registryauth.Store).
type Credentials interface {
	ConfigFile() (*configfile.ConfigFile, error)
}

// Builder builds with the engine's BuildKit. It implements engine.BuildKit.
type Builder struct {
	Auth Credentials // nil: no registry credentials
}

// Enabled follows DOCKER_BUILDKIT when it is set; otherwise BuildKit is
// used when the engine has it: a Linux Docker engine speaking API 1.39 or
// later (not podman, whose compat API builds with buildah).
func (b Builder) Enabled(ctx context.Context, api engine.API) (bool, error) {
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
	for _, c := range sv.Components {
		if strings.Contains(strings.ToLower(c.Name), "podman") {
			return false, nil
		}
	}
	return sv.Os == "linux" && !versions.LessThan(api.ClientVersion(), "1.39"), nil
}

// Build builds the service's image. labels are the image's labels.
func (b Builder) Build(ctx context.Context, api engine.API, p *types.Project, s types.ServiceConfig, labels map[string]string, out engine.Progress) error {
	plan, err := MakePlan(s, p.Secrets, p.Environment, labels)
	if err != nil {
		return err
	}
	var cfg *configfile.ConfigFile
	if b.Auth != nil {
		if cfg, err = b.Auth.ConfigFile(); err != nil {
			return err
		}
	}
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
func dockerfileSource(p Plan) (dir, text string, cleanup func(), err error) {
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
func run(ctx context.Context, api engine.API, opts build.ImageBuildOptions, image string, out engine.Progress) error {
	resp, err := api.ImageBuild(ctx, nil, opts)
	if err != nil {
		return err
	}
	defer resp.Body.Close()
	stop := context.AfterFunc(ctx, func() { _ = api.BuildCancel(context.WithoutCancel(ctx), opts.BuildID) })
	defer stop()
	view := newPlainView()
	emit := func(l line) {
		st := engine.BuildStep
		if l.output {
			st = engine.BuildOutput
		}
		out.Event(engine.Event{Kind: engine.KindBuild, Name: image, Status: st, Detail: l.text})
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
		return fmt.Errorf("%w: %s", ErrStepFailed, msg)
	}
	return err
}

// follow reads the build's JSON message stream until its end or an error.
func follow(r io.Reader, view *plainView, emit func(line)) error {
	dec := json.NewDecoder(r)
	for {
		var m jsonmessage.JSONMessage
		if err := dec.Decode(&m); errors.Is(err, io.EOF) {
			return nil
		} else if err != nil {
			return err
		}
		if m.Error != nil {
			return m.Error
		}
		switch {
		case m.ID == traceID && m.Aux != nil:
			st, err := decodeTrace(*m.Aux)
			if err != nil {
				continue // a message this version does not understand
			}
			for _, l := range view.Lines(st) {
				emit(l)
			}
		case m.Stream != "":
			for _, l := range strings.Split(strings.TrimRight(m.Stream, "\n"), "\n") {
				emit(line{text: l})
			}
		}
	}
}

// explain adds what a user can do to errors whose cause the Dockerfile
// shows: a `# syntax=` frontend that could not be pulled, heredocs the
// engine's built-in frontend cannot read.
func explain(err error, dockerfile string) error {
	msg := err.Error()
	if img := syntaxLine(dockerfile); img != "" && strings.Contains(msg, img) {
		return fmt.Errorf("%w\n(the Dockerfile's `# syntax=%s` line makes BuildKit pull that frontend image from its registry; without a registry, remove the line to use the engine's built-in frontend)", err, img)
	}
	if syntaxLine(dockerfile) == "" && hasHeredoc(dockerfile) {
		return fmt.Errorf("%w\n(heredocs (<<EOF) need Dockerfile frontend 1.4 or later, newer than the one built into this engine: add `# syntax=docker/dockerfile:1.4`, which is pulled from a registry, or write the lines out)", err)
	}
	return err
}

// enginePlatform is the engine's os/arch ("" when it does not say).
func enginePlatform(ctx context.Context, api engine.API) string {
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
