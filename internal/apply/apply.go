package apply

import (
	"context"
	"fmt"
	"sync"

	"github.com/compose-spec/compose-go/v2/graph"
	"github.com/compose-spec/compose-go/v2/types"
	"github.com/containerd/errdefs"
	"github.com/docker/docker/api/types/container"
	"golang.org/x/sync/errgroup"

	"github.com/devstack/devstack/internal/containers"
	"github.com/devstack/devstack/internal/convert"
	"github.com/devstack/devstack/internal/dockerapi"
	"github.com/devstack/devstack/internal/plan"
	"github.com/devstack/devstack/internal/progress"
)

// applier runs one plan. It records the containers each service ends up with.
type applier struct {
	api      dockerapi.API
	p        *types.Project
	imageIDs map[string]string
	files    map[string][]convert.File
	out      progress.Progress
	watch    *Watcher
	// apiVersion is the negotiated Engine API version; observed, the
	// project's containers before the plan (references to services the
	// plan leaves alone resolve to them); gate orders creations that
	// reference other services.
	apiVersion string
	observed   []plan.Container
	gate       *createGate
	proxyEnv   types.MappingWithEquals // docker's configured proxies (ProxyEnv)
	renewAnon  bool                    // recreated containers get new anonymous volumes (up -V)
	step       *string                 // where apply is, for the message when interrupted (nil: untold)
	dupNets    []string                // the project's networks observed more than once
	netIDs     map[string]string       // network name -> the ID containers join, where the name is ambiguous (useNetwork); under mu

	mu      sync.Mutex
	current map[string][]plan.Container // service -> its containers after apply
	start   map[string][]plan.Container // service -> containers that need starting
}

// apply runs the plan; without start it only creates (`create`).
func (a *applier) apply(ctx context.Context, pl plan.Plan, start bool) error {
	a.current, a.start = map[string][]plan.Container{}, map[string][]plan.Container{}
	a.setStep("creating networks, volumes and containers")
	if err := a.recreateNetworks(ctx, pl); err != nil {
		return err
	}
	if err := a.each(ctx, pl, a.resource, plan.CreateNetwork, plan.CreateVolume, plan.RemoveContainer); err != nil {
		return err
	}
	for _, name := range a.dupNets {
		a.dedupeNetwork(ctx, name) // copies another client made before we looked
	}
	a.gate = newCreateGate(pl)
	if err := a.each(ctx, refOrder(a.p, pl), a.container, plan.CreateContainer, plan.RecreateContainer, plan.StartContainer, plan.KeepContainer, plan.RestartContainer); err != nil {
		return err
	}
	if !start {
		return nil
	}
	a.setStep("starting containers in dependency order (and waiting for their dependencies)")
	return graph.InDependencyOrder(ctx, a.p, func(ctx context.Context, name string, s types.ServiceConfig) error {
		if !a.needsStart(name) {
			return nil // left running as it was: nothing to wait for
		}
		if err := a.waitDependencies(ctx, s); err != nil {
			return err
		}
		return a.startService(ctx, name)
	})
}

func (a *applier) setStep(s string) {
	if a.step != nil {
		*a.step = s
	}
}

// each runs the plan's actions of the given kinds concurrently.
func (a *applier) each(ctx context.Context, pl plan.Plan, fn func(context.Context, plan.Action) error, ops ...plan.Op) error {
	eg, ctx := errgroup.WithContext(ctx)
	eg.SetLimit(dockerapi.Parallelism)
	for _, act := range pl.Actions {
		for _, op := range ops {
			if act.Op == op {
				eg.Go(func() error { return fn(ctx, act) })
			}
		}
	}
	return eg.Wait()
}

func (a *applier) resource(ctx context.Context, act plan.Action) error {
	switch act.Op {
	case plan.CreateNetwork:
		return a.createNetwork(ctx, act)
	case plan.CreateVolume:
		if _, err := a.api.VolumeCreate(ctx, convert.VolumeCreate(a.p, act.Reason)); err != nil {
			return fmt.Errorf("volume %s: %w", act.Name, err)
		}
		progress.Status(a.out, progress.KindVolume, act.Name, "Created")
	case plan.RemoveContainer:
		if err := a.api.ContainerRemove(ctx, act.Current.ID, container.RemoveOptions{Force: true}); err != nil {
			return containers.NamedError(act.Name, err)
		}
		a.out.Event(progress.Event{Kind: progress.KindContainer, Name: act.Name, Status: "Removed", Detail: act.Reason})
	}
	return nil
}

