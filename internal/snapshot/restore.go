package snapshot

import (
	"context"
	"fmt"
	"slices"
	"time"

	"github.com/compose-spec/compose-go/v2/types"
	"github.com/docker/docker/api/types/volume"

	"github.com/devstack/devstack/internal/apply"
	"github.com/devstack/devstack/internal/containers"
	"github.com/devstack/devstack/internal/convert"
	"github.com/devstack/devstack/internal/dockerapi"
	"github.com/devstack/devstack/internal/logs"
	"github.com/devstack/devstack/internal/plan"
	"github.com/devstack/devstack/internal/progress"
	"github.com/devstack/devstack/internal/snapshot/manifest"
)

// RestoreOptions say which snapshot a restore brings back, and into what.
type RestoreOptions struct {
	Name   string
	Latest bool     // the newest snapshot instead of Name
	Keys   []string // only these volumes (external ones too: they were named); none: the snapshot's own
	Helper Helper
	// WaitTimeout bounds the wait for the restarted containers (0: none).
	WaitTimeout time.Duration
}

// RestoreResult is what a restore did.
type RestoreResult struct {
	Manifest  manifest.Manifest
	Volumes   []Volume // restored
	Skipped   []string // external volumes of the snapshot left alone (not named)
	Restarted []string // containers stopped for the restore and started again
}

// Restore replaces the content of the project's volumes with a snapshot's:
// it creates the volumes that do not exist (after down -v), stops the
// running containers that mount them, restores (the helper reads each
// archive once, checking its checksum while it unpacks it beside the
// volume's content, and swaps every volume in only when all matched: a
// damaged snapshot changes no volume), then starts those
// containers again, whatever happened, and waits for them as up --wait does.
func Restore(ctx context.Context, api dockerapi.API, p *types.Project, o RestoreOptions, out progress.Progress) (RestoreResult, error) {
	var res RestoreResult
	snaps, err := List(ctx, api, p.Name, o.Helper)
	if err != nil {
		return res, err
	}
	if res.Manifest, err = Find(snaps, p.Name, o.Name, o.Latest); err != nil {
		return res, err
	}
	if res.Volumes, res.Skipped, err = Targets(p, res.Manifest, o.Keys); err != nil {
		return res, err
	}
	created, err := createMissing(ctx, api, p, res.Volumes, out)
	if err != nil {
		return res, err
	}
	res.Restarted, err = restoreHeld(ctx, api, p.Name, res.Manifest.Name, res.Volumes, o, out)
	if err != nil {
		removeVolumes(ctx, api, created)
	}
	return res, err
}

// restoreHeld unpacks the snapshot beside the volumes' content while their
// users run (the helper's stage: each archive read once, its checksum
// checked on the way; a damaged snapshot stops nothing), then stops the
// running users for the swap only, starts them again and waits for them.
func restoreHeld(ctx context.Context, api dockerapi.API, project, name string, vols []Volume, o RestoreOptions, out progress.Progress) ([]string, error) {
	if _, err := Recover(ctx, api, project, out); err != nil {
		return nil, err
	}
	all, err := containers.Observe(ctx, api, project)
	if err != nil {
		return nil, err
	}
	if err := resolveAnonymous(vols, all); err != nil {
		return nil, err
	}
	keys := make([]string, len(vols))
	for i, v := range vols {
		keys[i] = v.Key
	}
	if err := runHelper(ctx, api, project, vols, o.Helper, append([]string{"stage", dir(project, name)}, keys...)...); err != nil {
		return nil, err
	}
	users := Users(all, vols)
	held, resume, err := hold(ctx, api, project, users, true, out)
	if err == nil {
		err = runHelper(ctx, api, project, vols, o.Helper, append([]string{"swap", dir(project, name)}, keys...)...)
	} else {
		_ = runHelper(context.WithoutCancel(ctx), api, project, vols, o.Helper, append([]string{"unstage", dir(project, name)}, keys...)...)
	}
	if rerr := resume(); err == nil {
		err = rerr
	}
	if err != nil {
		return held, err
	}
	if o.WaitTimeout > 0 {
		var cancel context.CancelFunc
		ctx, cancel = context.WithTimeout(ctx, o.WaitTimeout)
		defer cancel()
	}
	return held, waitReady(ctx, api, project, users, held, out)
}

// runHelper runs the helper once with the volumes mounted read-write.
func runHelper(ctx context.Context, api Engine, project string, vols []Volume, h Helper, args ...string) error {
	j, err := h.prepare(ctx, api, project, vols, false, args...)
	if err != nil {
		return err
	}
	defer j.remove(ctx)
	_, err = j.run(ctx)
	return err
}

