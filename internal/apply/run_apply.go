package apply

import (
	"context"
	"fmt"
	"os"

	"github.com/compose-spec/compose-go/v2/types"
	"github.com/docker/docker/api/types/container"

	"github.com/devstack/devstack/internal/containers"
	"github.com/devstack/devstack/internal/convert"
	"github.com/devstack/devstack/internal/dockerapi"
	"github.com/devstack/devstack/internal/logs"
	"github.com/devstack/devstack/internal/plan"
	"github.com/devstack/devstack/internal/progress"
)

// PrepareRun makes the one-off container of `devstack run`: unless NoDeps,
// it brings the service's dependencies up as up does and waits for their
// depends_on conditions; then it gets the service's image and creates the
// container (not started). p is the service with its dependencies (only
// the service with NoDeps); known, every service of the project. Bad
// options are refused before anything is created.
func PrepareRun(ctx context.Context, api dockerapi.API, mon *logs.Monitor, p *types.Project, known []string, o RunOptions, out progress.Progress) (plan.Container, error) {
	s, err := convert.RunService(p, o.RunOptions, NewSlug())
	if err != nil {
		return plan.Container{}, err
	}
	rp := *p
	rp.Services = types.Services{s.Name: s}
	DefaultImageNames(&rp)
	s = rp.Services[s.Name]
	if err := checkRun(&rp, dockerapi.APIVersion(api)); err != nil {
		return plan.Container{}, err
	}
	if deps := p.WithServicesDisabled(o.Service); len(deps.Services) > 0 {
		if _, err := Up(ctx, api, mon, deps, UpOptions{Known: known, ImageOptions: o.ImageOptions}, out); err != nil {
			return plan.Container{}, err
		}
	}
	obs, err := Observe(ctx, api, p.Name)
	if err != nil {
		return plan.Container{}, err
	}
	if !o.NoDeps {
		if err := waitRunDependencies(ctx, api, mon, s, obs.Containers, out); err != nil {
			return plan.Container{}, err
		}
	}
	ids, err := EnsureImages(ctx, api, &rp, o.ImageOptions, out)
	if err != nil {
		return plan.Container{}, err
	}
	files, err := ServiceFiles(&rp, s)
	if err != nil {
		return plan.Container{}, err
	}
	a := &applier{api: api, p: &rp, imageIDs: ids, files: map[string][]convert.File{s.Name: files}, out: out,
		apiVersion: dockerapi.APIVersion(api), observed: obs.Containers, proxyEnv: dockerapi.ProxyEnv(dockerapi.DaemonHost(api))}
	// The networks and volumes of the service itself (up made its dependencies').
	pl, err := plan.MakePlan(plan.Desired{Project: &rp, Known: known, Files: a.files, ImageIDs: ids}, obs, plan.PlanOptions{NoRecreate: true})
	if err != nil {
		return plan.Container{}, err
	}
	if err := a.each(ctx, pl, a.resource, plan.CreateNetwork, plan.CreateVolume); err != nil {
		return plan.Container{}, err
	}
	return a.createOneoff(ctx, s, o)
}

func checkRun(p *types.Project, apiVersion string) error {
	if err := convert.CheckSpecs(p, convert.Target{APIVersion: apiVersion, ReadFile: os.ReadFile}); err != nil {
		return err
	}
	return CheckMountSources(p)
}

// waitRunDependencies waits for the run service's depends_on conditions.
func waitRunDependencies(ctx context.Context, api dockerapi.ContainerAPI, mon *logs.Monitor, s types.ServiceConfig, obs []plan.Container, out progress.Progress) error {
	wctx, stop := context.WithCancel(ctx)
	defer stop()
	w := Watch(wctx, mon)
	for dep, d := range s.DependsOn {
		for _, c := range obs {
			if c.Service != dep {
				continue
			}
			if err := WaitFor(ctx, api, w, Wait{Service: s.Name, Container: c, Condition: d.Condition, Out: out}); err != nil {
				return fmt.Errorf("service %s depends on %s: %w", s.Name, dep, err)
			}
		}
	}
	return nil
}

