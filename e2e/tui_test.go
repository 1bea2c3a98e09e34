//go:build linux

package e2e

import (
	"fmt"
	"io"
	"net"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/rogpeppe/go-internal/testscript"
)

// TestScriptsDash runs testdata/dash/*.txtar: the dashboard in a real
// terminal (tmux) against a real stack. Same environment, conditions
// ([swarm]) and commands as TestScripts (swarmrig and waitrunning among
// them), plus:
//
//	tmuxstart NAME WIDTH HEIGHT CMD  run the shell command CMD in a detached
//	                                 tmux session of that size (its own tmux
//	                                 server, with the script's environment)
//	tmuxkeys NAME KEY...             tmux send-keys (Enter, Escape, PgUp, ...)
//	tmuxwait NAME REGEXP [TIMEOUT]   wait until the screen matches (default 20s);
//	                                 on timeout, fail showing the screen
//	tmuxshow NAME                    the screen to stdout
//	procstat NAME MAXRSS_MIB         the peak RSS and CPU time of the session's
//	                                 process (started with exec); fails above MAXRSS_MIB
//	engineproxy start|cut|restore    put a proxy between devstack and the
//	                                 engine (DOCKER_HOST points at it;
//	                                 REAL_DOCKER_HOST at the engine), drop
//	                                 every connection and refuse new ones, let
//	                                 them through again
func TestScriptsDash(t *testing.T) {
	if _, err := exec.LookPath("tmux"); err != nil {
		t.Skip("tmux not installed")
	}
	runScripts(t, "testdata/dash", map[string]func(*testscript.TestScript, bool, []string){
		"waitfor": cmdWaitfor, "httpget": cmdHTTPGet, "freeport": cmdFreeport, "sleep": cmdSleep,
		"swarmrig": cmdSwarmrig, "waitrunning": cmdWaitrunning,
		"engineproxy": cmdEngineProxy, "procstat": cmdProcStat, "tmuxstart": cmdTmuxStart, "tmuxkeys": cmdTmuxKeys, "tmuxwait": cmdTmuxWait, "tmuxshow": cmdTmuxShow,
	})
}

// tmux runs tmux on the script's own server (its socket in the work dir,
// removed with it), with the script's environment.
func tmux(ts *testscript.TestScript, args ...string) (string, error) {
	sock := filepath.Join(ts.Getenv("WORK"), "tmux.sock")
	cmd := exec.Command("tmux", append([]string{"-S", sock}, args...)...)
	cmd.Dir = ts.Getenv("WORK")
	cmd.Env = scriptEnv(ts)
	out, err := cmd.CombinedOutput()
	if err != nil {
		return string(out), fmt.Errorf("tmux %s: %v: %s", strings.Join(args, " "), err, out)
	}
	return string(out), nil
}

func scriptEnv(ts *testscript.TestScript) []string {
	var env []string
	for _, k := range []string{"PATH", "HOME", "PROJECT", "COMPOSE_PROJECT_NAME", "IMAGE", "WORK",
		"DOCKER_HOST", "REAL_DOCKER_HOST", "DOCKER_TLS_VERIFY", "DOCKER_CERT_PATH", "DOCKER_BUILDKIT", "NO_COLOR", "PORT", "TMPDIR",
		"KUBECONFIG", "NAMESPACE"} {
		if v := ts.Getenv(k); v != "" {
			env = append(env, k+"="+v)
		}
	}
	return append(env, "TERM=xterm-256color", "LANG=C.UTF-8")
}

func cmdTmuxStart(ts *testscript.TestScript, neg bool, args []string) {
	if neg || len(args) != 4 {
		ts.Fatalf("usage: tmuxstart NAME WIDTH HEIGHT CMD")
	}
	first := true
	if _, err := tmux(ts, "has-session"); err == nil {
		first = false
	}
	_, err := tmux(ts, "new-session", "-d", "-s", args[0], "-x", args[1], "-y", args[2], args[3])
	ts.Check(err)
	if first {
		ts.Defer(func() { _, _ = tmux(ts, "kill-server") })
	}
}

func cmdTmuxKeys(ts *testscript.TestScript, neg bool, args []string) {
	if neg || len(args) < 2 {
		ts.Fatalf("usage: tmuxkeys NAME KEY...")
	}
	_, err := tmux(ts, append([]string{"send-keys", "-t", args[0]}, args[1:]...)...)
	ts.Check(err)
}

func screen(ts *testscript.TestScript, name string) string {
	out, err := tmux(ts, "capture-pane", "-p", "-t", name)
	ts.Check(err)
	return out
}

func cmdTmuxShow(ts *testscript.TestScript, neg bool, args []string) {
	if neg || len(args) != 1 {
		ts.Fatalf("usage: tmuxshow NAME")
	}
	fmt.Fprint(ts.Stdout(), screen(ts, args[0]))
}

