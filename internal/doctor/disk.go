package doctor

import (
	"context"
	"fmt"
	"strings"

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

// Disk checks the free space of the engine's data root (when the engine
// runs on this machine: its daemon host is a unix socket) and of the
// project directory.
func Disk(ctx context.Context, api Informer, daemonHost, projectDir string, statfs Statfs) []Result {
	var out []Result
	info, err := api.Info(ctx)
	switch {
	case err != nil:
		out = append(out, Result{Check: "disk", Status: Skip, Detail: fmt.Sprintf("the engine's data root is unknown: %v", err)})
	case !strings.HasPrefix(daemonHost, "unix://") || info.DockerRootDir == "":
		out = append(out, Result{Check: "disk", Status: Skip, Detail: fmt.Sprintf("the engine's data root %s is not on this machine: see docker system df", info.DockerRootDir)})
	default:
		out = append(out, diskOf("the engine's data root", info.DockerRootDir, statfs,
			"remove what is unused: docker system prune (images, stopped containers, build cache), devstack down -v for a project's volumes"))
	}
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
	if free < minFreeBytes || (total > 0 && free*100 < total*minFreePercent) {
		return Result{Check: "disk", Status: Warn, Detail: detail, Remedy: remedy}
	}
	return Result{Check: "disk", Status: OK, Detail: detail}
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
