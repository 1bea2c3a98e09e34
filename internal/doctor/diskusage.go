package doctor

import (
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/docker/docker/api/types"
	"github.com/docker/docker/api/types/container"
)

// DiskUser is what the disk check asks of the engine: its own account of
// what it stores (GET /system/df, docker system df), for a local or a
// remote engine alike.
type DiskUser interface {
	DiskUsage(ctx context.Context, options types.DiskUsageOptions) (types.DiskUsage, error)
}

// DefaultDiskUsageTimeout bounds the engine's answer: it adds up every
// image, container, volume and build cache record, which takes long on a
// big engine.
const DefaultDiskUsageTimeout = 15 * time.Second

// noteReclaimable is how much reclaimable space makes a kind worth a note.
const noteReclaimable = 1 << 30

// Usage is one kind of object the engine stores, as docker system df
// counts it.
type Usage struct {
	Kind             string `json:"kind"` // images, containers, volumes, build cache
	Count            int    `json:"count"`
	Active           int    `json:"active"` // in use by a container (build cache: by a build)
	SizeBytes        int64  `json:"size_bytes"`
	ReclaimableBytes int64  `json:"reclaimable_bytes"`
	// UpperBound: the sizes count shared layers once per image (Podman
	// does not say the size of the layers in all).
	UpperBound bool `json:"upper_bound,omitempty"`
}

// usageRemedies name what frees each kind's reclaimable space.
var usageRemedies = map[string]string{
	"images":      "docker image prune -a (removes the images no container uses)",
	"containers":  "docker container prune (removes stopped containers), or devstack down in their projects",
	"volumes":     "devstack down -v in a project you no longer need, or docker volume prune (anonymous volumes no container uses; -a for named ones too)",
	"build cache": "docker builder prune",
}

// DiskUsage reports the engine's disk usage, one line per kind, within
// timeout: a note with the remedy where 1 GiB or more could be reclaimed.
func DiskUsage(ctx context.Context, api DiskUser, timeout time.Duration) []Result {
	if timeout <= 0 {
		timeout = DefaultDiskUsageTimeout
	}
	ctx, cancel := context.WithTimeout(ctx, timeout)
	defer cancel()
	du, err := api.DiskUsage(ctx, types.DiskUsageOptions{})
	switch {
	case errors.Is(err, context.DeadlineExceeded) || (err != nil && ctx.Err() != nil):
		return []Result{{Check: "disk", Status: Skip, Detail: fmt.Sprintf("the engine did not say its disk usage within %s (it adds up every image, container, volume and build cache record): run docker system df and wait", timeout)}}
	case err != nil:
		return []Result{{Check: "disk", Status: Skip, Detail: fmt.Sprintf("the engine did not say its disk usage: %v", err)}}
	}
	var out []Result
	for _, u := range usages(du) {
		out = append(out, usageResult(u))
	}
	return out
}

// usages adds up the engine's answer per kind as docker system df does. Pure.
func usages(du types.DiskUsage) []Usage {
	images := imageUsage(du)
	containers := Usage{Kind: "containers", Count: len(du.Containers)}
	for _, c := range du.Containers {
		if c == nil {
			continue
		}
		containers.SizeBytes += c.SizeRw
		if active(c.State) {
			containers.Active++
		} else {
			containers.ReclaimableBytes += c.SizeRw
		}
	}
	volumes := Usage{Kind: "volumes", Count: len(du.Volumes)}
	for _, v := range du.Volumes {
		if v == nil || v.UsageData == nil {
			continue
		}
		size := max(0, v.UsageData.Size) // -1: not known (a driver other than local)
		volumes.SizeBytes += size
		if v.UsageData.RefCount > 0 {
			volumes.Active++
		} else {
			volumes.ReclaimableBytes += size
		}
	}
	cache := Usage{Kind: "build cache", Count: len(du.BuildCache)}
	for _, b := range du.BuildCache {
		if b == nil || b.Shared {
			continue
		}
		cache.SizeBytes += b.Size
		if b.InUse {
			cache.Active++
		} else {
			cache.ReclaimableBytes += b.Size
		}
	}
	return []Usage{images, containers, volumes, cache}
}

// imageUsage is the images' part of usages: all their layers, and those
// only images no container uses hold. An engine that does not say the
// size of all layers (Podman) gets the sum of its images' sizes instead.
func imageUsage(du types.DiskUsage) Usage {
	u := Usage{Kind: "images", Count: len(du.Images), SizeBytes: du.LayersSize}
	var used, sum, unused int64
	for _, i := range du.Images {
		if i == nil {
			continue
		}
		sum += max(0, i.Size)
		if i.Containers <= 0 {
			unused += max(0, i.Size)
			continue
		}
		u.Active++
		if i.Size >= 0 && i.SharedSize >= 0 {
			used += i.Size - i.SharedSize
		}
	}
	u.ReclaimableBytes = max(0, du.LayersSize-used)
	if du.LayersSize == 0 && sum > 0 {
		u.SizeBytes, u.ReclaimableBytes, u.UpperBound = sum, unused, true
	}
	return u
}

// active tells whether a container of this state keeps its layer in use.
func active(state container.ContainerState) bool {
	switch state {
	case container.StateRunning, container.StatePaused, container.StateRestarting:
		return true
	}
	return false
}

// usageResult is one kind's line. Pure.
func usageResult(u Usage) Result {
	atMost := ""
	if u.UpperBound {
		atMost = "at most "
	}
	detail := fmt.Sprintf("the engine's %s: %d, %d in use, %s%s, %s%s reclaimable", u.Kind, u.Count, u.Active,
		atMost, bytes(uint64(max(0, u.SizeBytes))), atMost, bytes(uint64(max(0, u.ReclaimableBytes))))
	r := Result{Check: "disk", Status: OK, Detail: detail, Usage: &u}
	if u.ReclaimableBytes >= noteReclaimable {
		r.Status, r.Remedy = Note, usageRemedies[u.Kind]
	}
	return r
}
