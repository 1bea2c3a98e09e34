package apply

import (
	"context"
	"errors"
	"fmt"
	"os"
	"strings"
	"time"

	"github.com/compose-spec/compose-go/v2/types"

	"github.com/devstack/devstack/internal/convert"
	"github.com/devstack/devstack/internal/dockerapi"
	"github.com/devstack/devstack/internal/logs"
	"github.com/devstack/devstack/internal/plan"
	"github.com/devstack/devstack/internal/progress"
)

// UpOptions mirror `devstack up` flags.
type UpOptions struct {
	plan.PlanOptions
	ImageOptions
	Known       []string      // every service of the whole project, for orphan detection
	Wait        bool          // wait until services are running and healthy
	WaitTimeout time.Duration // with Wait: give up after this long (0: no limit)
	// StrictPorts refuses to move a preset's taken host port to a free one.
	StrictPorts bool
	// NoStart creates the containers and leaves them stopped (`create`).
	NoStart bool
	// RenewAnonVolumes gives recreated containers new anonymous volumes
	// instead of taking over the old ones' (up -V).
	RenewAnonVolumes bool
	// Converged, when set, runs once the services are up, before Up stays
	// attached.
	Converged func(UpResult)
	// Attached keeps Up attached once the services are up (up without -d):
	// logs, Ctrl-C and the exit policy. Nil: Up returns then.
	Attached *UpAttached
}

// UpResult is what Up did.
type UpResult struct {
	Plan plan.Plan
	// Project is the project as applied: images named, preset ports moved.
	Project *types.Project
	Moves   []plan.PortMove
	// ExitCode is attached up's: 130 after Ctrl-C, or the exit policy's.
	ExitCode int
}

// Up converges the selected services in steps: check the input and
// external resources, move taken preset ports, get images, plan, then
// apply the plan. Bad input is refused before anything is created. p is
// left as it is: Up works on a copy, returned in the result.
// Interrupted (ctx ended), the error is an *Interrupted naming the step.
// Attached (o.Attached), it then stays with the running stack.
func Up(ctx context.Context, api dockerapi.API, mon *logs.Monitor, p *types.Project, o UpOptions, out progress.Progress) (UpResult, error) {
	dies := o.Attached.exits(ctx, mon)
	step := "checking the project"
	res, err := up(ctx, api, mon, p, o, out, &step)
	switch {
	case err != nil && ctx.Err() != nil:
		return res, &Interrupted{Step: step, Cause: ctx.Err(), Err: err}
	case err != nil && engineWentAway(ctx, api, err):
		first, _, _ := strings.Cut(err.Error(), "\n")
		return res, fmt.Errorf("%w while %s; `devstack up` converges once it is back (what failed: %s)", ErrEngineGone, step, strings.TrimSuffix(first, "; last log lines:"))
	case err != nil:
		return res, err
	}
	if o.Converged != nil {
		o.Converged(res)
	}
	if o.Attached == nil {
		return res, nil
	}
	res.ExitCode, err = o.Attached.run(ctx, api, mon, res.Project, dies, out)
	return res, err
}

// engineWentAway tells whether up failed because the engine stopped: it
// does not answer, or, when a dependency exited (the engine stops every
// container before it stops answering), stops answering within 3s.
func engineWentAway(ctx context.Context, api dockerapi.Pinger, err error) bool {
	if errors.Is(err, ErrDependencyFailed) {
		return dockerapi.StopsAnswering(ctx, api, 3*time.Second)
	}
	return !dockerapi.EngineAnswers(ctx, api)
}

func up(ctx context.Context, api dockerapi.API, mon *logs.Monitor, p *types.Project, o UpOptions, out progress.Progress, step *string) (UpResult, error) {
	p, err := p.WithServicesTransform(func(_ string, s types.ServiceConfig) (types.ServiceConfig, error) { return s, nil })
	if err != nil {
		return UpResult{}, err
	}
	DefaultImageNames(p)
	if err := checkProject(p, dockerapi.APIVersion(api), out); err != nil {
		return UpResult{}, err
	}
	obs, err := Observe(ctx, api, p.Name)
	if err != nil {
		return UpResult{}, err
	}
	d, moves, err := desired(ctx, api, p, obs, o, out)
	if err != nil {
		return UpResult{}, err
	}
	*step = "pulling and building images"
	if d.ImageIDs, err = EnsureImages(ctx, api, p, o.ImageOptions, out); err != nil {
		return UpResult{}, err
	}
	pl, err := plan.MakePlan(d, obs, o.PlanOptions)
	res := UpResult{Plan: pl, Project: p, Moves: moves}
	if err != nil {
		return res, err
	}
	for _, w := range pl.Warnings {
		progress.Warnf(out, "%s", w)
	}
	for _, orphan := range pl.Orphans {
		progress.Warnf(out, "found orphan container %s of service %s, not in the project; run with --remove-orphans to remove it", orphan.Name, orphan.Service)
	}
	wctx, stopWatch := context.WithCancel(ctx)
	defer stopWatch()
	a := &applier{api: api, p: p, imageIDs: d.ImageIDs, files: d.Files, out: out, watch: Watch(wctx, mon),
		apiVersion: dockerapi.APIVersion(api), observed: obs.Containers, proxyEnv: dockerapi.ProxyEnv(dockerapi.DaemonHost(api)),
		renewAnon: o.RenewAnonVolumes, step: step, dupNets: obs.DuplicateNetworks}
	if err := a.apply(ctx, pl, !o.NoStart); err != nil {
		return res, err
	}
	if o.Wait && !o.NoStart {
		*step = "waiting for the services to be running and healthy"
		return res, a.waitUp(ctx, o.WaitTimeout)
	}
	return res, nil
}

