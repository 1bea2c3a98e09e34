//go:build linux

package e2e

import (
	"context"
	"fmt"
	"net"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"strings"
	"sync"

	"golang.org/x/sys/unix"
)

// busyboxTar is `docker save $IMAGE` from the machine's engine, made once
// per test binary and loaded into every rig engine.
var busyboxTar struct {
	once sync.Once
	path string
	err  error
}

func loadBusybox(e *nsEngine) error {
	busyboxTar.once.Do(func() {
		f, err := os.CreateTemp("", "dsrig-busybox-*.tar")
		if err != nil {
			busyboxTar.err = err
			return
		}
		f.Close()
		busyboxTar.path = f.Name()
		_, busyboxTar.err = dockerOut("save", "-o", f.Name(), busyboxImage)
	})
	if busyboxTar.err != nil {
		return busyboxTar.err
	}
	_, err := dockerHostOut(e.host(), "load", "-q", "-i", busyboxTar.path)
	return err
}

// removeBusyboxTar is called by TestMain.
func removeBusyboxTar() {
	if busyboxTar.path != "" {
		_ = os.Remove(busyboxTar.path)
	}
}

// dockerHostOut runs the docker CLI against the engine at host.
func dockerHostOut(host string, args ...string) (string, error) {
	return dockerEnvOut([]string{"DOCKER_HOST=" + host, "DOCKER_CONTEXT="}, args...)
}

// inNetns runs each command line (split on spaces) in network namespace ns.
func inNetns(ns string, cmds ...string) error {
	for _, c := range cmds {
		args := append([]string{"--net=" + filepath.Join(netnsDir, ns), "--"}, strings.Fields(c)...)
		if err := run("nsenter", args...); err != nil {
			return err
		}
	}
	return nil
}

func run(name string, args ...string) error {
	out, err := exec.Command(name, args...).CombinedOutput()
	if err != nil {
		return fmt.Errorf("%s %s: %v: %s", name, strings.Join(args, " "), err, strings.TrimSpace(string(out)))
	}
	return nil
}

func exists(path string) bool {
	_, err := os.Stat(path)
	return err == nil
}

// dialInNetns connects to addr from inside network namespace ns: the socket
// is created by a thread that entered ns (a socket stays in the namespace it
// was created in), and the thread goes back to the original namespace
// before it is unlocked. A thread that cannot go back stays locked and ends
// with the goroutine; that would send Pdeathsig to any child it forked, so
// it must stay the exception.
func dialInNetns(ctx context.Context, ns, addr string) (net.Conn, error) {
	type result struct {
		c   net.Conn
		err error
	}
	ch := make(chan result, 1)
	go func() {
		runtime.LockOSThread()
		orig, err := os.Open("/proc/thread-self/ns/net")
		if err != nil {
			runtime.UnlockOSThread()
			ch <- result{nil, err}
			return
		}
		defer orig.Close()
		f, err := os.Open(filepath.Join(netnsDir, ns))
		if err != nil {
			runtime.UnlockOSThread()
			ch <- result{nil, err}
			return
		}
		defer f.Close()
		if err := unix.Setns(int(f.Fd()), unix.CLONE_NEWNET); err != nil {
			runtime.UnlockOSThread()
			ch <- result{nil, fmt.Errorf("setns %s: %w", ns, err)}
			return
		}
		c, err := (&net.Dialer{}).DialContext(ctx, "tcp", addr)
		if unix.Setns(int(orig.Fd()), unix.CLONE_NEWNET) == nil {
			runtime.UnlockOSThread()
		}
		ch <- result{c, err}
	}()
	r := <-ch
	return r.c, r.err
}
