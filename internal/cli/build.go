package cli

import (
	"context"
	"fmt"
	"os"
	"strings"

	"github.com/spf13/cobra"

	"github.com/devstack/devstack/internal/apply"
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
	b, err := apply.PlanBuild(p, f.push) // an image that cannot be pushed: refused before anything is built
	if err != nil {
		return err
	}
	api, err := g.client(ctx)
	if err != nil {
		return err
	}
	defer api.Close()
	o := g.images(apply.ImageOptions{NoCache: f.noCache, PullBase: f.pull, BuildArgs: args})
	return b.Run(ctx, api, o, apply.PushOptions{Auth: g.auth}, out)
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