// checkProject warns of what the project sets that devstack or the API
// version leaves out, and refuses what cannot become containers: specs,
// fixed addresses, missing mount sources. Before anything is observed.
func checkProject(p *types.Project, apiVersion string, out progress.Progress) error {
	for _, w := range convert.UnsupportedWarnings(p, apiVersion) {
		progress.Warnf(out, "%s", w)
	}
	for _, w := range convert.SlowHealthChecks(p, apiVersion) {
		progress.Warnf(out, "%s", w)
	}
	if err := convert.CheckSpecs(p, convert.Target{APIVersion: apiVersion, ReadFile: os.ReadFile}); err != nil {
		return err
	}
	if err := convert.CheckAddresses(p); err != nil {
		return err
	}
	if err := CheckMountSources(p); err != nil {
		return err
	}
	if err := CheckVolumeSources(p); err != nil {
		return err
	}
	for _, w := range convert.FileWarnings(p) {
		progress.Warnf(out, "%s", w)
	}
	return nil
}

// desired is what up converges to, once the files are read, the resources
// checked and preset ports moved off taken host ports (those moves are
// returned too); it refuses host ports that are taken.
func desired(ctx context.Context, api dockerapi.ContainerAPI, p *types.Project, obs *plan.Observed, o UpOptions, out progress.Progress) (plan.Desired, []plan.PortMove, error) {
	d := plan.Desired{Project: p, Known: o.Known, Files: map[string][]convert.File{}}
	var err error
	for name, s := range p.Services {
		if d.Files[name], err = ServiceFiles(p, s); err != nil {
			return d, nil, err
		}
	}
	if err := plan.CheckResources(d, obs, o.PlanOptions); err != nil {
		return d, nil, err
	}
	moves, err := presetPortMoves(ctx, api, p, obs.Containers, o.StrictPorts, out)
	if err != nil {
		return d, nil, err
	}
	plan.ApplyPortMoves(p, moves)
	want, err := convert.PublishedPorts(p)
	if err != nil {
		return d, nil, err
	}
	if err := convert.DuplicatePorts(p, want); err != nil {
		return d, nil, err
	}
	if err := CheckPorts(ctx, api, p.Name, want, obs.Containers); err != nil {
		return d, nil, err
	}
	return d, moves, nil
}

// waitUp waits for every service to be running and healthy, within
// timeout when there is one.
func (a *applier) waitUp(ctx context.Context, timeout time.Duration) error {
	if timeout > 0 {
		var cancel context.CancelFunc
		ctx, cancel = context.WithTimeout(ctx, timeout)
		defer cancel()
	}
	if err := a.waitAll(ctx); err != nil {
		if errors.Is(err, context.DeadlineExceeded) {
			return fmt.Errorf("not running and healthy after %s: %w", timeout, err)
		}
		return err
	}
	return nil
}

// waitAll waits for every service to be running, and healthy where it has a healthcheck.
func (a *applier) waitAll(ctx context.Context) error {
	for _, name := range a.p.ServiceNames() {
		s := a.p.Services[name]
		cond := conditionRunning
		if s.HealthCheck != nil && !s.HealthCheck.Disable {
			cond = types.ServiceConditionHealthy
		}
		for _, c := range a.containers(name) {
			if err := WaitFor(ctx, a.api, a.watch, Wait{Container: c, Condition: cond, Out: a.out}); err != nil {
				return err
			}
			if cond == types.ServiceConditionHealthy {
				progress.Status(a.out, progress.KindContainer, c.Name, "Healthy")
			}
		}
	}
	return nil
}
