//go:build linux

package e2e

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"fmt"
	"net"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"syscall"
	"time"

	"github.com/rogpeppe/go-internal/testscript"
)

// A rig is one script's private network of Docker engines: a "hub" network
// namespace holding a bridge (10.77.0.1/24) and, per engine, a network
// namespace whose eth0 is a veth into that bridge, with a dockerd of its own
// (own data root, exec root, pid file, unix socket, hostname). Nothing is
// created in the machine's own network namespace, so the host's iptables
// (Docker's FORWARD DROP on bridged traffic) never see the rig's packets,
// every rig can use the same subnet, and deleting the namespaces removes
// every link. The rig lives in a temp dir with a short path (unix socket
// paths are limited to 108 bytes).
type rig struct {
	mu         sync.Mutex
	id         string // random, names the namespaces: dsrig-<id>-hub, dsrig-<id>-<engine>
	dir        string
	hub        string // hub namespace name; "" until the first engine starts
	engines    map[string]*nsEngine
	order      []string        // engine names in start order (the IP follows it)
	registries []*registryProc // docker-registry in the hub namespace
}

// nsEngine is one dockerd of a rig.
type nsEngine struct {
	name, netns, dir, ip string
	cmd                  *exec.Cmd
	done                 chan struct{}
}

const (
	rigSubnet   = "10.77.0.0/24"
	rigHubIP    = "10.77.0.1"
	rigRegistry = rigHubIP + ":5000"
	netnsDir    = "/var/run/netns"
)

type rigKey struct{}

// newRig registers an empty rig for a script; its teardown runs in the
// script's subtest Cleanup (after background commands have been stopped).
func newRig(env *testscript.Env) {
	r := &rig{engines: map[string]*nsEngine{}}
	env.Values[rigKey{}] = r
	if c, ok := env.T().(interface{ Cleanup(func()) }); ok {
		c.Cleanup(func() { r.teardown(env.T().Log) })
	} else {
		env.Defer(func() { r.teardown(env.T().Log) })
	}
}

func scriptRig(ts *testscript.TestScript) *rig {
	r, ok := ts.Value(rigKey{}).(*rig)
	if !ok {
		ts.Fatalf("no rig for this script")
	}
	return r
}

// cmdNsengine implements `nsengine start NAME` and `nsengine stop NAME`.
// start runs a dockerd in a network namespace of its own (see rig), waits
// until it answers, loads $IMAGE into it and sets NAME_HOST (upper-cased:
// NODE1_HOST) to unix:///.../docker.sock and NAME_IP to its address on the
// rig's bridge. stop stops the daemon (SIGTERM; its containers stop with
// it) and keeps its namespace and data root: a later start of the same NAME
// runs it again on them, as a rebooted machine. Everything goes when the
// script ends.
func cmdNsengine(ts *testscript.TestScript, neg bool, args []string) {
	empty := len(args) == 3 && args[0] == "start" && args[1] == "-empty"
	if empty {
		args = []string{"start", args[2]}
	}
	if neg || len(args) != 2 || (args[0] != "start" && args[0] != "stop") {
		ts.Fatalf("usage: nsengine start [-empty] NAME | nsengine stop NAME")
	}
	r := scriptRig(ts)
	name := args[1]
	if args[0] == "stop" {
		r.mu.Lock()
		e := r.engines[name]
		r.mu.Unlock()
		if e == nil || e.cmd == nil {
			ts.Fatalf("nsengine stop %s: not running", name)
		}
		ts.Check(e.stop())
		return
	}
	e, err := r.start(name, !empty)
	ts.Check(err)
	exportEngine(ts, e)
}

func exportEngine(ts *testscript.TestScript, e *nsEngine) {
	prefix := strings.ToUpper(nonEnvChars.ReplaceAllString(e.name, "_"))
	ts.Setenv(prefix+"_HOST", e.host())
	ts.Setenv(prefix+"_IP", e.ip)
}

func (e *nsEngine) host() string { return "unix://" + e.sock() }
func (e *nsEngine) sock() string { return filepath.Join(e.dir, "docker.sock") }

// start starts engine name, creating its namespace and data root the first
// time, and then loading the busybox test image into it when withBusybox
// (-empty: an engine with no image at all). Safe to call from several
// goroutines.
func (r *rig) start(name string, withBusybox bool) (*nsEngine, error) {
	r.mu.Lock()
	if err := r.ensureHub(); err != nil {
		r.mu.Unlock()
		return nil, err
	}
	e := r.engines[name]
	if e != nil && e.cmd != nil {
		r.mu.Unlock()
		return nil, fmt.Errorf("nsengine %s is already running", name)
	}
	if e == nil {
		r.order = append(r.order, name)
		n := len(r.order) // read under the lock: other engines start alongside
		e = &nsEngine{
			name:  name,
			netns: "dsrig-" + r.id + "-" + name,
			dir:   filepath.Join(r.dir, name),
			ip:    fmt.Sprintf("10.77.0.%d", 10+n),
		}
		r.engines[name] = e
		r.mu.Unlock()
		if err := r.plug(e, n); err != nil {
			return nil, err
		}
	} else {
		r.mu.Unlock()
	}
	fresh := !exists(filepath.Join(e.dir, "data"))
	if err := e.run(); err != nil {
		return nil, err
	}
	if fresh && withBusybox {
		if err := loadBusybox(e); err != nil {
			return nil, err
		}
	}
	return e, nil
}

