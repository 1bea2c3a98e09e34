package cli

import (
	"context"
	"fmt"
	"os"
	"strings"

	"github.com/compose-spec/compose-go/v2/types"
	"github.com/spf13/cobra"

	"github.com/devstack/devstack/internal/engine"
)

type buildFlags struct {
	noCache, pull, push, quiet, withDeps bool
	args                                 []string
	progress                             string
}

func newBuildCmd(g *globals) *cobra.Command {
	var f buildFlags
	cmd := &cobra.Command{
		Use:   "build [SERVICE...]",
		Short: "Build the services' images (the build step up uses), independent ones at the same time",
		RunE: func(cmd *cobra.Command, args []string) error {
			return runBuild(cmd.Context(), g, f, args)
		},
	}
	fl := cmd.Flags()
	fl.BoolVar(&f.noCache, "no-cache", false, "do not use the build cache")
	fl.BoolVar(&f.pull, "pull", false, "always try to pull newer versions of the base images")
	fl.StringArrayVar(&f.args, "build-arg", nil, "KEY=VALUE (or KEY, from the environment) over the build section's args (repeatable)")
	fl.BoolVar(&f.push, "push", false, "push the images after building them")
	fl.BoolVarP(&f.quiet, "quiet", "q", false, "print nothing but errors")
	fl.StringVar(&f.progress, "progress", "auto", "progress output: auto, tty, plain or quiet")
	fl.BoolVar(&f.withDeps, "with-dependencies", false, "also build the images of the services they depend on")
	return cmd
}

func runBuild(ctx context.Context, g *globals, f buildFlags, services []string) error {
	out, err := g.progressFor(f.quiet, f.progress)
	if err != nil {
		return err
	}
	p, err := g.narrow(ctx, services, f.withDeps)
	if err != nil {
		return err
	}
	args, err := parseBuildArgs(f.args)
	if err != nil {
		return err
	}
	engine.DefaultImageNames(p)
	targets := engine.BuildTargets(p, nil)
	var pushes []types.ServiceConfig
	if f.push {
		if pushes, err = engine.PushTargets(p, nil); err != nil {
			return err // refused before anything is built
		}
	}
	api, err := g.client(ctx)
	if err != nil {
		return err
	}
	defer api.Close()
	o := g.images(engine.ImageOptions{NoCache: f.noCache, PullBase: f.pull, BuildArgs: args})
	if err := engine.BuildServices(ctx, api, p, targets, o, out); err != nil {
		return err
	}
	if !f.push {
		return nil
	}
	return engine.Push(ctx, api, pushes, engine.PushOptions{Auth: g.auth}, out)
}

// narrow loads the project and keeps the named services (all when none
// named), with their dependencies when deps is set.
func (g *globals) narrow(ctx context.Context, services []string, deps bool) (*types.Project, error) {
	_, p, err := g.load(ctx, services)
	if err != nil || len(services) == 0 || deps {
		return p, err
	}
	return p.WithSelectedServices(services, types.IgnoreDependencies)
}

// progressFor is the progress renderer of -q and --progress.
func (g *globals) progressFor(quiet bool, progress string) (engine.Progress, error) {
	switch progress {
	case "auto", "tty", "plain", "":
	case "quiet":
		quiet = true
	default:
		return nil, fmt.Errorf("invalid --progress %q: auto, tty, plain or quiet", progress)
	}
	if quiet {
		return warningsOnly{g.printer()}, nil
	}
	return g.printer(), nil
}

// warningsOnly is -q's progress: warnings (a failure ignored on request) and nothing else.
type warningsOnly struct{ next engine.Progress }

func (w warningsOnly) Event(e engine.Event) {
	if e.Kind == engine.KindWarning {
		w.next.Event(e)
	}
}

// parseBuildArgs reads --build-arg KEY=VALUE; a bare KEY takes its value
// from the environment and is left out when unset, as docker compose does.
func parseBuildArgs(list []string) (map[string]*string, error) {
	out := map[string]*string{}
	for _, a := range list {
		k, v, ok := strings.Cut(a, "=")
		if k == "" {
			return nil, fmt.Errorf("invalid --build-arg %q: KEY=VALUE or KEY", a)
		}
		if !ok {
			env, set := os.LookupEnv(k)
			if !set {
				continue
			}
			v = env
		}
		out[k] = &v
	}
	return out, nil
}

func newPullCmd(g *globals) *cobra.Command {
	var policy string
	cmd := newRegistryCmd(g, "pull", "Pull the services' images, all at the same time (the pull step up uses)",
		func(p *types.Project, ignoreFailures bool) (registryCall, error) {
			return func(ctx context.Context, api engine.API, out engine.Progress) error {
				o := engine.PullOptions{Policy: policy, IgnoreFailures: ignoreFailures, Auth: g.auth}
				return engine.Pull(ctx, api, p, o, out)
			}, nil
		})
	cmd.Flags().StringVar(&policy, "policy", "", "missing: only the images not present; always (default): all")
	return cmd
}

func newPushCmd(g *globals) *cobra.Command {
	return newRegistryCmd(g, "push", "Push the images of the services that build and name an image, with docker login's credentials",
		func(p *types.Project, ignoreFailures bool) (registryCall, error) {
			targets, err := engine.PushTargets(p, nil) // refused before the engine is reached
			if err != nil {
				return nil, err
			}
			return func(ctx context.Context, api engine.API, out engine.Progress) error {
				o := engine.PushOptions{IgnoreFailures: ignoreFailures, Auth: g.auth}
				return engine.Push(ctx, api, targets, o, out)
			}, nil
		})
}

// registryCall is the engine call of pull or push.
type registryCall func(ctx context.Context, api engine.API, out engine.Progress) error

// newRegistryCmd is what pull and push share: VERB [SERVICE...], the
// services narrowed (--include-deps adds what they depend on), -q and
// --ignore-VERB-failures. plan sees the project before the engine is
// reached and returns the call to make with a client and -q's progress.
func newRegistryCmd(g *globals, verb, short string, plan func(p *types.Project, ignoreFailures bool) (registryCall, error)) *cobra.Command {
	var ignoreFailures, deps, quiet bool
	cmd := &cobra.Command{
		Use:   verb + " [SERVICE...]",
		Short: short,
		RunE: func(cmd *cobra.Command, args []string) error {
			ctx := cmd.Context()
			p, err := g.narrow(ctx, args, deps)
			if err != nil {
				return err
			}
			call, err := plan(p, ignoreFailures)
			if err != nil {
				return err
			}
			api, err := g.client(ctx)
			if err != nil {
				return err
			}
			defer api.Close()
			out, _ := g.progressFor(quiet, "")
			return call(ctx, api, out)
		},
	}
	fl := cmd.Flags()
	fl.BoolVar(&ignoreFailures, "ignore-"+verb+"-failures", false, verb+" what can be "+verb+"ed and only warn about the rest")
	fl.BoolVar(&deps, "include-deps", false, "also "+verb+" the images of the services they depend on")
	fl.BoolVarP(&quiet, "quiet", "q", false, verb+" without printing progress")
	return cmd
}
