//go:build linux

// Package e2e runs testdata/script/*.txtar against the real devstack binary
// and a real Docker engine, with github.com/rogpeppe/go-internal/testscript.
// Linux only (network namespaces, Pdeathsig, the engine's socket); the
// other platforms are checked by make cross-check.
//
// Environment of every script:
//
//	PROJECT, COMPOSE_PROJECT_NAME  a unique compose project name; everything
//	                               labelled with it is removed after the script
//	IMAGE                          devstack-test/busybox:1 (see images_test.go)
//	REGISTRY                       127.0.0.1:5000 (started by `registry`)
//	NGINX_IMAGE, MYSQL_IMAGE, ...  stand-ins for the presets' official images
//	                               (standins_test.go); EXAMPLES: ../examples
//	HOME                           the script's work dir
//	PROJECT_LABEL                  $PROJECT as a DNS label, as the router's
//	                               names spell it ('_' as '-')
//	DEVSTACK_ROUTER=0              the local HTTPS router off (one for the
//	                               engine, on 127.0.0.1:443): router_* scripts
//	                               turn it on; DEVSTACK_E2E_ROUTER=1 turns it on
//	                               for every script
//	DEVSTACK_NO_SNAPSHOT=1         down -v's safety net off: snapshot_down_safety
//	                               turns it on; DEVSTACK_E2E_SNAPSHOT=1 leaves it on
//	DOCKER_BUILDKIT=0 (the classic builder; scripts about BuildKit set
//	it empty, devstack's default), and DOCKER_HOST/DOCKER_TLS_VERIFY/
//	DOCKER_CERT_PATH when set for the test binary. PATH starts with the
//	freshly built devstack.
//
// Commands besides testscript's own: waitfor, httpget, freeport, holdport,
// sleep (below), waitstatus (waitstatus_test.go), registry, pushimage
// (registry_test.go), tmpfs (tmpfs_test.go), authregistry
// (authregistry_test.go), nsengine (netns_test.go: a dockerd in a network
// namespace of its own) and swarmrig (swarmrig_test.go: a swarm of them,
// with a registry every node can pull from; waitrunning SERVICE N waits
// for a swarm service's tasks; rigauthregistry, rigregistry_test.go: a rig
// registry that needs a login), sshd (sshd_test.go: a private
// OpenSSH server reaching the engine, for ssh:// endpoints), tlsproxy
// (tlsproxy_test.go: the engine over TLS with client certificates, and the
// certificates), slowengine (slowengine_test.go: an engine proxy that holds
// chosen calls' answers), tcpproxy (tcpproxy_test.go: the engine on a
// loopback tcp:// address) and engineproxy (tui_test.go: an engine proxy the
// script can cut and restore), atexit (browser_test.go: a command run when
// the script ends, passed or failed) and exclusive (browser_test.go: a lock
// held until the script ends). Use `exec docker` for docker queries.
//
// With no engine answering, plain `go test` skips the package with one line
// saying so; make test sets DEVSTACK_E2E=1, and then (as with CI,
// DEVSTACK_E2E_SWARM or DEVSTACK_E2E_RACES set) a Docker engine that does
// not answer fails it (internal/enginetest). DEVSTACK_E2E=skip skips it
// whatever answers. DEVSTACK_E2E_RACES=1 also runs the scripts marked
// [races] (clients racing outside the lock; not yet stable under load),
// DEVSTACK_E2E_SWARM=1 those marked [swarm] (make test-swarm), and
// DEVSTACK_E2E_K8S=1 the Kubernetes scripts, testdata/k8s (make test-k8s).
package e2e

import (
	"crypto/rand"
	"encoding/hex"
	"flag"
	"fmt"
	"io"
	mathrand "math/rand/v2"
	"net"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/devstack/devstack/internal/enginetest"
	"github.com/rogpeppe/go-internal/testscript"
)

const projectLabel = "com.docker.compose.project"

var (
	onPodman bool     // the engine is Podman's Docker-compatible API ([podman])
	projects sync.Map // project names handed to scripts, swept at the end
	ports    sync.Map // ports handed out by freeport, never handed out twice
)

func TestMain(m *testing.M) {
	os.Exit(enginetest.Main("e2e", "make test", func() int { return runMain(m) }))
}

func runMain(m *testing.M) int {
	flag.Parse()
	binDir, err := os.MkdirTemp("", "devstack-e2e-bin-")
	if err != nil {
		fmt.Fprintln(os.Stderr, "e2e:", err)
		return 1
	}
	defer os.RemoveAll(binDir)
	defer stopRegistry()
	defer removeBusyboxTar()
	defer removeNewEngineObjects(listEngineObjects())
	if err := prepare(binDir); err != nil {
		fmt.Fprintln(os.Stderr, "e2e: setup failed:", err)
		return 1
	}
	return m.Run()
}