func (a *applier) container(ctx context.Context, act plan.Action) error {
	defer a.gate.finish(act.Service)
	switch act.Op {
	case plan.KeepContainer:
		a.record(act.Service, *act.Current, false)
		progress.Status(a.out, progress.KindContainer, act.Name, "Running")
		return nil
	case plan.StartContainer:
		a.record(act.Service, *act.Current, true)
		return nil
	case plan.RestartContainer:
		if err := a.api.ContainerStop(ctx, act.Current.ID, container.StopOptions{Timeout: dockerapi.StopTimeout(ctx, a.api, act.Current.ID, nil)}); err != nil {
			return containers.NamedError(act.Name, err)
		}
		a.out.Event(progress.Event{Kind: progress.KindContainer, Name: act.Name, Status: "Stopped", Detail: act.Reason})
		a.record(act.Service, *act.Current, true)
		return nil
	case plan.RecreateContainer:
		return a.recreate(ctx, act)
	}
	c, err := a.create(ctx, a.p.Services[act.Service], act.Number, nil)
	if err != nil {
		return err
	}
	a.record(act.Service, c, true)
	progress.Status(a.out, progress.KindContainer, c.Name, "Created")
	return nil
}

// recreate replaces a container as compose does: the old one is stopped
// and renamed out of the way, the new one is created under its name, and
// only then is the old one removed. When the new one cannot be created
// (or devstack is interrupted before), the old one gets its name back and
// runs again as it did. One an interrupted recreate left renamed aside
// is not renamed again.
func (a *applier) recreate(ctx context.Context, act plan.Action) error {
	old := act.Current
	if err := a.api.ContainerStop(ctx, old.ID, container.StopOptions{Timeout: dockerapi.StopTimeout(ctx, a.api, old.ID, nil)}); err != nil {
		return containers.NamedError(act.Name, err)
	}
	home, aside := old.Name, shortID(old.ID)+"_"+old.Name // its name, and the one out of the way
	if plan.IsAsideName(old.Name, act.Name) {
		home, aside = act.Name, old.Name // renamed aside already
	} else if err := a.api.ContainerRename(ctx, old.ID, aside); err != nil {
		// Interrupted, the engine may have renamed it all the same.
		_ = a.api.ContainerRename(context.WithoutCancel(ctx), old.ID, home)
		return a.restoreOld(ctx, old, containers.NamedError(act.Name, err))
	}
	c, err := a.create(ctx, a.p.Services[act.Service], act.Number, old)
	if err != nil {
		if rerr := a.api.ContainerRename(context.WithoutCancel(ctx), old.ID, home); rerr != nil {
			return fmt.Errorf("%w (and the old container, renamed %s, could not get its name back: %v)", err, aside, rerr)
		}
		return a.restoreOld(ctx, old, err)
	}
	// Its replacement exists: remove it even when interrupted now, so
	// that no container stays renamed aside.
	if err := a.api.ContainerRemove(context.WithoutCancel(ctx), old.ID, container.RemoveOptions{Force: true, RemoveVolumes: a.renewAnon}); err != nil {
		return containers.NamedError(old.Name, err)
	}
	if a.renewAnon {
		a.removeReplacedVolumes(ctx, *old)
	}
	a.record(act.Service, c, true)
	progress.Status(a.out, progress.KindContainer, c.Name, "Recreated")
	return nil
}

// restoreOld starts the container a failed recreate kept, when it ran.
func (a *applier) restoreOld(ctx context.Context, old *plan.Container, err error) error {
	if old.Running() {
		if serr := a.api.ContainerStart(context.WithoutCancel(ctx), old.ID, container.StartOptions{}); serr != nil {
			return fmt.Errorf("%w (and the old container could not be started again: %v)", err, serr)
		}
	}
	return fmt.Errorf("%w (the old container is kept)", err)
}

// removeReplacedVolumes removes, with up -V, the anonymous volumes of a
// container that was replaced by one with new ones: those it took over
// from the container before it are mounted by name, so the engine's
// RemoveVolumes leaves them. Named volumes of the project are never
// touched; a failure is a warning, the recreate itself worked.
func (a *applier) removeReplacedVolumes(ctx context.Context, old plan.Container) {
	for _, v := range containers.InheritedVolumes(old) {
		if a.projectVolume(v) {
			continue
		}
		// Gone with the container, or still used by another (volumes_from): both fine.
		if err := a.api.VolumeRemove(ctx, v, false); err != nil && !errdefs.IsNotFound(err) && !errdefs.IsConflict(err) {
			progress.Warnf(a.out, "container %s: its replaced anonymous volume %s could not be removed: %v", old.Name, v, err)
		}
	}
}

// projectVolume tells whether name is a volume the project declares (a
// named volume that happens to look like an engine-made name).
func (a *applier) projectVolume(name string) bool {
	for _, v := range a.p.Volumes {
		if v.Name == name {
			return true
		}
	}
	return false
}

