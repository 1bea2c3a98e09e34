package watch

import (
	"context"
	"fmt"
	"sort"
	"strings"
	"time"

	"github.com/compose-spec/compose-go/v2/types"
	"github.com/docker/docker/api/types/container"
	"golang.org/x/sync/errgroup"

	"github.com/devstack/devstack/internal/apply"
	"github.com/devstack/devstack/internal/containers"
	"github.com/devstack/devstack/internal/convert"
	"github.com/devstack/devstack/internal/dockerapi"
	"github.com/devstack/devstack/internal/progress"
)

// report is the line for a reload that started at start; deleted are the
// host paths its syncs deleted in the containers.
func (r *runner) report(rl Reload, start time.Time, deleted map[string]bool, err error) Report {
	rep := Report{At: start, Service: rl.Service, Action: rl.Action(), Took: time.Since(start), Err: err}
	for _, f := range rl.Files {
		if deleted[f] {
			rep.Deleted = append(rep.Deleted, rel(r.p.WorkingDir, f))
		} else {
			rep.Files = append(rep.Files, rel(r.p.WorkingDir, f))
		}
	}
	return rep
}

// apply runs one service's reload: rebuild, or syncs, execs and a restart.
func (r *runner) apply(ctx context.Context, rl Reload) Report {
	start := time.Now()
	if rl.Rebuild {
		_, err := apply.RebuildService(ctx, r.api, r.p, rl.Service, r.o.Images, r.out)
		if err == nil {
			if ids, rerr := r.running(ctx, rl.Service); rerr == nil {
				r.warmUp(ctx, map[string][]string{rl.Service: ids}) // new containers
			}
		}
		return r.report(rl, start, nil, err)
	}
	ids, err := r.running(ctx, rl.Service)
	if err != nil {
		return r.report(rl, start, nil, err)
	}
	deleted := map[string]bool{}
	for _, s := range rl.Syncs {
		gone, err := r.sync(ctx, ids, s.Trigger, s.Paths)
		if err != nil {
			return r.report(rl, start, deleted, err)
		}
		for _, p := range gone {
			deleted[p] = true
		}
	}
	return r.report(rl, start, deleted, r.after(ctx, ids, rl))
}

// after runs what follows the syncs: the execs, then a restart.
func (r *runner) after(ctx context.Context, ids []string, rl Reload) error {
	for _, t := range rl.Execs {
		if err := r.exec(ctx, ids, t); err != nil {
			return err
		}
	}
	if rl.Restart {
		err := each(ctx, ids, func(ctx context.Context, id string) error {
			return r.api.ContainerRestart(ctx, id, container.StopOptions{Timeout: dockerapi.StopTimeout(ctx, r.api, id, nil)})
		})
		if err == nil {
			r.warmUp(ctx, map[string][]string{rl.Service: ids}) // new processes: the receivers ended with the old ones
		}
		return err
	}
	return nil
}

// warmUp gets the running containers (by service) that syncs go to ready
// in the background (see box.warmUp); a failure here is the next sync's
// to report.
func (r *runner) warmUp(ctx context.Context, running map[string][]string) {
	seen := map[string]bool{}
	for i := range r.triggers {
		t := &r.triggers[i]
		if seen[t.Service] || !t.syncs() {
			continue
		}
		seen[t.Service] = true
		for _, id := range running[t.Service] {
			if b, err := r.boxes.get(ctx, id); err == nil {
				b.warmUp(ctx, r.api)
			}
		}
	}
}

// running lists the IDs of the service's running containers.
func (r *runner) running(ctx context.Context, service string) ([]string, error) {
	cs, err := containers.Observe(ctx, r.api, r.p.Name)
	if err != nil {
		return nil, err
	}
	var ids []string
	for _, c := range cs {
		if c.Service == service && c.Running() {
			ids = append(ids, c.ID)
		}
	}
	if len(ids) == 0 {
		return nil, noContainer(service)
	}
	return ids, nil
}

func noContainer(service string) error {
	return fmt.Errorf("%w: service %s has no running container (devstack up %s)", convert.ErrNoContainer, service, service)
}

// sync deletes what vanished and copies what changed into every
// container, and returns the host paths it deleted there.
func (r *runner) sync(ctx context.Context, ids []string, t *Trigger, paths []string) ([]string, error) {
	k := r.known.of(t)
	copies, deletes, err := syncPlan(t, paths, k)
	if err != nil {
		return nil, err
	}
	parents := missingParents(t, copies, k)
	var targets []string
	for _, d := range deletes {
		if c := t.ContainerPath(d); c != "" {
			targets = append(targets, c)
		}
	}
	sort.Strings(targets)
	targets = dedupeNested(targets)
	err = each(ctx, ids, func(ctx context.Context, id string) error {
		b, err := r.boxes.get(ctx, id)
		if err != nil {
			return err
		}
		return b.put(ctx, r.api, copies, parents, targets)
	})
	if err != nil {
		return nil, err
	}
	for _, d := range deletes {
		k.remove(d)
	}
	for _, c := range copies {
		k.add(c.host)
	}
	r.stamps.setEntries(copies)
	return deletes, nil
}

// initialSync catches every sync trigger's containers up with the host
// before watching begins (see catchUp), unless the trigger says
// initial_sync: false; a trigger with x-sync-back starts sending back
// either way. A preset's default trigger then runs its exec or restart,
// so the file takes effect at once.
func (r *runner) initialSync(ctx context.Context, running map[string][]string) error {
	for i := range r.triggers {
		t := &r.triggers[i]
		if !t.syncs() {
			continue
		}
		ids := running[t.Service]
		if !t.InitialSync {
			r.stamps.setListing(t.Path, hostListing(t))
			for _, id := range ids {
				if len(t.SyncBack) > 0 {
					r.follow(ctx, t, id, nil, nil)
				}
			}
			continue
		}
		rep, changed, err := r.catchUp(ctx, t, ids, initialAction)
		if err == nil && t.Preset {
			rep.Action = "initial " + string(t.Action)
			rl := Reload{Service: t.Service, Restart: t.Action == types.WatchActionSyncRestart}
			if t.Action == types.WatchActionSyncExec {
				rl.Execs = []*Trigger{t}
			}
			err = r.after(ctx, ids, rl)
			rep.Took, rep.Err, changed = time.Since(rep.At), err, true
		}
		if changed {
			r.out.Event(rep.Event())
		}
		if err != nil {
			return fmt.Errorf("%s: initial sync: %w", t.Where(), err)
		}
	}
	return nil
}

// exec runs a sync+exec trigger's command in every container.
func (r *runner) exec(ctx context.Context, ids []string, t *Trigger) error {
	return each(ctx, ids, func(ctx context.Context, id string) error {
		code, output, err := execIn(ctx, r.api, id, hookSpec(t.Exec))
		if output != "" {
			for _, line := range strings.Split(strings.TrimRight(output, "\n"), "\n") {
				r.out.Event(progress.Event{Kind: progress.KindOutput, Name: t.Service, Detail: line})
			}
		}
		if err != nil {
			return err
		}
		if code != 0 {
			return fmt.Errorf("exec %s exited with %d", strings.Join(t.Exec.Command, " "), code)
		}
		return nil
	})
}

// each runs fn for every container concurrently.
func each(ctx context.Context, ids []string, fn func(context.Context, string) error) error {
	if len(ids) == 1 {
		return fn(ctx, ids[0])
	}
	eg, ctx := errgroup.WithContext(ctx)
	for _, id := range ids {
		eg.Go(func() error { return fn(ctx, id) })
	}
	return eg.Wait()
}
