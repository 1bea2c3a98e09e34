package snapshot

import (
	"context"
	"strings"

	"github.com/docker/docker/api/types/container"
	"github.com/docker/docker/api/types/filters"

	"github.com/devstack/devstack/internal/containers"
	"github.com/devstack/devstack/internal/dockerapi"
	"github.com/devstack/devstack/internal/plan"
	"github.com/devstack/devstack/internal/progress"
)

// LabelPaused, on a save's helper container, lists the IDs of the
// containers that save pauses (comma-separated): a devstack killed during
// the copy (kill -9) leaves the helper, and so the names of what it paused.
const LabelPaused = "dev.devstack.snapshot.paused"

// pauseLabel is the helper's LabelPaused for a save that pauses users.
func pauseLabel(users []plan.Container, stop bool) map[string]string {
	var ids []string
	for _, c := range users {
		if c.State == "running" {
			ids = append(ids, c.ID)
		}
	}
	if stop || len(ids) == 0 {
		return nil
	}
	return map[string]string{LabelPaused: strings.Join(ids, ",")}
}

// Recover unpauses what a save of the project that was killed paused and
// removes its helper: the containers its helper's LabelPaused lists that
// are still paused, and only those (a container the user paused is on no
// such list). It answers the names of those it unpaused. Call it under
// the project's lock: a save running meanwhile would be cut short.
func Recover(ctx context.Context, api dockerapi.ContainerAPI, project string, out progress.Progress) ([]string, error) {
	left, err := api.ContainerList(ctx, container.ListOptions{All: true, Filters: filters.NewArgs(filters.Arg("label", LabelHelper+"="+project))})
	if err != nil {
		return nil, err
	}
	var unpaused []string
	for _, h := range left {
		ids, ok := h.Labels[LabelPaused]
		if !ok {
			continue
		}
		for _, id := range strings.Split(ids, ",") {
			st, err := api.ContainerInspect(ctx, id)
			if err != nil || st.State == nil || !st.State.Paused {
				continue // gone, or running again
			}
			name := strings.TrimPrefix(st.Name, "/")
			if err := api.ContainerUnpause(ctx, id); err != nil {
				return unpaused, containers.NamedError(name, err)
			}
			progress.Status(out, progress.KindContainer, name, "Unpaused")
			unpaused = append(unpaused, name)
		}
		if err := api.ContainerRemove(ctx, h.ID, container.RemoveOptions{Force: true}); err != nil {
			return unpaused, err
		}
	}
	return unpaused, nil
}
