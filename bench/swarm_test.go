//go:build linux

package bench

import (
	"bufio"
	"context"
	"fmt"
	"net"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"sort"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/docker/docker/api/types/filters"
	"github.com/docker/docker/api/types/swarm"
	"github.com/docker/docker/client"
)

// swarmEngine is a one-node swarm for the deploy benchmarks: a dockerd of
// its own in a network namespace of its own (a veth pair inside it gives
// the swarm an address), so the machine's engine never enters swarm mode.
type swarmEngine struct {
	netns, dir, host string
	cmd              *exec.Cmd
	api              *client.Client
}

// startSwarmEngine starts it and registers its removal. Needs root.
func startSwarmEngine(b *testing.B) *swarmEngine {
	b.Helper()
	dir, err := os.MkdirTemp("", "dsb-")
	if err != nil {
		b.Fatal(err)
	}
	s := &swarmEngine{netns: "dsbench-" + randID(), dir: dir, host: "unix://" + filepath.Join(dir, "docker.sock")}
	b.Cleanup(func() { s.remove(b) })
	for _, c := range [][]string{
		{"ip", "netns", "add", s.netns},
		{"nsenter", "--net=/var/run/netns/" + s.netns, "ip", "link", "set", "lo", "up"},
		{"nsenter", "--net=/var/run/netns/" + s.netns, "ip", "link", "add", "d0", "type", "veth", "peer", "name", "d1"},
		{"nsenter", "--net=/var/run/netns/" + s.netns, "ip", "link", "set", "d1", "up"},
		{"nsenter", "--net=/var/run/netns/" + s.netns, "ip", "addr", "add", "10.78.0.1/24", "dev", "d0"},
		{"nsenter", "--net=/var/run/netns/" + s.netns, "ip", "link", "set", "d0", "up"},
		// nothing outside is reachable: fail at once instead of DNS timeouts
		{"nsenter", "--net=/var/run/netns/" + s.netns, "ip", "route", "add", "unreachable", "default"},
	} {
		if out, err := exec.Command(c[0], c[1:]...).CombinedOutput(); err != nil {
			b.Fatalf("%s: %v: %s", strings.Join(c, " "), err, out)
		}
	}
	if err := os.WriteFile(filepath.Join(dir, "daemon.json"), []byte("{}\n"), 0o644); err != nil {
		b.Fatal(err)
	}
	logf, err := os.Create(filepath.Join(dir, "dockerd.log"))
	if err != nil {
		b.Fatal(err)
	}
	defer logf.Close()
	s.cmd = exec.Command("nsenter", "--net=/var/run/netns/"+s.netns, "--", "dockerd",
		"--config-file", filepath.Join(dir, "daemon.json"), "--data-root", filepath.Join(dir, "data"),
		"--exec-root", filepath.Join(dir, "exec"), "--pidfile", filepath.Join(dir, "dockerd.pid"),
		"-H", s.host, "--shutdown-timeout", "2")
	s.cmd.Stdout, s.cmd.Stderr = logf, logf
	s.cmd.SysProcAttr = &syscall.SysProcAttr{Setpgid: true, Pdeathsig: syscall.SIGKILL}
	if err := s.cmd.Start(); err != nil {
		b.Fatal(err)
	}
	if s.api, err = client.NewClientWithOpts(client.WithHost(s.host), client.WithAPIVersionNegotiation()); err != nil {
		b.Fatal(err)
	}
	hc := http.Client{Timeout: 2 * time.Second, Transport: &http.Transport{
		DialContext: func(ctx context.Context, _, _ string) (net.Conn, error) {
			return (&net.Dialer{}).DialContext(ctx, "unix", strings.TrimPrefix(s.host, "unix://"))
		}}}
	for deadline := time.Now().Add(60 * time.Second); ; time.Sleep(100 * time.Millisecond) {
		if resp, err := hc.Get("http://engine/_ping"); err == nil {
			resp.Body.Close()
			break
		}
		if time.Now().After(deadline) {
			log, _ := os.ReadFile(filepath.Join(dir, "dockerd.log"))
			b.Fatalf("bench swarm engine not answering within 60s:\n%s", log)
		}
	}
	load := exec.Command("sh", "-c", `docker save "$0" | DOCKER_HOST="$1" docker load -q`, benchImage, s.host)
	if out, err := load.CombinedOutput(); err != nil {
		b.Fatalf("loading %s: %v: %s", benchImage, err, out)
	}
	s.docker(b, "swarm", "init", "--advertise-addr", "10.78.0.1")
	return s
}

