package watch

import (
	"context"
	"sync/atomic"
	"time"

	"github.com/devstack/devstack/internal/containers"
)

// followContainers notices the containers of synced services that
// started since it last looked (restarted, recreated, scaled up, or back
// with the engine) and has the watch catch them up again (see
// catchUpAgain): a new container starts from its image's files, and one
// that was stopped missed the syncs meanwhile; its x-sync-back receivers
// ended with it. It looks every enginePoll while the engine answers, and
// returns when ctx ends.
func (r *runner) followContainers(ctx context.Context, away *atomic.Bool, running map[string][]string) {
	seen := r.starts(ctx, running)
	t := time.NewTicker(enginePoll)
	defer t.Stop()
	for {
		select {
		case <-ctx.Done():
			return
		case <-t.C:
		}
		if away.Load() {
			continue
		}
		cs, err := containers.Observe(ctx, r.api, r.p.Name)
		if err != nil {
			continue
		}
		now := map[string][]string{}
		for _, c := range cs {
			if c.Running() && r.syncsTo(c.Service) {
				now[c.Service] = append(now[c.Service], c.ID)
			}
		}
		starts := r.starts(ctx, now)
		redo, alive := map[string][]string{}, map[string]bool{}
		for service, ids := range now {
			for _, id := range ids {
				alive[id] = true
				if s, ok := starts[id]; ok && s != seen[id] {
					redo[service] = append(redo[service], id)
				}
			}
		}
		r.backs.stopGone(alive)
		seen = starts
		if len(redo) > 0 {
			r.requestCatchUp(ctx, redo)
		}
	}
}

// syncsTo: a trigger of the service syncs into its containers.
func (r *runner) syncsTo(service string) bool {
	for i := range r.triggers {
		if r.triggers[i].Service == service && r.triggers[i].syncs() {
			return true
		}
	}
	return false
}

// starts is when each of the containers started (their State.StartedAt).
func (r *runner) starts(ctx context.Context, running map[string][]string) map[string]string {
	out := map[string]string{}
	for service, ids := range running {
		if !r.syncsTo(service) {
			continue
		}
		for _, id := range ids {
			if ins, err := r.api.ContainerInspect(ctx, id); err == nil && ins.State != nil && ins.State.Running {
				out[id] = ins.State.StartedAt
			}
		}
	}
	return out
}

// requestCatchUp hands the containers (by service; nil: all) to the
// watch's loop, which catches them up between reloads.
func (r *runner) requestCatchUp(ctx context.Context, ids map[string][]string) {
	select {
	case r.redo <- ids:
	case <-ctx.Done():
	}
}

// catchUpAgain catches the containers (by service; nil: every synced
// service's running ones) up with the host's trees, as when watching
// began, and restarts their x-sync-back receivers. Failures are reported,
// and watching goes on.
func (r *runner) catchUpAgain(ctx context.Context, ids map[string][]string) {
	for i := range r.triggers {
		t := &r.triggers[i]
		if !t.syncs() {
			continue
		}
		targets, ok := ids[t.Service]
		if ids == nil {
			var err error
			if targets, err = r.running(ctx, t.Service); err != nil {
				continue
			}
		} else if !ok {
			continue
		}
		if !t.InitialSync {
			for _, id := range targets {
				if len(t.SyncBack) > 0 {
					r.follow(ctx, t, id, nil, nil)
				}
			}
			continue
		}
		if rep, changed, _ := r.catchUp(ctx, t, targets, againAction); changed && ctx.Err() == nil {
			r.out.Event(rep.Event())
		}
	}
}