func cmdTmuxWait(ts *testscript.TestScript, neg bool, args []string) {
	if len(args) < 2 || len(args) > 3 {
		ts.Fatalf("usage: tmuxwait NAME REGEXP [TIMEOUT]")
	}
	re, err := regexp.Compile("(?m)" + args[1])
	ts.Check(err)
	timeout := 20 * time.Second
	if len(args) == 3 {
		timeout = parseDuration(ts, args[2])
	}
	var last string
	start := time.Now()
	for deadline := start.Add(timeout); time.Now().Before(deadline); time.Sleep(50 * time.Millisecond) {
		last = screen(ts, args[0])
		if re.MatchString(last) != neg {
			ts.Logf("tmuxwait: on screen after %v", time.Since(start).Round(time.Millisecond))
			return
		}
	}
	what := "match"
	if neg {
		what = "stop matching"
	}
	ts.Fatalf("tmuxwait %s: screen did not %s %s within %v; it shows:\n%s", args[0], what, strconv.Quote(args[1]), timeout, last)
}

// engineProxy forwards a unix socket to the engine and can cut it off.
type engineProxy struct {
	path, target string
	mu           sync.Mutex
	l            net.Listener
	conns        map[net.Conn]bool
}

var proxies sync.Map // script work dir -> *engineProxy

func cmdEngineProxy(ts *testscript.TestScript, neg bool, args []string) {
	if neg || len(args) != 1 {
		ts.Fatalf("usage: engineproxy start|cut|restore")
	}
	work := ts.Getenv("WORK")
	switch args[0] {
	case "start":
		target := engineSocket(ts, "engineproxy")
		p := &engineProxy{path: filepath.Join(work, "engine.sock"), target: target, conns: map[net.Conn]bool{}}
		ts.Check(p.listen())
		proxies.Store(work, p)
		ts.Defer(p.cut)
		ts.Setenv("REAL_DOCKER_HOST", "unix://"+target)
		ts.Setenv("DOCKER_HOST", "unix://"+p.path)
	case "cut", "restore":
		v, ok := proxies.Load(work)
		if !ok {
			ts.Fatalf("engineproxy: not started")
		}
		p := v.(*engineProxy)
		if args[0] == "cut" {
			p.cut()
			return
		}
		ts.Check(p.listen())
	default:
		ts.Fatalf("usage: engineproxy start|cut|restore")
	}
}

func (p *engineProxy) listen() error {
	_ = os.Remove(p.path)
	l, err := net.Listen("unix", p.path)
	if err != nil {
		return err
	}
	p.mu.Lock()
	p.l = l
	p.mu.Unlock()
	go func() {
		for {
			c, err := l.Accept()
			if err != nil {
				return
			}
			go p.serve(c)
		}
	}()
	return nil
}

func (p *engineProxy) serve(c net.Conn) {
	up, err := net.Dial("unix", p.target)
	if err != nil {
		c.Close()
		return
	}
	p.mu.Lock()
	p.conns[c], p.conns[up] = true, true
	p.mu.Unlock()
	go func() { _, _ = io.Copy(up, c); up.Close() }()
	_, _ = io.Copy(c, up)
	c.Close()
}

// cut stops listening and drops every open connection, as a dying engine would.
func (p *engineProxy) cut() {
	p.mu.Lock()
	defer p.mu.Unlock()
	if p.l != nil {
		p.l.Close()
		p.l = nil
	}
	for c := range p.conns {
		c.Close()
	}
	p.conns = map[net.Conn]bool{}
}

func cmdProcStat(ts *testscript.TestScript, neg bool, args []string) {
	if neg || len(args) != 2 {
		ts.Fatalf("usage: procstat NAME MAXRSS_MIB")
	}
	limit, err := strconv.Atoi(args[1])
	ts.Check(err)
	out, err := tmux(ts, "display-message", "-p", "-t", args[0], "#{pane_pid}")
	ts.Check(err)
	pid := strings.TrimSpace(out)
	status, err := os.ReadFile("/proc/" + pid + "/status")
	ts.Check(err)
	stat, err := os.ReadFile("/proc/" + pid + "/stat")
	ts.Check(err)
	var peakKiB int
	for _, l := range strings.Split(string(status), "\n") {
		if v, ok := strings.CutPrefix(l, "VmHWM:"); ok {
			peakKiB, _ = strconv.Atoi(strings.Fields(v)[0])
		}
	}
	f := strings.Fields(string(stat[strings.LastIndexByte(string(stat), ')')+2:]))
	utime, _ := strconv.Atoi(f[11])
	stime, _ := strconv.Atoi(f[12])
	cpu := time.Duration(utime+stime) * 10 * time.Millisecond // USER_HZ is 100 on Linux
	fmt.Fprintf(ts.Stdout(), "pid %s peak RSS %.1f MiB, CPU %v\n", pid, float64(peakKiB)/1024, cpu)
	if peakKiB > limit*1024 {
		ts.Fatalf("peak RSS %.1f MiB > %d MiB", float64(peakKiB)/1024, limit)
	}
}