// createOneoff creates the one-off container of s; nothing half-made stays.
func (a *applier) createOneoff(ctx context.Context, s types.ServiceConfig, o RunOptions) (plan.Container, error) {
	t, err := a.target(ctx, convert.ServiceRefs(s))
	if err != nil {
		return plan.Container{}, err
	}
	files := a.files[s.Name]
	spec, err := convert.ContainerSpec(a.p, s, 1, a.imageIDs[s.Name], convert.ConfigHash(convert.ResolvedService(s, t.Refs), files), t)
	if err != nil {
		return plan.Container{}, err
	}
	convert.OneoffSpec(&spec, s, o.RunOptions)
	a.pinNetworks(&spec)
	if err := createMountpoints(spec.Host.Mounts); err != nil {
		return plan.Container{}, fmt.Errorf("service %s: %w", s.Name, err)
	}
	resp, err := a.api.ContainerCreate(ctx, spec.Config, spec.Host, spec.Network, spec.Platform, spec.Name)
	if err != nil {
		return plan.Container{}, containers.NamedError(spec.Name, err)
	}
	for _, w := range resp.Warnings {
		progress.Warnf(a.out, "service %s: container %s: %s", s.Name, spec.Name, w)
	}
	if err := a.finishCreate(ctx, resp.ID, spec, files); err != nil {
		_ = a.api.ContainerRemove(context.WithoutCancel(ctx), resp.ID, container.RemoveOptions{Force: true, RemoveVolumes: true})
		return plan.Container{}, containers.NamedError(spec.Name, err)
	}
	return plan.Container{ID: resp.ID, Name: spec.Name, Service: s.Name, State: "created", Labels: spec.Config.Labels}, nil
}

// StartRun starts the one-off container c. Detached, it returns at once;
// attached, it streams stdio until the container exits, passes the
// signals on sigs to it, and returns its exit code.
func StartRun(ctx context.Context, api dockerapi.ContainerAPI, c plan.Container, o RunOptions, std containers.Stdio, sigs <-chan os.Signal) (int, error) {
	if o.Detach {
		if err := api.ContainerStart(ctx, c.ID, container.StartOptions{}); err != nil {
			return 0, startFailed(ctx, api, c, o, err)
		}
		return 0, nil
	}
	hj, err := api.ContainerAttach(ctx, c.ID, container.AttachOptions{Stream: true, Stdin: o.Interactive, Stdout: true, Stderr: true})
	if err != nil {
		return 0, startFailed(ctx, api, c, o, err)
	}
	defer hj.Close()
	// The exit code comes from next-exit: Podman answers the removed
	// condition with 0 whatever the code. With --rm, removed then says the
	// container is gone.
	waitC, errC := api.ContainerWait(ctx, c.ID, container.WaitConditionNextExit)
	var goneC <-chan container.WaitResponse
	var goneErr <-chan error
	if o.Remove {
		goneC, goneErr = api.ContainerWait(ctx, c.ID, container.WaitConditionRemoved)
	}
	if err := api.ContainerStart(ctx, c.ID, container.StartOptions{}); err != nil {
		return 0, startFailed(ctx, api, c, o, err)
	}
	fctx, stop := context.WithCancel(ctx)
	defer stop()
	go containers.ForwardSignals(fctx, api, c.ID, sigs)
	if err := containers.Stream(ctx, hj, o.TTY, o.Interactive, std, containers.Resize(ctx, api, c.ID)); err != nil {
		return 0, err
	}
	var code int
	select {
	case w := <-waitC:
		if w.Error != nil && w.Error.Message != "" {
			return 0, fmt.Errorf("container %s: %s", c.Name, w.Error.Message)
		}
		code = int(w.StatusCode)
	case err := <-errC:
		return 0, fmt.Errorf("container %s: %w", c.Name, err)
	case <-ctx.Done():
		return 0, ctx.Err()
	}
	if o.Remove {
		select {
		case <-goneC:
		case <-goneErr: // gone already, or the engine's own error: the code stands
		case <-ctx.Done():
			return 0, ctx.Err()
		}
	}
	return code, nil
}

// startFailed removes a --rm container that never ran.
func startFailed(ctx context.Context, api dockerapi.ContainerAPI, c plan.Container, o RunOptions, err error) error {
	if o.Remove {
		_ = api.ContainerRemove(context.WithoutCancel(ctx), c.ID, container.RemoveOptions{Force: true, RemoveVolumes: true})
	}
	return fmt.Errorf("container %s: %w", c.Name, err)
}