func shortID(id string) string {
	if len(id) > 12 {
		return id[:12]
	}
	return id
}

// create makes one container of s; replacing old, it takes over old's
// anonymous volumes (convert.InheritVolumes).
func (a *applier) create(ctx context.Context, s types.ServiceConfig, number int, old *plan.Container) (plan.Container, error) {
	files := a.files[s.Name]
	t, err := a.target(ctx, convert.ServiceRefs(s))
	if err != nil {
		return plan.Container{}, err
	}
	hash := convert.ConfigHash(convert.ResolvedService(s, t.Refs), files)
	spec, err := convert.ContainerSpec(a.p, s, number, a.imageIDs[s.Name], hash, t)
	if err != nil {
		return plan.Container{}, err
	}
	a.pinNetworks(&spec)
	if err := a.inherit(ctx, &spec, s, old); err != nil {
		return plan.Container{}, err
	}
	if err := createMountpoints(spec.Host.Mounts); err != nil {
		return plan.Container{}, fmt.Errorf("service %s: %w", s.Name, err)
	}
	id, adopted, warnings, err := a.createRacing(ctx, spec, s.Name, number, hash, old == nil)
	if err != nil {
		return plan.Container{}, containers.NamedError(spec.Name, err)
	}
	if adopted != nil {
		progress.Status(a.out, progress.KindContainer, adopted.Name, "Adopted")
		return *adopted, nil
	}
	for _, w := range warnings {
		progress.Warnf(a.out, "service %s: container %s: %s", s.Name, spec.Name, w)
	}
	if err := a.finishCreate(ctx, id, spec, files); err != nil {
		// Nothing half-made stays behind.
		_ = a.api.ContainerRemove(context.WithoutCancel(ctx), id, container.RemoveOptions{Force: true, RemoveVolumes: true})
		return plan.Container{}, containers.NamedError(spec.Name, err)
	}
	return plan.Container{ID: id, Name: spec.Name, Service: s.Name, Number: number, State: "created"}, nil
}

// finishCreate copies configs and secrets into a created container and
// connects it to its other networks.
func (a *applier) finishCreate(ctx context.Context, id string, spec convert.Spec, files []convert.File) error {
	if err := copyFiles(ctx, a.api, id, files); err != nil {
		return err
	}
	for netName, ep := range spec.Connects {
		if ep != nil && ep.NetworkID != "" {
			netName = ep.NetworkID // its name is ambiguous (pinNetworks)
		}
		if err := a.api.NetworkConnect(ctx, netName, id, ep); err != nil {
			return err
		}
	}
	return nil
}

func (a *applier) record(service string, c plan.Container, start bool) {
	a.mu.Lock()
	defer a.mu.Unlock()
	a.current[service] = append(a.current[service], c)
	if start {
		a.start[service] = append(a.start[service], c)
	}
}

func (a *applier) needsStart(service string) bool {
	a.mu.Lock()
	defer a.mu.Unlock()
	return len(a.start[service]) > 0
}

func (a *applier) containers(service string) []plan.Container {
	a.mu.Lock()
	defer a.mu.Unlock()
	return a.current[service]
}

func (a *applier) waitDependencies(ctx context.Context, s types.ServiceConfig) error {
	for dep, d := range s.DependsOn {
		if _, ok := a.p.Services[dep]; !ok {
			continue
		}
		for _, c := range a.containers(dep) {
			if d.Condition != types.ServiceConditionStarted {
				progress.Status(a.out, progress.KindContainer, c.Name, "Waiting")
			}
			if err := WaitFor(ctx, a.api, a.watch, Wait{Service: s.Name, Container: c, Condition: d.Condition, Out: a.out}); err != nil {
				return fmt.Errorf("service %s depends on %s: %w", s.Name, dep, err)
			}
			switch d.Condition {
			case types.ServiceConditionHealthy:
				progress.Status(a.out, progress.KindContainer, c.Name, "Healthy")
			case types.ServiceConditionCompletedSuccessfully:
				progress.Status(a.out, progress.KindContainer, c.Name, "Exited (0)")
			}
		}
	}
	return nil
}

func (a *applier) startService(ctx context.Context, name string) error {
	a.mu.Lock()
	todo := a.start[name]
	a.mu.Unlock()
	eg, ctx := errgroup.WithContext(ctx)
	for _, c := range todo {
		eg.Go(func() error {
			if err := startRacing(ctx, a.api, c.ID); err != nil {
				return fmt.Errorf("service %s: start %s: %w", name, c.Name, err)
			}
			progress.Status(a.out, progress.KindContainer, c.Name, "Started")
			return nil
		})
	}
	return eg.Wait()
}
