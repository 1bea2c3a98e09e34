package apply

import (
	"context"
	"fmt"
	"io"
	"os"
	"os/signal"
	"strconv"
	"syscall"
	"time"

	"github.com/compose-spec/compose-go/v2/types"
	"github.com/docker/docker/api/types/events"

	"github.com/devstack/devstack/internal/containers"
	"github.com/devstack/devstack/internal/convert"
	"github.com/devstack/devstack/internal/dockerapi"
	"github.com/devstack/devstack/internal/logs"
	"github.com/devstack/devstack/internal/plan"
	"github.com/devstack/devstack/internal/progress"
)

// UpAttached is what an attached up (without -d) does once the stack is
// up: it follows the attached services' logs until Ctrl-C, then stops the
// stack gracefully (a second Ctrl-C kills it). With AbortOnExit or
// ExitCodeFrom, the first of the stack's containers to exit stops the
// stack too, and up's exit code is that container's, or ExitCodeFrom's.
type UpAttached struct {
	// AbortOnExit stops the stack when any of its containers exits
	// (--abort-on-container-exit).
	AbortOnExit bool
	// ExitCodeFrom names the service whose container's exit code up exits
	// with (--exit-code-from); it implies AbortOnExit.
	ExitCodeFrom string
	// StopTimeout is how long the stop waits for each container, in
	// seconds (nil: the service's stop_grace_period).
	StopTimeout *int

	// Services are those whose logs are shown (none: no logs, and Ctrl-C
	// still stops the stack). Since is when up started: the logs from then.
	Services []string
	Since    time.Time
	Logs     logs.Sink
	// Follow runs the log follower into the sink when the stack just runs
	// (nil: the follower's Run); the caller's may survive an engine restart.
	Follow func(ctx context.Context, f *logs.Follower, sink logs.Sink) error
	// Beside runs next to the logs until they end (up --watch), on the
	// project as applied.
	Beside func(ctx context.Context, p *types.Project)
	// Notices gets the lines that say what up does on its own
	// ("Gracefully stopping...", "Aborting on container exit...").
	Notices io.Writer
}

// aborts tells whether the stack stops with its first container.
func (a *UpAttached) aborts() bool {
	return a != nil && (a.AbortOnExit || a.ExitCodeFrom != "")
}

// exits subscribes to the stack's container exits when up aborts on one.
// Up subscribes before it starts anything, so an early exit is not missed.
func (a *UpAttached) exits(ctx context.Context, mon *logs.Monitor) <-chan logs.ContainerEvent {
	if !a.aborts() {
		return nil
	}
	evs, _ := mon.Subscribe(ctx, logs.Actions(events.ActionDie))
	return evs
}

// run is the attached part of up, once the stack runs; it returns up's exit code.
func (a *UpAttached) run(ctx context.Context, api dockerapi.Stopper, mon *logs.Monitor, p *types.Project, dies <-chan logs.ContainerEvent, out progress.Progress) (int, error) {
	project := p.Name
	lf := logs.NewFollower(api, mon, project, logs.FollowOptions{Services: a.Services, Follow: true, Since: a.Since, UntilStopped: true})
	if a.aborts() {
		if len(a.Services) == 0 {
			lf = nil // every service is left out: no logs
		}
		return a.abortOnExit(ctx, api, project, lf, dies, out)
	}
	var err error
	switch {
	case a.Beside != nil:
		err = a.runBeside(ctx, p, lf)
	case len(a.Services) == 0:
		// Every service says attach: false: no logs, but Ctrl-C still stops the stack.
		<-ctx.Done()
	case a.Follow != nil:
		err = a.Follow(ctx, lf, a.Logs)
	default:
		err = lf.Run(ctx, a.Logs)
	}
	if ctx.Err() == nil {
		return 0, err
	}
	return a.stopGracefully(ctx, api, project, out)
}

// runBeside follows the logs (or, with none attached, waits for Ctrl-C)
// with Beside running next to them, and ends it with them.
func (a *UpAttached) runBeside(ctx context.Context, p *types.Project, lf *logs.Follower) error {
	bctx, cancel := context.WithCancel(ctx)
	done := make(chan struct{})
	go func() {
		defer close(done)
		a.Beside(bctx, p)
	}()
	var err error
	if len(convert.AttachedServices(p)) == 0 {
		<-ctx.Done() // every service says attach: false
	} else {
		err = lf.Run(ctx, a.Logs)
	}
	cancel()
	<-done
	return err
}

