package watch

import (
	"context"
	"strings"
	"time"

	"github.com/devstack/devstack/internal/apply"
	"github.com/devstack/devstack/internal/progress"
)

// rebuildShared builds the image the step's services share once, then
// recreates each service; it returns one report per service.
func (r *runner) rebuildShared(ctx context.Context, st Step) []Report {
	start := time.Now()
	names := make([]string, len(st.Reloads))
	for i, rl := range st.Reloads {
		names[i] = rl.Service
	}
	first := st.Reloads[0].Service
	s := r.p.Services[first]
	say(r.out, "services %s share image %s: building it once", strings.Join(names, ", "), s.Image)
	err := apply.Build(ctx, r.api, r.p, s, r.o.Images, r.out)
	reps := make([]Report, 0, len(st.Reloads))
	for _, rl := range st.Reloads {
		rerr := err
		if rerr == nil {
			_, rerr = apply.RecreateService(ctx, r.api, r.p, rl.Service, r.out)
		}
		if rerr == nil {
			if ids, e := r.running(ctx, rl.Service); e == nil {
				r.warmUp(ctx, map[string][]string{rl.Service: ids})
			}
		}
		reps = append(reps, r.report(rl, start, nil, rerr))
	}
	return reps
}

// runStep applies one step and reports it, with each service's watch state
// before and after.
func (r *runner) runStep(ctx context.Context, st Step) {
	for _, rl := range st.Reloads {
		state := progress.WatchState{State: progress.WatchSyncing, Files: len(rl.Files)}
		if rl.Rebuild {
			state.State = progress.WatchRebuilding
		}
		r.state(rl.Service, state)
	}
	var reps []Report
	if st.Shared() {
		apply.DefaultImageNames(r.p)
		reps = r.rebuildShared(ctx, st)
	} else {
		reps = []Report{r.apply(ctx, st.Reloads[0])}
	}
	if ctx.Err() != nil {
		return
	}
	for _, rep := range reps {
		r.out.Event(rep.Event())
		done := progress.WatchState{State: progress.WatchWatching, LastSync: rep.At.Add(rep.Took), Action: rep.Action}
		if rep.Err != nil {
			done.Err = rep.Err.Error()
		}
		r.state(rep.Service, done)
	}
}

// allow asks the loop guard whether service may reload now, saying when
// it pauses or resumes the service.
func (r *runner) allow(service string) bool {
	switch r.guard.check(service) {
	case paused:
		return false
	case pauseNow:
		say(r.out, "service %s reloaded more than %d times within a minute; paused for a minute. Is it writing into its own watched path? Add that path to the trigger's ignore", service, r.guard.limit)
		r.state(service, progress.WatchState{State: progress.WatchPaused})
		r.clock.AfterFunc(r.guard.pause, func() { r.resync(service) })
		return false
	case allowAgain:
		say(r.out, "service %s resumed", service)
	}
	return true
}