// prepare checks the engine, builds devstack into binDir (put first on
// PATH) and builds the test images.
func prepare(binDir string) error {
	start := time.Now()
	if _, err := dockerOut("info", "--format", "{{.ServerVersion}}"); err != nil {
		return fmt.Errorf("docker engine not answering, and one is expected (DEVSTACK_E2E, DEVSTACK_E2E_SWARM, DEVSTACK_E2E_RACES or CI set; DEVSTACK_E2E=skip skips these tests): %w", err)
	}
	components, err := dockerOut("version", "--format", "{{range .Server.Components}}{{.Name}};{{end}}")
	if err != nil {
		return err
	}
	onPodman = strings.Contains(strings.ToLower(components), "podman")
	// The receivers first, as make build does, so that watch's scripts run
	// the devstack-receiver embedded in the binary; then devstack and its
	// helpers (BuildKit, Kubernetes), side by side as make install puts them.
	gen := exec.Command("go", "generate", "./internal/watch/inject")
	gen.Dir = ".."
	if out, err := gen.CombinedOutput(); err != nil {
		return fmt.Errorf("go generate ./internal/watch/inject: %v\n%s", err, out)
	}
	// routerecho (testdata/routerecho): the router scripts' WebSocket and
	// SSE server, copied into a FROM scratch image, and their client;
	// tlsget (testdata/tlsget): an HTTPS client for inside containers.
	build := exec.Command("go", "build", "-o", binDir+string(filepath.Separator), ".", "./cmd/devstack-buildkit", "./cmd/devstack-kube", "./e2e/testdata/routerecho", "./e2e/testdata/tlsget")
	build.Dir = ".."
	build.Env = append(os.Environ(), "CGO_ENABLED=0") // static, as make build
	if out, err := build.CombinedOutput(); err != nil {
		return fmt.Errorf("go build: %v\n%s", err, out)
	}
	built := time.Now()
	if err := ensureImages(); err != nil {
		return err
	}
	if err := ensureStandins(); err != nil {
		return err
	}
	if testing.Verbose() {
		fmt.Fprintf(os.Stderr, "e2e: devstack built in %v, images ready in %v\n",
			built.Sub(start).Round(time.Millisecond), time.Since(built).Round(time.Millisecond))
	}
	return os.Setenv("PATH", binDir+string(os.PathListSeparator)+os.Getenv("PATH"))
}

// condition answers the harness's own script conditions: [races] holds
// when DEVSTACK_E2E_RACES is set, for scripts that race clients outside
// devstack's lock and are not yet stable on a loaded machine; [swarm] when
// DEVSTACK_E2E_SWARM is set (make test-swarm), for the slower scripts on a
// swarm rig; [k8s] when DEVSTACK_E2E_K8S is set (make test-k8s: a real
// single-node Kubernetes runs, k8s_test.go); [podman] when the engine is
// Podman (make test-podman), for `[podman] skip 'reason'` where a feature
// cannot work there; [chromium] when headless Chromium and certutil are
// there (browser_test.go); [root] when the tests run as root.
func condition(cond string) (bool, error) {
	switch cond {
	case "races":
		return os.Getenv("DEVSTACK_E2E_RACES") != "", nil
	case "swarm":
		return os.Getenv("DEVSTACK_E2E_SWARM") != "", nil
	case "k8s":
		return os.Getenv("DEVSTACK_E2E_K8S") != "", nil
	case "podman":
		return onPodman, nil
	case "chromium":
		return chromiumReady(), nil
	case "root":
		return os.Geteuid() == 0, nil
	}
	return false, fmt.Errorf("unknown condition %q", cond)
}

func TestScripts(t *testing.T) {
	runScripts(t, "testdata/script", map[string]func(*testscript.TestScript, bool, []string){
		"waitfor":         cmdWaitfor,
		"waitstatus":      cmdWaitstatus,
		"httpget":         cmdHTTPGet,
		"freeport":        cmdFreeport,
		"holdport":        cmdHoldport,
		"sleep":           cmdSleep,
		"registry":        cmdRegistry,
		"pushimage":       cmdPushimage,
		"authregistry":    cmdAuthRegistry,
		"tmpfs":           cmdTmpfs,
		"engineproxy":     cmdEngineProxy,
		"tcpproxy":        cmdTCPProxy,
		"sshd":            cmdSshd,
		"tlsproxy":        cmdTLSProxy,
		"slowengine":      cmdSlowEngine,
		"nsengine":        cmdNsengine,
		"swarmrig":        cmdSwarmrig,
		"rigauthregistry": cmdRigAuthRegistry,
		"waitrunning":     cmdWaitrunning,
		"retar":           cmdRetar,
		"ldmbomb":         cmdLdmbomb,
		"atexit":          cmdAtexit,
		"exclusive":       cmdExclusive,
	})
}

