package cli

import (
	"context"
	"fmt"
	"time"

	"github.com/compose-spec/compose-go/v2/types"

	"github.com/devstack/devstack/internal/apply"
	"github.com/devstack/devstack/internal/dockerapi"
	"github.com/devstack/devstack/internal/logs"
	"github.com/devstack/devstack/internal/plan"
	"github.com/devstack/devstack/internal/watch"
)

// upOptions is what up's flags ask of apply.Up (the attached part aside).
func upOptions(g *globals, f upFlags, full *types.Project) apply.UpOptions {
	return apply.UpOptions{
		PlanOptions:      plan.PlanOptions{ForceRecreate: f.forceRecreate, NoRecreate: f.noRecreate, RemoveOrphans: f.removeOrphans},
		ImageOptions:     g.images(apply.ImageOptions{Build: f.build, Pull: f.pull}),
		Known:            append(full.ServiceNames(), full.DisabledServiceNames()...),
		Wait:             f.wait,
		WaitTimeout:      f.waitTimeout,
		StrictPorts:      f.strictPorts,
		RenewAnonVolumes: f.renewAnon,
	}
}

// upProject loads the project and selects what up's flags name: the
// services (--no-deps), their replicas (--scale) and the services whose
// logs are shown (--attach, --no-attach).
func upProject(ctx context.Context, g *globals, f upFlags, services []string) (full, p *types.Project, attached []string, err error) {
	full, p, err = g.load(ctx, services)
	if err != nil {
		return nil, nil, nil, err
	}
	if f.noDeps && len(services) > 0 {
		if p, err = p.WithSelectedServices(services, types.IgnoreDependencies); err != nil {
			return nil, nil, nil, err
		}
	}
	if err := apply.ApplyScaleFlags(p, f.scale); err != nil {
		return nil, nil, nil, err
	}
	if _, ok := p.Services[f.exitCodeFrom]; f.exitCodeFrom != "" && !ok {
		return nil, nil, nil, fmt.Errorf("--exit-code-from: no such service: %s", f.exitCodeFrom)
	}
	attached, err = apply.SelectAttached(p, f.attach, f.noAttach)
	if err != nil {
		return nil, nil, nil, err
	}
	if f.watch {
		if err := watch.Check(p); err != nil {
			return nil, nil, nil, err
		}
		if err := refuseSecondWatcher(g, p.Name); err != nil {
			return nil, nil, nil, err // before anything is brought up
		}
	}
	return full, p, attached, nil
}

// upAttached is what attached up shows: the attached services' logs, and
// with --watch the watch's lines beside them.
func upAttached(g *globals, api dockerapi.API, f upFlags, attached []string, started time.Time) *apply.UpAttached {
	a := &apply.UpAttached{
		AbortOnExit: f.abortOnExit, ExitCodeFrom: f.exitCodeFrom,
		Services: attached, Since: started, Notices: g.stderr,
		Logs: &logPrinter{w: g.stdout, color: colorOK(g, f.noColor)},
		Follow: func(ctx context.Context, lf *logs.Follower, sink logs.Sink) error {
			return lf.RunAcrossRestarts(ctx, api, sink, g.stderr)
		},
	}
	if f.timeout >= 0 {
		a.StopTimeout = &f.timeout
	}
	if f.watch {
		a.Beside = func(ctx context.Context, p *types.Project) { upWatch(ctx, g, api, p, f, g.printer()) }
	}
	return a
}