// ensureHub creates the rig's dir and hub namespace with its bridge. The
// caller holds r.mu.
func (r *rig) ensureHub() error {
	if r.hub != "" {
		return nil
	}
	b := make([]byte, 3)
	if _, err := rand.Read(b); err != nil {
		return err
	}
	dir, err := os.MkdirTemp("", "dsrig-")
	if err != nil {
		return err
	}
	r.id, r.dir = hex.EncodeToString(b), dir
	hub := "dsrig-" + r.id + "-hub"
	if err := run("ip", "netns", "add", hub); err != nil {
		return err
	}
	r.hub = hub
	return inNetns(hub,
		"ip link set lo up",
		"ip link add br0 type bridge",
		"ip addr add "+rigHubIP+"/24 dev br0",
		"ip link set br0 up")
}

// plug creates e's namespace and its veth into the hub's bridge (the
// engine's end is eth0 in its namespace, the hub's end vN).
func (r *rig) plug(e *nsEngine, n int) error {
	if err := os.MkdirAll(e.dir, 0o755); err != nil {
		return err
	}
	if err := run("ip", "netns", "add", e.netns); err != nil {
		return err
	}
	port := fmt.Sprintf("v%d", n)
	if err := run("ip", "link", "add", "eth0", "netns", e.netns, "type", "veth",
		"peer", "name", port, "netns", r.hub); err != nil {
		return err
	}
	if err := inNetns(r.hub, "ip link set "+port+" master br0 up"); err != nil {
		return err
	}
	return inNetns(e.netns,
		"ip link set lo up",
		"ip addr add "+e.ip+"/24 dev eth0",
		"ip link set eth0 up",
		// Nothing outside the rig is reachable: fail at once (a pull of an
		// image without a registry, which a swarm task tries before every
		// start, would otherwise wait ~25 s for DNS timeouts).
		"ip route add unreachable default")
}

// run starts e's dockerd and waits until it answers /_ping. nsenter, not
// `ip netns exec`: the latter remounts /sys and dockerd then fails with
// "Devices cgroup isn't mounted". unshare --uts gives the engine its own
// hostname (the node name in `docker node ls`).
func (e *nsEngine) run() error {
	if err := os.WriteFile(filepath.Join(e.dir, "daemon.json"), []byte("{}\n"), 0o644); err != nil {
		return err
	}
	logf, err := os.OpenFile(filepath.Join(e.dir, "dockerd.log"), os.O_CREATE|os.O_WRONLY|os.O_APPEND, 0o644)
	if err != nil {
		return err
	}
	defer logf.Close()
	_ = os.Remove(e.sock())
	cmd := exec.Command("nsenter", "--net="+filepath.Join(netnsDir, e.netns), "--",
		"unshare", "--uts", "--", "sh", "-c", `hostname "$0" && exec dockerd "$@"`, e.name,
		"--config-file", filepath.Join(e.dir, "daemon.json"),
		"--data-root", filepath.Join(e.dir, "data"),
		"--exec-root", filepath.Join(e.dir, "exec"),
		"--pidfile", filepath.Join(e.dir, "dockerd.pid"),
		"-H", e.host(),
		"--insecure-registry", rigSubnet,
		"--shutdown-timeout", "2")
	cmd.Stdout, cmd.Stderr = logf, logf
	// nsenter, unshare and sh exec each other: the process is dockerd. It
	// dies with the test binary.
	cmd.SysProcAttr = &syscall.SysProcAttr{Setpgid: true, Pdeathsig: syscall.SIGTERM}
	if err := cmd.Start(); err != nil {
		return err
	}
	e.cmd, e.done = cmd, make(chan struct{})
	go func(done chan struct{}) { _ = cmd.Wait(); close(done) }(e.done)
	c := http.Client{Timeout: 2 * time.Second, Transport: &http.Transport{
		DialContext: func(ctx context.Context, _, _ string) (net.Conn, error) {
			return (&net.Dialer{}).DialContext(ctx, "unix", e.sock())
		}}}
	for deadline := time.Now().Add(60 * time.Second); time.Now().Before(deadline); {
		select {
		case <-e.done:
			e.cmd = nil
			return fmt.Errorf("dockerd of %s exited:\n%s", e.name, e.log())
		case <-time.After(50 * time.Millisecond):
		}
		if resp, err := c.Get("http://engine/_ping"); err == nil {
			resp.Body.Close()
			if resp.StatusCode == http.StatusOK {
				return nil
			}
		}
	}
	_ = e.stop()
	return fmt.Errorf("dockerd of %s did not answer within 60s:\n%s", e.name, e.log())
}

// stop stops e's dockerd (SIGTERM; SIGKILL after 30 s) and kills what its
// containerd left running.
func (e *nsEngine) stop() error {
	if e.cmd == nil {
		return nil
	}
	_ = e.cmd.Process.Signal(syscall.SIGTERM)
	var err error
	select {
	case <-e.done:
	case <-time.After(30 * time.Second):
		_ = e.cmd.Process.Kill()
		<-e.done
		err = fmt.Errorf("dockerd of %s did not stop within 30s; killed", e.name)
	}
	e.cmd = nil
	killShims(filepath.Join(e.dir, "exec"))
	return err
}

func (e *nsEngine) log() string {
	data, _ := os.ReadFile(filepath.Join(e.dir, "dockerd.log"))
	if len(data) > 3000 {
		data = data[len(data)-3000:]
	}
	return string(data)
}