// runScripts runs the scripts in dir with the commands cmds besides
// testscript's own, each set up by setupScript, and sweeps what their
// projects left once all have ended.
func runScripts(t *testing.T, dir string, cmds map[string]func(*testscript.TestScript, bool, []string)) {
	t.Cleanup(func() { sweepProjects(t) })
	testscript.Run(t, testscript.Params{Dir: dir, Setup: setupScript, Condition: condition, Cmds: cmds})
}

// setupScript gives the script its environment and registers the removal of
// its project's resources once the script (and its background commands) end.
func setupScript(env *testscript.Env) error {
	project, err := projectName(strings.TrimPrefix(filepath.Base(env.WorkDir), "script-"))
	if err != nil {
		return err
	}
	projects.Store(project, true)
	for k, v := range map[string]string{
		"PROJECT": project, "COMPOSE_PROJECT_NAME": project, "IMAGE": busyboxImage,
		"REGISTRY": registryAddr, "HOME": env.WorkDir, "DOCKER_BUILDKIT": "0",
		"PROJECT_LABEL": strings.ReplaceAll(project, "_", "-"),
	} {
		env.Setenv(k, v)
	}
	for k, v := range standinEnv() {
		env.Setenv(k, v)
	}
	// The local HTTPS router is one container for the whole engine, on
	// 127.0.0.1:443: off unless a script turns it on (env DEVSTACK_ROUTER=1;
	// the router_* scripts), or DEVSTACK_E2E_ROUTER=1 turns it on for all.
	if os.Getenv("DEVSTACK_E2E_ROUTER") == "" {
		env.Setenv("DEVSTACK_ROUTER", "0")
	} else {
		env.Setenv("DEVSTACK_ROUTER", "1")
	}
	// down -v's safety net (a snapshot of the volumes it removes) runs a
	// helper container: off unless a script turns it on (env
	// DEVSTACK_NO_SNAPSHOT=; snapshot_down_safety), or DEVSTACK_E2E_SNAPSHOT=1
	// leaves it on for all.
	if os.Getenv("DEVSTACK_E2E_SNAPSHOT") == "" {
		env.Setenv("DEVSTACK_NO_SNAPSHOT", "1")
	}
	examples, err := filepath.Abs("../examples")
	if err != nil {
		return err
	}
	env.Setenv("EXAMPLES", examples)
	for _, k := range []string{"DOCKER_HOST", "DOCKER_TLS_VERIFY", "DOCKER_CERT_PATH"} {
		if v, ok := os.LookupEnv(k); ok {
			env.Setenv(k, v)
		}
	}
	newRig(env)
	clean := func() {
		for _, err := range removeProject(project) {
			env.T().Log("cleanup of " + project + ": " + err.Error())
		}
	}
	// A subtest Cleanup runs after testscript has stopped background commands
	// (`exec devstack up &`); env.Defer would run before.
	if c, ok := env.T().(interface{ Cleanup(func()) }); ok {
		c.Cleanup(clean)
	} else {
		env.Defer(clean)
	}
	return nil
}

var nonProjectChars = regexp.MustCompile(`[^a-z0-9_-]+`)

// projectName makes "dse2e-<script>-<6 hex>", a valid compose project name.
func projectName(script string) (string, error) {
	b := make([]byte, 3)
	if _, err := rand.Read(b); err != nil {
		return "", err
	}
	name := nonProjectChars.ReplaceAllString(strings.ToLower(script), "-")
	return "dse2e-" + name + "-" + hex.EncodeToString(b), nil
}

// cmdWaitfor implements `waitfor URL [TIMEOUT]`: polls URL until it answers
// 2xx, or fails after TIMEOUT (a Go duration or seconds; default 20s).
func cmdWaitfor(ts *testscript.TestScript, neg bool, args []string) {
	if neg || len(args) < 1 || len(args) > 2 {
		ts.Fatalf("usage: waitfor URL [TIMEOUT]")
	}
	timeout := 20 * time.Second
	if len(args) == 2 {
		timeout = parseDuration(ts, args[1])
	}
	var err error
	for deadline := time.Now().Add(timeout); time.Now().Before(deadline); time.Sleep(200 * time.Millisecond) {
		if _, err = httpGet(args[0]); err == nil {
			return
		}
	}
	ts.Fatalf("waitfor %s: no 2xx within %v: %v", args[0], timeout, err)
}