// waitReady waits for the containers named held, as up --wait does.
func waitReady(ctx context.Context, api dockerapi.API, project string, users []plan.Container, held []string, out progress.Progress) error {
	w := apply.Watch(ctx, logs.NewMonitor(api, project))
	for _, c := range users {
		if !slices.Contains(held, c.Name) {
			continue
		}
		st, err := api.ContainerInspect(ctx, c.ID)
		if err != nil {
			return containers.NamedError(c.Name, err)
		}
		hc := st.Config != nil && st.Config.Healthcheck != nil && len(st.Config.Healthcheck.Test) > 0 && st.Config.Healthcheck.Test[0] != "NONE"
		if err := apply.WaitReady(ctx, api, w, c, hc, out); err != nil {
			return err
		}
		if hc {
			progress.Status(out, progress.KindContainer, c.Name, "Healthy")
		}
	}
	return nil
}

// Targets are the project's volumes a restore of m writes: the
// snapshot's volumes (keys: only those), by the project's current names;
// external ones only when named in keys, else skipped.
func Targets(p *types.Project, m manifest.Manifest, keys []string) (vols []Volume, skipped []string, err error) {
	for _, k := range keys {
		if !slices.ContainsFunc(m.Volumes, func(v manifest.Volume) bool { return v.Key == k }) {
			return nil, nil, fmt.Errorf("snapshot %s has no volume %s", m.Name, k)
		}
	}
	for _, mv := range m.Volumes {
		if len(keys) > 0 && !slices.Contains(keys, mv.Key) {
			continue
		}
		if mv.Anonymous {
			if _, ok := p.Services[mv.Service]; !ok {
				return nil, nil, fmt.Errorf("snapshot %s: volume %s belongs to service %s, which the compose file no longer declares", m.Name, mv.Key, mv.Service)
			}
			vols = append(vols, Volume{Key: mv.Key, Anonymous: true, Service: mv.Service, Number: mv.Number, Path: mv.Path})
			continue
		}
		pv, ok := p.Volumes[mv.Key]
		if !ok {
			return nil, nil, fmt.Errorf("%w: %s (in snapshot %s; the compose file no longer declares it)", ErrUnknownVolume, mv.Key, m.Name)
		}
		if bool(pv.External) && len(keys) == 0 {
			skipped = append(skipped, mv.Key)
			continue
		}
		vols = append(vols, Volume{Key: mv.Key, Name: convert.VolumeName(p, mv.Key), External: bool(pv.External)})
	}
	if len(vols) == 0 {
		return nil, skipped, fmt.Errorf("%w to restore from snapshot %s (external volumes only with --volume KEY)", ErrNoVolumes, m.Name)
	}
	return vols, skipped, nil
}

// createMissing creates the project's volumes that do not exist, as up
// would; an external one must exist. A tmpfs volume is refused first: it
// is empty again once the containers that mount it stop, so a restore
// could not put anything into it.
func createMissing(ctx context.Context, api dockerapi.VolumeAPI, p *types.Project, vols []Volume, out progress.Progress) ([]string, error) {
	list, err := api.VolumeList(ctx, volume.ListOptions{})
	if err != nil {
		return nil, err
	}
	have := map[string]*volume.Volume{}
	for _, v := range list.Volumes {
		have[v.Name] = v
	}
	for _, v := range vols {
		if v.Anonymous {
			continue
		}
		driver, opts := p.Volumes[v.Key].Driver, p.Volumes[v.Key].DriverOpts
		if ev := have[v.Name]; ev != nil {
			driver, opts = ev.Driver, ev.Options
		}
		if isTmpfs(driver, opts) {
			return nil, fmt.Errorf("volume %s is a tmpfs (driver_opts type: tmpfs): its content lasts only while a container mounts it, and a restore stops them: nothing restored", v.Name)
		}
	}
	var created []string
	for _, v := range vols {
		switch {
		case v.Anonymous:
			continue // its container's: resolveAnonymous
		case have[v.Name] != nil:
			continue
		case v.External:
			removeVolumes(ctx, api, created)
			return nil, fmt.Errorf("volume %q is declared external but does not exist", v.Name)
		}
		if _, err := api.VolumeCreate(ctx, convert.VolumeCreate(p, v.Key)); err != nil {
			removeVolumes(ctx, api, created)
			return nil, fmt.Errorf("creating volume %s: %w", v.Name, err)
		}
		created = append(created, v.Name)
		progress.Status(out, progress.KindVolume, v.Name, "Created")
	}
	return created, nil
}

// removeVolumes removes the volumes a failed restore created (empty).
func removeVolumes(ctx context.Context, api dockerapi.VolumeAPI, names []string) {
	ctx = context.WithoutCancel(ctx)
	for _, n := range names {
		_ = api.VolumeRemove(ctx, n, false)
	}
}
