//go:build linux

package e2e

import (
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"syscall"
	"time"
)

// teardown removes the whole rig: the registry, every daemon, leftover
// container shims, the namespaces (and with them every link and bridge,
// docker_gwbridge included), mounts under the rig's dir and the dir. The
// daemons are killed, not stopped: a graceful stop (or a swarm leave) would
// wait for every task's stop grace period, for state that is deleted next.
func (r *rig) teardown(logf func(...any)) {
	r.mu.Lock()
	defer r.mu.Unlock()
	if r.hub == "" {
		return
	}
	start := time.Now()
	r.each(func(e *nsEngine) error {
		if e.cmd != nil {
			// The process group: dockerd and the helpers it re-execs
			// (one that is mid-way could mount after dockerd died).
			_ = syscall.Kill(-e.cmd.Process.Pid, syscall.SIGKILL)
			<-e.done
			e.cmd = nil
		}
		return nil
	}, logf)
	for _, reg := range r.registries {
		reg.stop(0)
	}
	killShims(r.dir)
	for _, name := range r.order {
		if err := run("ip", "netns", "del", r.engines[name].netns); err != nil {
			logf(err)
		}
	}
	if err := run("ip", "netns", "del", r.hub); err != nil {
		logf(err)
	}
	for i := 0; ; i++ {
		err := unmountUnder(r.dir)
		if err == nil {
			err = os.RemoveAll(r.dir)
		}
		if err == nil || i == 5 {
			if err != nil {
				logf(err)
			}
			break
		}
		time.Sleep(200 * time.Millisecond)
	}
	r.hub = ""
	logf(fmt.Sprintf("rig removed in %v", time.Since(start).Round(time.Millisecond)))
}

// each runs f on every engine at once and logs the errors.
func (r *rig) each(f func(*nsEngine) error, logf func(...any)) {
	var wg sync.WaitGroup
	for _, name := range r.order {
		e := r.engines[name]
		wg.Add(1)
		go func() {
			defer wg.Done()
			if err := f(e); err != nil {
				logf(e.name + ": " + err.Error())
			}
		}()
	}
	wg.Wait()
}

// killShims kills the containerd shims that a daemon under dir left
// running (processes whose command line names a socket under dir: only
// ours can) and, first, their children, the containers' init processes
// (killing a pid namespace's init kills the whole container).
func killShims(dir string) {
	shims := map[int]bool{}
	for pid, cmdline := range processes() {
		if strings.Contains(cmdline, "containerd-shim") && strings.Contains(cmdline, dir+"/") {
			shims[pid] = true
		}
	}
	if len(shims) == 0 {
		return
	}
	for pid := range processes() {
		data, err := os.ReadFile(fmt.Sprintf("/proc/%d/stat", pid))
		if err != nil {
			continue
		}
		// pid (comm) state ppid ...: comm may contain spaces, so cut at the last ')'.
		rest := string(data[strings.LastIndexByte(string(data), ')')+1:])
		var state string
		var ppid int
		if _, err := fmt.Sscan(rest, &state, &ppid); err == nil && shims[ppid] {
			_ = syscall.Kill(pid, syscall.SIGKILL)
		}
	}
	for pid := range shims {
		_ = syscall.Kill(pid, syscall.SIGKILL)
	}
}

// processes maps the pids of the machine's processes to their command lines.
func processes() map[int]string {
	procs := map[int]string{}
	paths, _ := filepath.Glob("/proc/[0-9]*/cmdline")
	for _, p := range paths {
		data, err := os.ReadFile(p)
		var pid int
		if _, serr := fmt.Sscanf(p, "/proc/%d/cmdline", &pid); err == nil && serr == nil {
			procs[pid] = string(data)
		}
	}
	return procs
}
