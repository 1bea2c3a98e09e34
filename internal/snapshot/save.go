package snapshot

import (
	"context"
	"encoding/json"
	"fmt"
	"strconv"
	"sync"
	"time"

	"github.com/docker/docker/api/types/container"
	"github.com/docker/docker/api/types/volume"

	"github.com/devstack/devstack/internal/containers"
	"github.com/devstack/devstack/internal/dockerapi"
	"github.com/devstack/devstack/internal/plan"
	"github.com/devstack/devstack/internal/progress"
	"github.com/devstack/devstack/internal/snapshot/manifest"
)

// SaveEngine is what a save asks of the engine.
type SaveEngine interface {
	Engine
	dockerapi.Stopper
}

// SaveOptions say what a save copies and how.
type SaveOptions struct {
	Name    string   // the snapshot's name (DefaultName when the user gave none)
	Volumes []Volume // what to copy (Volumes)
	Branch  string   // the git branch, recorded
	Stop    bool     // stop the containers that mount the volumes instead of pausing them
	// MaxContent, when set, refuses (ErrTooBig) volumes whose files hold
	// more bytes, before anything is written.
	MaxContent int64
	Helper     Helper
	Now        func() time.Time // the clock; nil: time.Now
}

// SaveResult is what a save did.
type SaveResult struct {
	Manifest manifest.Manifest
	Held     []string      // the containers paused (or stopped) for the copy
	Pause    time.Duration // how long they were held
}

// Save copies the volumes into the snapshot project/NAME on the engine.
// The containers that mount them and run are paused (stopped with
// o.Stop) for the copy only, and always resumed, also when the copy fails
// or ctx ends. The helper is made ready before anything is paused.
func Save(ctx context.Context, api SaveEngine, project string, o SaveOptions, out progress.Progress) (SaveResult, error) {
	var res SaveResult
	if err := CheckName(o.Name); err != nil {
		return res, err
	}
	if err := volumesExist(ctx, api, o.Volumes, o.Stop); err != nil {
		return res, err
	}
	now := time.Now
	if o.Now != nil {
		now = o.Now
	}
	m := manifest.Manifest{Project: project, Name: o.Name, Created: now().UTC().Truncate(time.Second), Branch: o.Branch}
	for _, v := range o.Volumes {
		m.Volumes = append(m.Volumes, fromManifest(v))
	}
	all, err := containers.Observe(ctx, api, project)
	if err != nil {
		return res, err
	}
	users := Users(all, o.Volumes)
	m.Services = Services(users)
	arg, err := json.Marshal(m)
	if err != nil {
		return res, err
	}
	args := []string{"save", dir(project, o.Name), string(arg)}
	if o.MaxContent > 0 {
		args = append(args, strconv.FormatInt(o.MaxContent, 10))
	}
	if _, err := Recover(ctx, api, project, out); err != nil {
		return res, err
	}
	j, err := o.Helper.prepareWith(ctx, api, project, args[0], pauseLabel(users, o.Stop), o.Volumes, true, args...)
	if err != nil {
		return res, err
	}
	defer j.remove(ctx)
	held, resume, err := hold(ctx, api, project, users, o.Stop, out)
	start := now()
	if err == nil {
		var stdout []byte
		if stdout, err = j.run(ctx); err == nil {
			err = json.Unmarshal(stdout, &res.Manifest)
		}
	}
	if rerr := resume(); err == nil {
		err = rerr
	}
	res.Held, res.Pause = held, now().Sub(start)
	return res, err
}

// volumesExist refuses volumes the engine does not have: a save must not
// create them (a mount of a missing volume would). With stop, it refuses
// a tmpfs volume too: stopping the containers that mount it empties it.
func volumesExist(ctx context.Context, api dockerapi.VolumeAPI, vols []Volume, stop bool) error {
	list, err := api.VolumeList(ctx, volume.ListOptions{})
	if err != nil {
		return err
	}
	have := map[string]*volume.Volume{}
	for _, v := range list.Volumes {
		have[v.Name] = v
	}
	for _, v := range vols {
		ev := have[v.Name]
		if ev == nil {
			return fmt.Errorf("volume %s does not exist (devstack up creates it)", v.Name)
		}
		if stop && isTmpfs(ev.Driver, ev.Options) {
			return fmt.Errorf("volume %s is a tmpfs (driver_opts type: tmpfs): stopping the containers that mount it would empty it; save without --stop pauses them instead: nothing saved", v.Name)
		}
	}
	return nil
}

// isTmpfs tells a local volume whose content is a tmpfs: it lasts only
// while a container mounts it.
func isTmpfs(driver string, opts map[string]string) bool {
	return (driver == "" || driver == "local") && opts["type"] == "tmpfs"
}

// hold pauses (stop: stops) the running containers among users and answers
// their names and the function that resumes them, which never fails to try
// every one, whatever ctx says.
func hold(ctx context.Context, api dockerapi.Stopper, project string, users []plan.Container, stop bool, out progress.Progress) ([]string, func() error, error) {
	var held []plan.Container
	resume := func() error {
		rctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), 2*time.Minute)
		defer cancel()
		var first error
		if stop {
			first = plan.InOrder(rctx, project, held, false, func(ctx context.Context, c plan.Container) error {
				if err := api.ContainerStart(ctx, c.ID, container.StartOptions{}); err != nil {
					return containers.NamedError(c.Name, err)
				}
				progress.Status(out, progress.KindContainer, c.Name, "Started")
				return nil
			})
			return first
		}
		for _, c := range held {
			if err := api.ContainerUnpause(rctx, c.ID); err != nil && first == nil {
				first = containers.NamedError(c.Name, err)
				continue
			}
			progress.Status(out, progress.KindContainer, c.Name, "Unpaused")
		}
		return first
	}
	var running []plan.Container
	for _, c := range users {
		if c.State == "running" {
			running = append(running, c)
		}
	}
	var err error
	var mu sync.Mutex // InOrder stops a service's containers in parallel
	if stop {
		err = plan.InOrder(ctx, project, running, true, func(ctx context.Context, c plan.Container) error {
			if err := containers.StopOne(ctx, api, c, nil, out); err != nil {
				return err
			}
			mu.Lock()
			held = append(held, c)
			mu.Unlock()
			progress.Status(out, progress.KindContainer, c.Name, "Stopped")
			return nil
		})
	} else {
		for _, c := range running {
			if err = api.ContainerPause(ctx, c.ID); err != nil {
				err = containers.NamedError(c.Name, err)
				break
			}
			held = append(held, c)
			progress.Status(out, progress.KindContainer, c.Name, "Paused")
		}
	}
	names := make([]string, len(held))
	for i, c := range held {
		names[i] = c.Name
	}
	return names, resume, err
}
