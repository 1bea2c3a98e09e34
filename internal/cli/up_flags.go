package cli

import (
	"context"
	"fmt"
	"slices"
	"strconv"

	"github.com/compose-spec/compose-go/v2/types"
	"github.com/docker/docker/api/types/events"

	"github.com/devstack/devstack/internal/engine"
)

// applyScale sets the replicas of services from --scale SERVICE=N, with
// scale's parsing and checks (engine.ParseScale, ApplyScale). Pure.
func applyScale(p *types.Project, scales []string) error {
	if len(scales) == 0 {
		return nil
	}
	n, err := engine.ParseScale(scales, p.ServiceNames())
	if err != nil {
		return fmt.Errorf("--scale: %w", err)
	}
	return engine.ApplyScale(p, n)
}

// attachedServices are the services whose logs attached up shows: those
// of --attach (all that do not say attach: false when none), less those
// of --no-attach. Unknown names are refused. Pure.
func attachedServices(p *types.Project, attach, noAttach []string) ([]string, error) {
	for _, n := range append(append([]string{}, attach...), noAttach...) {
		if _, ok := p.Services[n]; !ok {
			return nil, fmt.Errorf("--attach/--no-attach: no such service: %s", n)
		}
	}
	out := engine.AttachedServices(p)
	if len(attach) > 0 {
		out = slices.Clone(attach)
		slices.Sort(out)
	}
	return slices.DeleteFunc(out, func(n string) bool { return slices.Contains(noAttach, n) }), nil
}

// upAbort follows the logs until the first of the stack's containers
// exits (dies: the monitor's die events, subscribed before up started
// anything), then stops the stack and returns the exit code of that
// container, or of exitCodeFrom's.
func upAbort(ctx context.Context, g *globals, api engine.API, project string, f upFlags, logs *engine.LogFollower, lp *logPrinter, dies <-chan engine.ContainerEvent) error {
	cs, err := engine.ObserveContainers(ctx, api, project)
	if err != nil {
		return err
	}
	ours := map[string]bool{} // not the containers up replaced
	for _, c := range cs {
		ours[c.ID] = true
	}
	lctx, cancel := context.WithCancel(ctx)
	defer cancel()
	logDone := make(chan error, 1)
	if logs == nil {
		logDone <- nil
	} else {
		go func() { logDone <- logs.Run(lctx, lp) }()
	}
	var first engine.ContainerEvent
	for first.ID == "" {
		select {
		case ev, ok := <-dies:
			if !ok {
				return stopAttached(ctx, g, api, project, f.timeout)
			}
			if ours[ev.ID] {
				first = ev
			}
		case <-ctx.Done():
			return stopAttached(ctx, g, api, project, f.timeout)
		}
	}
	fmt.Fprintln(g.stderr, "Aborting on container exit...")
	var t *int
	if f.timeout >= 0 {
		t = &f.timeout
	}
	if err := engine.Stop(ctx, api, project, nil, t, g.printer()); err != nil {
		return err
	}
	<-logDone
	code, _ := strconv.Atoi(first.ExitCode)
	if f.exitCodeFrom != "" {
		if code, err = serviceExitCode(ctx, api, project, f.exitCodeFrom); err != nil {
			return err
		}
	}
	if code != 0 {
		return ExitError{Code: code}
	}
	return nil
}

// serviceExitCode is the exit code of the service's (first) container.
func serviceExitCode(ctx context.Context, api engine.API, project, service string) (int, error) {
	cs, err := engine.ObserveContainers(ctx, api, project)
	if err != nil {
		return 0, err
	}
	for _, c := range cs {
		if c.Service == service {
			ins, err := api.ContainerInspect(ctx, c.ID)
			if err != nil {
				return 0, err
			}
			return ins.State.ExitCode, nil
		}
	}
	return 0, fmt.Errorf("--exit-code-from %s: the service has no container", service)
}

// dieEvents subscribes to the stack's container exits when up aborts on one.
func dieEvents(ctx context.Context, mon *engine.Monitor, f upFlags) <-chan engine.ContainerEvent {
	if !f.abortOnExit && f.exitCodeFrom == "" {
		return nil
	}
	evs, _ := mon.Subscribe(ctx, engine.Actions(events.ActionDie))
	return evs
}
