package cli

import (
	"context"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"strings"

	"github.com/compose-spec/compose-go/v2/loader"
	"github.com/compose-spec/compose-go/v2/types"
	"github.com/docker/docker/client"

	"github.com/devstack/devstack/internal/apply"
	"github.com/devstack/devstack/internal/buildkit"
	"github.com/devstack/devstack/internal/compose"
	"github.com/devstack/devstack/internal/dockerapi"
	"github.com/devstack/devstack/internal/presets"
	"github.com/devstack/devstack/internal/progress"
)

// load reads the project and narrows it to the named services; names that
// are not services of the compose file but presets are added from the
// catalogue, and said so in one line.
func (g *globals) load(ctx context.Context, names []string) (full, selected *types.Project, err error) {
	r, err := g.resolve(ctx, names)
	return r.Full, r.Selected, err
}

// resolve is load with the names of the presets added.
func (g *globals) resolve(ctx context.Context, names []string) (compose.Resolved, error) {
	r, err := compose.Resolve(ctx, g.Options, names)
	if err == nil && len(r.Added) > 0 {
		fmt.Fprintf(g.stderr, "Presets %s added from the catalogue (devstack presets show NAME)\n", strings.Join(r.Added, ", "))
	}
	return r, err
}

// projectName is the project a command that only acts on existing
// containers (ps, logs, exec, start, stop, restart) works on: -p or
// COMPOSE_PROJECT_NAME when set (they win over the files' name: anyway),
// which spares loading the compose file.
func (g *globals) projectName(ctx context.Context) (string, error) {
	if name := g.ProjectName; name != "" {
		return loader.NormalizeProjectName(name), nil
	}
	if name := os.Getenv("COMPOSE_PROJECT_NAME"); name != "" && g.WorkingDir == "" {
		return loader.NormalizeProjectName(name), nil
	}
	name, _, err := g.target(ctx)
	return name, err
}

// target names the project a command acts on and, when a compose file was
// found, its services. Commands that only act on existing containers work
// without a compose file when -p or COMPOSE_PROJECT_NAME names the project.
func (g *globals) target(ctx context.Context) (name string, known []string, err error) {
	p, err := compose.Load(ctx, g.Options)
	if err == nil {
		known = append(p.ServiceNames(), p.DisabledServiceNames()...)
		return p.Name, known, nil
	}
	if !errors.Is(err, compose.ErrNoConfig) {
		return "", nil, err
	}
	name = g.ProjectName
	if name == "" {
		name = os.Getenv("COMPOSE_PROJECT_NAME")
	}
	if name == "" {
		dir := g.WorkingDir
		if dir == "" {
			dir, _ = os.Getwd()
		}
		name = filepath.Base(dir)
	}
	return loader.NormalizeProjectName(name), nil, nil
}

// attach resolves the project a command on existing containers acts on,
// checks the named services and connects to the engine. The caller closes api.
func (g *globals) attach(ctx context.Context, services []string) (name string, api *client.Client, err error) {
	if name, err = g.projectName(ctx); err != nil {
		return "", nil, err
	}
	if err := g.checkServices(ctx, services); err != nil {
		return "", nil, err
	}
	api, err = g.client(ctx)
	return name, api, err
}

// onProject runs fn with an engine client and the name of the project
// already on the engine, for the commands that act on its containers. A
// verb says fn changes the project: it then holds the project's lock
// (cli/lock.go) while it runs; read-only commands pass "" and never wait.
func (g *globals) onProject(ctx context.Context, services []string, verb string, fn func(ctx context.Context, api dockerapi.API, project string) error) error {
	name, api, err := g.attach(ctx, services)
	if err != nil {
		return err
	}
	defer api.Close()
	if verb != "" {
		unlock, err := g.lock(ctx, name, verb)
		if err != nil {
			return err
		}
		defer unlock()
	}
	err = fn(ctx, api, name)
	if routeVerbs[verb] {
		routerRefresh(ctx, g, api, name) // even after an error: some containers may have changed
	}
	return err
}

// checkServices refuses names that are neither services of the compose
// file (when there is one) nor presets, naming the project's services.
func (g *globals) checkServices(ctx context.Context, names []string) error {
	if len(names) == 0 {
		return nil
	}
	p, err := compose.Load(ctx, g.Options)
	if err != nil {
		return nil // no compose file here: the engine's containers are all we know
	}
	var unknown []string
	for _, n := range names {
		if _, ok := p.Services[n]; !ok && !slices.Contains(presets.Names(), n) {
			unknown = append(unknown, n)
		}
	}
	if len(unknown) > 0 {
		return compose.UnknownServiceError(p, unknown)
	}
	return nil
}

func (g *globals) client(ctx context.Context) (*client.Client, error) {
	c, _, err := dockerapi.Connect(ctx, g.context)
	return c, err
}

// images adds what pulls and builds need besides the engine: docker's
// registry credentials and BuildKit.
func (g *globals) images(o apply.ImageOptions) apply.ImageOptions {
	o.Auth = g.auth
	o.BuildKit = buildkit.Builder{Context: g.context}
	return o
}

func (g *globals) printer() progress.Progress { return newLineProgress(g.stderr) }
