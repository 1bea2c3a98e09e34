package doctor

import (
	"context"
	"fmt"
	"strings"
	"time"

	"github.com/devstack/devstack/internal/diskspace"
)

// Free space below which the disk check warns: what a few images and a
// build need.
const (
	minFreeBytes   = 2 << 30
	minFreePercent = 5
)

// Statfs says how many bytes a file system has free and in all.
type Statfs func(path string) (free, total uint64, err error)

// HostStatfs is Statfs of this machine.
var HostStatfs Statfs = diskspace.Of

// Space is a file system's free space, for doctor's JSON.
type Space struct {
	Path       string `json:"path"`
	FreeBytes  uint64 `json:"free_bytes"`
	TotalBytes uint64 `json:"total_bytes"`
}

// DiskAPI is what the disk check asks of the engine.
type DiskAPI interface {
	Informer
	DiskUser
}

// Disk checks the free space of the engine's data root (when the engine
// runs on this machine: its daemon host is a unix socket), what the
// engine itself stores (its images, containers, volumes and build cache,
// for any engine; bounded by dfTimeout) and the free space of the project
// directory.
func Disk(ctx context.Context, api DiskAPI, daemonHost, projectDir string, statfs Statfs, dfTimeout time.Duration) []Result {
	var out []Result
	info, err := api.Info(ctx)
	switch {
	case err != nil:
		out = append(out, Result{Check: "disk", Status: Skip, Detail: fmt.Sprintf("the engine's data root is unknown: %v", err)})
	case !strings.HasPrefix(daemonHost, "unix://") || info.DockerRootDir == "":
		out = append(out, Result{Check: "disk", Status: Skip, Detail: fmt.Sprintf("the free space of the engine's data root %s is not known here: the engine runs on another machine", info.DockerRootDir)})
	default:
		out = append(out, diskOf("the engine's data root", info.DockerRootDir, statfs,
			"remove what is unused: docker system prune (images, stopped containers, build cache), docker builder prune, devstack down -v for a project's volumes"))
	}
	out = append(out, DiskUsage(ctx, api, dfTimeout)...)
	if projectDir != "" {
		out = append(out, diskOf("the project directory", projectDir, statfs, "free space on that disk"))
	}
	return out
}

func diskOf(what, path string, statfs Statfs, remedy string) Result {
	free, total, err := statfs(path)
	if err != nil {
		return Result{Check: "disk", Status: Skip, Detail: fmt.Sprintf("%s %s: %v", what, path, err)}
	}
	return diskResult(what, path, free, total, remedy)
}

// diskResult judges free space. Pure.
func diskResult(what, path string, free, total uint64, remedy string) Result {
	detail := fmt.Sprintf("%s %s has %s free of %s", what, path, bytes(free), bytes(total))
	space := &Space{Path: path, FreeBytes: free, TotalBytes: total}
	if free < minFreeBytes || (total > 0 && free*100 < total*minFreePercent) {
		return Result{Check: "disk", Status: Warn, Detail: detail, Remedy: remedy, Space: space}
	}
	return Result{Check: "disk", Status: OK, Detail: detail, Space: space}
}

// bytes is n in the largest binary unit that keeps it at least 1.
func bytes(n uint64) string {
	const unit = 1024
	if n < unit {
		return fmt.Sprintf("%d B", n)
	}
	div, exp := uint64(unit), 0
	for m := n / unit; m >= unit; m /= unit {
		div *= unit
		exp++
	}
	return fmt.Sprintf("%.1f %ciB", float64(n)/float64(div), "KMGTPE"[exp])
}