// cmdHTTPGet implements `httpget URL`: one GET; the body goes to stdout.
// Fails on a non-2xx status or no answer; `! httpget` expects exactly that
// and writes the error to stderr.
func cmdHTTPGet(ts *testscript.TestScript, neg bool, args []string) {
	if len(args) != 1 {
		ts.Fatalf("usage: httpget URL")
	}
	body, err := httpGet(args[0])
	fmt.Fprint(ts.Stdout(), body)
	if neg {
		if err == nil {
			ts.Fatalf("httpget %s: unexpected success", args[0])
		}
		fmt.Fprintln(ts.Stderr(), err)
		return
	}
	ts.Check(err)
}

func httpGet(url string) (string, error) {
	c := http.Client{Timeout: 5 * time.Second, Transport: &http.Transport{DisableKeepAlives: true}}
	resp, err := c.Get(url)
	if err != nil {
		return "", err
	}
	defer resp.Body.Close()
	body, err := io.ReadAll(io.LimitReader(resp.Body, 1<<20))
	if err == nil && resp.StatusCode/100 != 2 {
		err = fmt.Errorf("GET %s: %s", url, resp.Status)
	}
	return string(body), err
}

// cmdFreeport implements `freeport NAME...`: sets each env var NAME to a TCP
// port free on 127.0.0.1 (never the same port twice in one test run).
func cmdFreeport(ts *testscript.TestScript, neg bool, args []string) {
	if neg || len(args) == 0 {
		ts.Fatalf("usage: freeport NAME...")
	}
	for _, name := range args {
		ts.Setenv(name, strconv.Itoa(freePort(ts)))
	}
}

// freePort finds a TCP port free on 127.0.0.1, never handed out before in
// this test run. Ports come from below the kernel's ephemeral range
// (32768-60999), so a client connection's source port cannot take one
// between here and use.
func freePort(ts *testscript.TestScript) int {
	for i := 0; ; i++ {
		port := 20000 + mathrand.IntN(12000)
		l, err := net.Listen("tcp", net.JoinHostPort("127.0.0.1", strconv.Itoa(port)))
		if err != nil {
			if i > 1000 {
				ts.Fatalf("freeport: no free port found")
			}
			continue
		}
		l.Close()
		if _, taken := ports.LoadOrStore(port, true); !taken {
			return port
		}
	}
}

// cmdHoldport implements `holdport PORT` and `holdport NAME`: listens on
// 127.0.0.1:PORT until the script ends, to provoke "port already in use".
// Given a NAME, it listens on a free port of freeport's range and sets NAME
// to it: no window in which something else could take the port.
func cmdHoldport(ts *testscript.TestScript, neg bool, args []string) {
	if neg || len(args) != 1 {
		ts.Fatalf("usage: holdport PORT|NAME")
	}
	if _, err := strconv.Atoi(args[0]); err == nil {
		l, err := net.Listen("tcp", net.JoinHostPort("127.0.0.1", args[0]))
		ts.Check(err)
		ts.Defer(func() { l.Close() })
		return
	}
	for i := 0; i < 1000; i++ {
		port := 20000 + mathrand.IntN(12000)
		if _, taken := ports.LoadOrStore(port, true); taken {
			continue
		}
		l, err := net.Listen("tcp", net.JoinHostPort("127.0.0.1", strconv.Itoa(port)))
		if err != nil {
			continue
		}
		ts.Defer(func() { l.Close() })
		ts.Setenv(args[0], strconv.Itoa(port))
		return
	}
	ts.Fatalf("holdport: no free port found")
}

// cmdSleep implements `sleep DURATION` (a Go duration, or seconds).
func cmdSleep(ts *testscript.TestScript, neg bool, args []string) {
	if neg || len(args) != 1 {
		ts.Fatalf("usage: sleep DURATION")
	}
	time.Sleep(parseDuration(ts, args[0]))
}

func parseDuration(ts *testscript.TestScript, s string) time.Duration {
	if secs, err := strconv.ParseFloat(s, 64); err == nil {
		return time.Duration(secs * float64(time.Second))
	}
	d, err := time.ParseDuration(s)
	ts.Check(err)
	return d
}
