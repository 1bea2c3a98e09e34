package cli

import (
	"context"
	"fmt"
	"slices"
	"strings"
	"time"

	"github.com/spf13/cobra"

	"github.com/devstack/devstack/internal/apply"
	"github.com/devstack/devstack/internal/deploy"
)

type deployFlags struct {
	detach, prune, registryAuth, build bool
	timeout                            time.Duration
	resolveImage                       string
	kube                               *kubeTarget
	kubeMap                            kubeMapFlags
}

func newDeployCmd(g *globals) *cobra.Command {
	f := deployFlags{kube: &kubeTarget{}}
	cmd := &cobra.Command{
		Use:   "deploy [SERVICE...]",
		Short: "Deploy the project as a stack to a swarm (docker stack deploy)",
		Long: `Deploy the project (or the named services and what they depend on) to the
swarm whose manager the engine is (DOCKER_HOST, --context): one swarm
service NAMESPACE_SERVICE per compose service, overlay networks, secrets and
configs, labelled as docker stack deploy labels them, so docker stack ls, ps
and rm see the stack. The namespace is the project name. An unchanged
service is left alone; a changed one is updated by the engine following its
update_config (rolled back per rollback_config). Services are created in
depends_on order, each once what it depends on has converged; deploy then
waits until every service has converged (its tasks running, healthy where
it has a healthcheck) and says why one cannot. -d does not wait for the
last ones (a service still waits for what it depends on). If a deploy
fails, the services, networks, secrets and configs it created are removed
again; an update that fails is the engine's to roll back.

Interrupted (Ctrl-C) or at --timeout, deploy stops waiting and removes
nothing, as docker stack deploy leaves the swarm to go on: it says which
services had not converged and why, and what it created and updated, which
stays (devstack deploy rm removes the stack); exit status 130 when
interrupted, 1 at the timeout.

--resolve-image pins each service's image to the digest its registry has
for the tag (NAME:TAG@sha256:...), so that every node runs the same image,
as docker stack deploy does: always (the default) asks the registry for
every image on each deploy, so a tag pushed again updates its services;
changed only for new services and those whose image changed in the
project; never pins nothing. An image no registry gives stays as written,
with a warning.

deploy ps, ls, rm and logs act on the stack; a service named ps, ls, rm or
logs cannot be named on the command line (deploy without names deploys it).

--kubernetes deploys to the Kubernetes cluster of the kubeconfig instead
(--kube-context, which implies --kubernetes, or --context after the
command; --namespace, default the project's name; the docker context goes
before the command and is the engine that builds): the
objects devstack convert kubernetes writes, server-side applied (field
manager devstack) level by level in depends_on order, each level waited for
through watches (ready; a Job complete); unchanged objects are not sent
again; a pod whose image no node can get, or that keeps crashing, fails the
deploy naming it. A rebuilt image rolls the pods of its services (its ID
on the pod template, pinned to the digest pushed). --depends-on-init adds
init containers that hold each pod until what it depends on is ready.
deploy ps, logs and rm take --kubernetes or --kube-context too. Runs the
devstack-kube helper; see docs/kubernetes.md.`,
		RunE: func(cmd *cobra.Command, args []string) error { return runDeploy(cmd.Context(), g, f, args) },
	}
	fl := cmd.Flags()
	fl.BoolVarP(&f.detach, "detach", "d", false, "return once the services are created or updated, without waiting for the last ones to converge")
	fl.BoolVar(&f.prune, "prune", false, "remove the stack's services that are no longer in the project")
	fl.BoolVar(&f.registryAuth, "with-registry-auth", false, "send docker's registry credentials to the nodes, to pull private images")
	fl.BoolVar(&f.build, "build", false, "build the images first and push those named with a registry, so every node can pull them")
	fl.DurationVar(&f.timeout, "timeout", 0, "give up waiting after this long (e.g. 2m; 0: no limit), saying which services had not converged and why; nothing is removed")
	fl.StringVar(&f.resolveImage, "resolve-image", deploy.ResolveAlways, `pin images to their registry digest: "always", "changed" (only changed images) or "never"`)
	f.kube.add(cmd)
	f.kubeMap.add(cmd)
	cmd.AddCommand(newDeployPsCmd(g, f.kube), newDeployLsCmd(g, f.kube), newDeployRmCmd(g, f.kube), newDeployLogsCmd(g, f.kube))
	return cmd
}

func runDeploy(ctx context.Context, g *globals, f deployFlags, services []string) error {
	if !slices.Contains(deploy.ResolveModes, f.resolveImage) {
		return fmt.Errorf("--resolve-image %q: want one of %s", f.resolveImage, strings.Join(deploy.ResolveModes, ", "))
	}
	if f.timeout < 0 {
		return fmt.Errorf("--timeout %s: must not be negative", f.timeout)
	}
	if err := f.kube.checkFor(true); err != nil { // the engine builds there
		return err
	}
	if f.kube.on {
		return runDeployKube(ctx, g, f, services)
	}
	_, p, err := g.load(ctx, services)
	if err != nil {
		return err
	}
	out := g.printer()
	api, err := g.client(ctx)
	if err != nil {
		return err
	}
	defer api.Close()
	unlock, err := g.lock(ctx, p.Name, "deploy")
	if err != nil {
		return err
	}
	defer unlock()
	if f.build {
		otherNodes := func(ctx context.Context) ([]string, error) { return deploy.OtherNodes(ctx, api) }
		if err := apply.BuildForNodes(ctx, api, p, g.images(apply.ImageOptions{}), apply.PushOptions{Auth: g.auth}, otherNodes, out); err != nil {
			return err
		}
	}
	o := deploy.Options{Detach: f.detach, Prune: f.prune, Partial: len(services) > 0, Timeout: f.timeout, ResolveImage: f.resolveImage}
	if f.registryAuth {
		o.Auth = g.auth.Encoded
	}
	return deploy.DeployProject(ctx, api, p, f.build, o, out)
}

// onStack runs fn with a client and the stack's namespace: the project's
// name, from -p, COMPOSE_PROJECT_NAME or the compose file.
func (g *globals) onStack(ctx context.Context, fn func(ctx context.Context, api deploy.API, ns string) error) error {
	ns, err := g.projectName(ctx)
	if err != nil {
		return err
	}
	api, err := g.client(ctx)
	if err != nil {
		return err
	}
	defer api.Close()
	return fn(ctx, api, ns)
}