// docker runs the docker CLI against the swarm engine.
func (s *swarmEngine) docker(b *testing.B, args ...string) {
	b.Helper()
	cmd := exec.Command("docker", args...)
	cmd.Env = append(os.Environ(), "DOCKER_HOST="+s.host, "DOCKER_CONTEXT=")
	if out, err := cmd.CombinedOutput(); err != nil {
		b.Fatalf("docker %s: %v: %s", strings.Join(args, " "), err, out)
	}
}

// devstack runs devstack -f file -p ns args... against the swarm engine
// and returns its wall time.
func (s *swarmEngine) devstack(b *testing.B, file, ns string, args ...string) time.Duration {
	b.Helper()
	cmd := exec.Command(devstackBin, append([]string{"-f", file, "-p", ns}, args...)...)
	cmd.Env = append(os.Environ(), "DOCKER_HOST="+s.host, "DOCKER_CONTEXT=")
	start := time.Now()
	out, err := cmd.CombinedOutput()
	took := time.Since(start)
	if err != nil {
		b.Fatalf("devstack %s: %v\n%s", strings.Join(args, " "), err, out)
	}
	return took
}

// waitConverged polls (every 100 ms) until n services of stack ns each run
// all their desired tasks: what a user of docker stack deploy waits for.
func (s *swarmEngine) waitConverged(b *testing.B, ns string, n int) {
	b.Helper()
	f := filters.NewArgs(filters.Arg("label", "com.docker.stack.namespace="+ns))
	for deadline := time.Now().Add(cmdTimeout); time.Now().Before(deadline); time.Sleep(100 * time.Millisecond) {
		list, err := s.api.ServiceList(context.Background(), swarm.ServiceListOptions{Filters: f, Status: true})
		if err != nil {
			b.Fatal(err)
		}
		done := 0
		for _, svc := range list {
			if st := svc.ServiceStatus; st != nil && st.DesiredTasks > 0 && st.RunningTasks == st.DesiredTasks {
				done++
			}
		}
		if done == n {
			return
		}
	}
	b.Fatalf("stack %s: not converged within %v", ns, cmdTimeout)
}

// remove kills the daemon and its containers and removes the namespace and
// the data.
func (s *swarmEngine) remove(b *testing.B) {
	if s.api != nil {
		s.api.Close()
	}
	if s.cmd != nil && s.cmd.Process != nil {
		_ = syscall.Kill(-s.cmd.Process.Pid, syscall.SIGKILL)
		_ = s.cmd.Wait()
	}
	killShimsUnder(s.dir)
	if out, err := exec.Command("ip", "netns", "del", s.netns).CombinedOutput(); err != nil {
		b.Logf("ip netns del %s: %v: %s", s.netns, err, out)
	}
	for i := 0; i < 5; i++ {
		unmountUnder(s.dir)
		if err := os.RemoveAll(s.dir); err == nil {
			return
		}
		time.Sleep(200 * time.Millisecond)
	}
	b.Errorf("could not remove %s", s.dir)
}

// killShimsUnder kills the containerd shims whose command line names a
// socket under dir (only ours can), and first their children, the
// containers' init processes.
func killShimsUnder(dir string) {
	procs, _ := filepath.Glob("/proc/[0-9]*/cmdline")
	shims := map[int]bool{}
	for _, p := range procs {
		data, err := os.ReadFile(p)
		var pid int
		if _, serr := fmt.Sscanf(p, "/proc/%d/cmdline", &pid); err == nil && serr == nil &&
			strings.Contains(string(data), "containerd-shim") && strings.Contains(string(data), dir+"/") {
			shims[pid] = true
		}
	}
	for _, p := range procs {
		data, err := os.ReadFile(strings.TrimSuffix(p, "cmdline") + "stat")
		if err != nil {
			continue
		}
		var pid, ppid int
		var state string
		rest := string(data[strings.LastIndexByte(string(data), ')')+1:])
		if _, err := fmt.Sscanf(p, "/proc/%d/cmdline", &pid); err == nil {
			if _, err := fmt.Sscan(rest, &state, &ppid); err == nil && shims[ppid] {
				_ = syscall.Kill(pid, syscall.SIGKILL)
			}
		}
	}
	for pid := range shims {
		_ = syscall.Kill(pid, syscall.SIGKILL)
	}
}

// unmountUnder lazily unmounts what is mounted under dir, deepest first.
func unmountUnder(dir string) {
	f, err := os.Open("/proc/self/mounts")
	if err != nil {
		return
	}
	defer f.Close()
	var points []string
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		if fields := strings.Fields(sc.Text()); len(fields) > 1 && strings.HasPrefix(fields[1], dir+"/") {
			points = append(points, fields[1])
		}
	}
	sort.Sort(sort.Reverse(sort.StringSlice(points)))
	for _, p := range points {
		_ = syscall.Unmount(p, syscall.MNT_DETACH)
	}
}
