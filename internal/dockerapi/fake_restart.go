package dockerapi

import (
	"github.com/docker/docker/api/types/container"
)

// The engine's restart policies: a process that exits on its own (Exit,
// ExitOnStart, CrashLoop) is restarted when its container's policy says
// so. As Docker does, the engine counts the restart at once and keeps the
// container "restarting" (Running and Restarting) until its delay is over;
// RestartDue stands for that delay, so a test decides when it ends. A stop
// or kill is never followed by a restart.

// processExit ends c's process with code as its own exit, and puts c in
// the restarting state when its restart policy restarts it.
func (f *FakeClient) processExit(c *fakeContainer, code int) {
	f.exit(c, code)
	if c.HostConfig == nil || !restarts(c.HostConfig.RestartPolicy, code, c.RestartCount) {
		return
	}
	if _, removed := f.containers[c.ID]; !removed {
		return
	}
	c.RestartCount++
	s := c.State
	s.Status, s.Running, s.Restarting, s.Pid = container.StateRestarting, true, true, 0
}

// RestartDue ends a restarting container's delay: the engine starts it
// again (what its process does then is up to CrashLoop or ExitOnStart).
func (f *FakeClient) RestartDue(ref string) error {
	f.mu.Lock()
	defer f.mu.Unlock()
	c := f.container(ref)
	switch {
	case c == nil:
		return notFound("No such container: %s", ref)
	case !c.State.Restarting:
		return conflict("container %s is not restarting", c.name())
	}
	return f.start(c)
}

// CrashLoop makes the process of the container named name (created
// already or later) print lines and exit with code at each of its next n
// starts, and stay up from the start after those: a service that fails
// until what it needs is there. With a restart policy the engine
// restarts it in between (RestartDue).
func (f *FakeClient) CrashLoop(name string, code, n int, lines ...string) {
	f.mu.Lock()
	defer f.mu.Unlock()
	left := n
	f.onStart[name] = func(c *fakeContainer) {
		if left == 0 {
			return
		}
		left--
		for _, l := range lines {
			c.logs = append(c.logs, logLine{at: f.now(), text: l + "\n"})
		}
		f.processExit(c, code)
	}
}
