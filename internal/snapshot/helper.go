package snapshot

import (
	"bytes"
	"context"
	"fmt"
	"path"
	"strings"
	"time"

	"github.com/containerd/errdefs"
	"github.com/docker/docker/api/types/container"
	"github.com/docker/docker/api/types/mount"
	"github.com/docker/docker/api/types/volume"
	"github.com/docker/docker/pkg/stdcopy"

	"github.com/devstack/devstack/internal/dockerapi"
	"github.com/devstack/devstack/internal/selfimage"
	"github.com/devstack/devstack/internal/snapshot/manifest"
)

const (
	// StoreVolume is the devstack-owned volume that holds every project's
	// snapshots on an engine, one directory a project.
	StoreVolume = manifest.StoreVolume
	// LabelStore marks StoreVolume.
	LabelStore = "dev.devstack.snapshots"
	// LabelHelper marks a helper container; its value is the project.
	LabelHelper = "dev.devstack.snapshot.helper"
	// Program is the helper program's name (cmd/devstack-snapshot).
	Program = "devstack-snapshot"

	storeDir   = "/snapshots"
	volumesDir = "/v"
)

// Engine is what the helper container asks of the engine.
type Engine interface {
	dockerapi.ContainerAPI
	dockerapi.VolumeAPI
	selfimage.Engine
}

// Helper runs the helper program in a container.
type Helper struct {
	// Image is the helper's image; "" makes it from the embedded program
	// (selfimage.Ensure). Tests set it.
	Image string
}

// helperError is the helper's own message for a failure.
type helperError struct {
	msg  string
	code int64
}

func (e *helperError) Error() string { return e.msg }
func (e *helperError) Unwrap() error {
	if e.code == manifest.ExitTooBig {
		return ErrTooBig
	}
	return ErrHelper
}

// job is a created, not yet started, helper container.
type job struct {
	api  Engine
	id   string
	name string
}

// dir is a snapshot's directory in the helper, or the project's when name
// is "".
func dir(project, name string) string { return path.Join(storeDir, project, name) }

// prepare creates the helper container for project that will run
// `devstack-snapshot ARGS...` with the store and the volumes (at /v/KEY)
// mounted; the volumes read-only when ro. The caller removes it (job.remove).
func (h Helper) prepare(ctx context.Context, api Engine, project string, vols []Volume, ro bool, args ...string) (*job, error) {
	return h.prepareAs(ctx, api, project, args[0], vols, ro, args...)
}

// prepareAs is prepare with the container named after role instead of the
// verb: the transfer container of an export or import is only created (the
// engine copies files through it) and runs, if ever, `devstack-snapshot
// discard`.
func (h Helper) prepareAs(ctx context.Context, api Engine, project, role string, vols []Volume, ro bool, args ...string) (*job, error) {
	return h.prepareWith(ctx, api, project, role, nil, vols, ro, args...)
}

// prepareWith is prepareAs with more labels on the container.
func (h Helper) prepareWith(ctx context.Context, api Engine, project, role string, labels map[string]string, vols []Volume, ro bool, args ...string) (*job, error) {
	img := h.Image
	if img == "" {
		var err error
		if img, err = selfimage.Ensure(ctx, api, selfimage.Spec{Program: Program}); err != nil {
			return nil, err
		}
	}
	if _, err := api.VolumeCreate(ctx, volume.CreateOptions{Name: StoreVolume, Labels: map[string]string{LabelStore: "1"}}); err != nil {
		return nil, fmt.Errorf("creating the volume %s: %w", StoreVolume, err)
	}
	mounts := []mount.Mount{{Type: mount.TypeVolume, Source: StoreVolume, Target: storeDir}}
	for _, v := range vols {
		mounts = append(mounts, mount.Mount{Type: mount.TypeVolume, Source: v.Name, Target: path.Join(volumesDir, v.Key), ReadOnly: ro})
	}
	name := Program + "-" + project + "-" + role
	if err := removeStale(ctx, api, name); err != nil {
		return nil, err
	}
	all := map[string]string{LabelHelper: project}
	for k, v := range labels {
		all[k] = v
	}
	resp, err := api.ContainerCreate(ctx,
		&container.Config{Image: img, Cmd: args, Labels: all},
		&container.HostConfig{NetworkMode: "none", Mounts: mounts}, nil, nil, name)
	if err != nil {
		return nil, fmt.Errorf("creating the snapshot helper: %w", err)
	}
	return &job{api: api, id: resp.ID, name: name}, nil
}

// removeStale removes a helper container a killed devstack left behind.
func removeStale(ctx context.Context, api Engine, name string) error {
	st, err := api.ContainerInspect(ctx, name)
	if errdefs.IsNotFound(err) {
		return nil
	}
	if err != nil {
		return err
	}
	if _, ours := st.Config.Labels[LabelHelper]; !ours {
		return fmt.Errorf("a container named %s exists and is not devstack's snapshot helper", name)
	}
	return api.ContainerRemove(ctx, st.ID, container.RemoveOptions{Force: true})
}

// run starts the helper and waits for it; it answers what it printed on
// stdout, or its message as the error. Cancelled, it stops the helper
// (SIGTERM: it cleans up) before it returns.
func (j *job) run(ctx context.Context) ([]byte, error) {
	waitC, errC := j.api.ContainerWait(ctx, j.id, container.WaitConditionNextExit)
	if err := j.api.ContainerStart(ctx, j.id, container.StartOptions{}); err != nil {
		return nil, fmt.Errorf("starting the snapshot helper: %w", err)
	}
	var code int64
	select {
	case w := <-waitC:
		code = w.StatusCode
	case err := <-errC:
		if ctx.Err() == nil {
			return nil, fmt.Errorf("waiting for the snapshot helper: %w", err)
		}
		j.stop()
		return nil, ctx.Err()
	case <-ctx.Done():
		j.stop()
		return nil, ctx.Err()
	}
	rc, err := j.api.ContainerLogs(ctx, j.id, container.LogsOptions{ShowStdout: true, ShowStderr: true})
	if err != nil {
		return nil, fmt.Errorf("reading the snapshot helper's output: %w", err)
	}
	defer rc.Close()
	var stdout, stderr bytes.Buffer
	if _, err := stdcopy.StdCopy(&stdout, &stderr, rc); err != nil {
		return nil, fmt.Errorf("reading the snapshot helper's output: %w", err)
	}
	if code != 0 {
		msg := lastLine(stderr.String())
		if msg == "" {
			msg = lastLine(stdout.String())
		}
		if msg == "" {
			msg = fmt.Sprintf("%s exited with code %d", Program, code)
		}
		return nil, &helperError{strings.TrimPrefix(msg, Program+": "), code}
	}
	return stdout.Bytes(), nil
}

// stop stops a helper that was cancelled, giving it time to clean up.
func (j *job) stop() {
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	t := 20
	_ = j.api.ContainerStop(ctx, j.id, container.StopOptions{Timeout: &t})
}

// remove removes the helper container, also after ctx ended.
func (j *job) remove(ctx context.Context) {
	ctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), 30*time.Second)
	defer cancel()
	_ = j.api.ContainerRemove(ctx, j.id, container.RemoveOptions{Force: true})
}

func lastLine(s string) string {
	lines := strings.Split(strings.TrimSpace(s), "\n")
	return strings.TrimSpace(lines[len(lines)-1])
}
