package dockerapi

import (
	"testing"

	"github.com/docker/docker/api/types/container"
)

// A crash loop under a restart policy: each exit counts a restart and
// leaves the container restarting (running, as Docker reports it) until
// the delay is over; after its failures it stays up. Without a policy, or
// once on-failure's retries are spent, the container stays exited.
func TestFakeRestartPolicy(t *testing.T) {
	state := func(f *FakeClient, ref string) (string, bool, int, int) {
		st := must(f.ContainerInspect(ctx, ref))
		return string(st.State.Status), st.State.Running, st.State.ExitCode, st.RestartCount
	}
	want := func(f *FakeClient, ref, status string, running bool, code, restarts int) {
		t.Helper()
		s, r, c, n := state(f, ref)
		if s != status || r != running || c != code || n != restarts {
			t.Fatalf("%s: got %s running=%v exit %d, %d restarts; want %s running=%v exit %d, %d restarts", ref, s, r, c, n, status, running, code, restarts)
		}
	}
	f := NewFakeClient()
	f.AddImage("busybox", nil)
	create(t, f, "loop", nil, &container.HostConfig{RestartPolicy: container.RestartPolicy{Name: container.RestartPolicyAlways}})
	f.CrashLoop("loop", 3, 2, "boom")
	noErr(t, f.ContainerStart(ctx, "loop", container.StartOptions{}))
	want(f, "loop", "restarting", true, 3, 1)
	noErr(t, f.RestartDue("loop"))
	want(f, "loop", "restarting", true, 3, 2)
	noErr(t, f.RestartDue("loop"))
	want(f, "loop", "running", true, 0, 2)
	if err := f.RestartDue("loop"); err == nil {
		t.Fatal("RestartDue of a running container")
	}
	noErr(t, f.ContainerStop(ctx, "loop", container.StopOptions{}))
	want(f, "loop", "exited", false, 0, 2)

	create(t, f, "once", nil, nil)
	f.CrashLoop("once", 1, 5)
	noErr(t, f.ContainerStart(ctx, "once", container.StartOptions{}))
	want(f, "once", "exited", false, 1, 0)

	create(t, f, "capped", nil, &container.HostConfig{RestartPolicy: container.RestartPolicy{Name: container.RestartPolicyOnFailure, MaximumRetryCount: 1}})
	f.CrashLoop("capped", 2, 5)
	noErr(t, f.ContainerStart(ctx, "capped", container.StartOptions{}))
	want(f, "capped", "restarting", true, 2, 1)
	noErr(t, f.RestartDue("capped"))
	want(f, "capped", "exited", false, 2, 1)
}