// stopGracefully stops the stack after Ctrl-C; a second Ctrl-C kills it.
// Up then exits with 130, as an interrupted command does.
func (a *UpAttached) stopGracefully(ctx context.Context, api dockerapi.Stopper, project string, out progress.Progress) (int, error) {
	fmt.Fprintf(a.Notices, "Gracefully stopping... (press Ctrl+C again to force)\n")
	stopCtx, cancel := context.WithCancel(context.WithoutCancel(ctx))
	defer cancel()
	sig := make(chan os.Signal, 1)
	signal.Notify(sig, os.Interrupt, syscall.SIGTERM)
	defer signal.Stop(sig)
	go func() {
		select {
		case <-sig:
			cancel()
		case <-stopCtx.Done():
		}
	}()
	if err := containers.Stop(stopCtx, api, project, nil, a.StopTimeout, out); err != nil && stopCtx.Err() == nil {
		return 0, err
	}
	if stopCtx.Err() != nil {
		_ = containers.Kill(context.WithoutCancel(ctx), api, project, out)
	}
	return 130, nil
}

// abortOnExit follows the logs until the first of the stack's containers
// exits (dies: the monitor's die events, subscribed before up started
// anything), then stops the stack and returns the exit code of that
// container, or of ExitCodeFrom's.
func (a *UpAttached) abortOnExit(ctx context.Context, api dockerapi.Stopper, project string, lf *logs.Follower, dies <-chan logs.ContainerEvent, out progress.Progress) (int, error) {
	cs, err := containers.Observe(ctx, api, project)
	if err != nil {
		return 0, err
	}
	ours := map[string]bool{} // not the containers up replaced
	for _, c := range cs {
		ours[c.ID] = true
	}
	lctx, cancel := context.WithCancel(ctx)
	defer cancel()
	logDone := make(chan error, 1)
	if lf == nil {
		logDone <- nil
	} else {
		go func() { logDone <- lf.Run(lctx, a.Logs) }()
	}
	first, err := a.exitedAlready(ctx, api, cs)
	if err != nil {
		return 0, err
	}
	for first.ID == "" {
		select {
		case ev, ok := <-dies:
			if !ok {
				return a.stopGracefully(ctx, api, project, out)
			}
			if ours[ev.ID] {
				first = ev
			}
		case <-ctx.Done():
			return a.stopGracefully(ctx, api, project, out)
		}
	}
	fmt.Fprintln(a.Notices, "Aborting on container exit...")
	if err := containers.Stop(ctx, api, project, nil, a.StopTimeout, out); err != nil {
		return 0, err
	}
	<-logDone
	code, _ := strconv.Atoi(first.ExitCode)
	if a.ExitCodeFrom != "" {
		return serviceExitCode(ctx, api, project, a.ExitCodeFrom)
	}
	return code, nil
}

// exitedAlready finds a container of cs that exited since up started
// (the first to, by its finish time): one that exits within moments of its
// start may do so before the engine's event stream is open, and its die
// event is then never seen.
func (a *UpAttached) exitedAlready(ctx context.Context, api dockerapi.ContainerAPI, cs []plan.Container) (logs.ContainerEvent, error) {
	var first logs.ContainerEvent
	var firstAt time.Time
	for _, c := range cs {
		if c.State != "exited" && c.State != "dead" {
			continue
		}
		ins, err := api.ContainerInspect(ctx, c.ID)
		if err != nil {
			return first, err
		}
		if ins.State == nil || ins.State.Running {
			continue
		}
		at, _ := time.Parse(time.RFC3339Nano, ins.State.FinishedAt)
		if at.Before(a.Since) || (first.ID != "" && !at.Before(firstAt)) {
			continue
		}
		first = logs.ContainerEvent{ID: c.ID, Name: c.Name, Service: c.Service, ExitCode: strconv.Itoa(ins.State.ExitCode)}
		firstAt = at
	}
	return first, nil
}

// serviceExitCode is the exit code of the service's (first) container.
func serviceExitCode(ctx context.Context, api dockerapi.ContainerAPI, project, service string) (int, error) {
	cs, err := containers.Observe(ctx, api, project)
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
