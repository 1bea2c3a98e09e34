//go:build linux

package bench

import (
	"context"
	"crypto/tls"
	"crypto/x509"
	"fmt"
	"io"
	"net"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"syscall"
	"testing"
	"time"
)

// BenchmarkRouter measures the local HTTPS router (issue 22's targets):
//
//   - the router's start on the first up: up -d of a fresh project with the
//     router on and none running, against up -d of an identical fresh project
//     with it off (3 rounds; medians). Target: <= 1 s added.
//   - no-op up -d and ps with the router on against the same with it off
//     (medians of 5 and 9). Target: <= 50 ms added to up.
//   - requests through the router against the same requests straight to
//     the service's published port, keep-alive, 8 concurrent clients for
//     2 s each way (alternating which goes first), small and 1 MiB bodies,
//     to a Go backend that keeps connections (routerecho). Target:
//     throughput >= 0.8x of direct, over plain HTTP (the same protocol
//     both ways); over HTTPS (HTTP/1.1, and HTTP/2 on one connection as a
//     browser does) for information, with the CPU time a request costs the
//     router's process and the app's.
//   - p50 latency of 300 sequential small requests on one connection.
//     Target: <= +1 ms over direct.
//
// It stops any router on the engine first (the router is one container
// for the engine) and removes it at the end; the CA is made in a
// temporary data directory.
func BenchmarkRouter(b *testing.B) {
	routerLock(b)
	b.Setenv("DEVSTACK_DATA_DIR", b.TempDir())
	b.Cleanup(func() { runDevstack(b, "", "router", "stop") }) // last: after every project's down
	dir := routerApp(b)
	for range b.N {
		routerStartCost(b, dir)
		// Off first: turning the router on changes the services (the CA
		// offered to them), so the first up with it recreates them.
		p := newProjectIn(b, dir)
		b.Setenv("DEVSTACK_ROUTER", "0")
		p.run(b, "up", "-d")
		b.Cleanup(func() { runDevstack(b, "", p.flags([]string{"down"})...) })
		noopOff, psOff := p.median(b, 5, "up", "-d"), p.median(b, 9, "ps")
		b.Setenv("DEVSTACK_ROUTER", "1")
		p.run(b, "up", "-d")
		noopOn, psOn := p.median(b, 5, "up", "-d"), p.median(b, 9, "ps")
		report(b, "router-noop-added-ms", "router: no-op up -d, added by the router (median of 5)", ms(noopOn.wall-noopOff.wall), "ms", 50)
		report(b, "router-noop-ms", "  no-op up -d with the router (without: "+fmt.Sprintf("%.0f ms)", ms(noopOff.wall)), ms(noopOn.wall), "ms", 0)
		report(b, "router-ps-added-ms", "  ps, added by the router (median of 9)", ms(psOn.wall-psOff.wall), "ms", 0)
		routerRequests(b, p)
	}
}

// routerLock takes the lock the e2e scripts that stop or restart the
// router take (exclusive router): the router is one container for the
// engine, and a script stopping it would cut the benchmark's requests.
func routerLock(b *testing.B) {
	f, err := os.OpenFile(filepath.Join(os.TempDir(), "devstack-e2e-router.lock"), os.O_CREATE|os.O_RDWR, 0o600)
	if err != nil {
		b.Fatal(err)
	}
	if err := syscall.Flock(int(f.Fd()), syscall.LOCK_EX); err != nil {
		b.Fatal(err)
	}
	b.Cleanup(func() { f.Close() }) // registered first: released last
}

// routerApp writes the backend: routerecho built static into a FROM
// scratch image, published on a free loopback port.
func routerApp(b *testing.B) string {
	dir := b.TempDir()
	build := exec.Command("go", "build", "-o", filepath.Join(dir, "app", "routerecho"), "../e2e/testdata/routerecho")
	build.Env = append(os.Environ(), "CGO_ENABLED=0")
	if out, err := build.CombinedOutput(); err != nil {
		b.Fatalf("go build routerecho: %v\n%s", err, out)
	}
	write(b, filepath.Join(dir, "app", "Dockerfile"), "FROM scratch\nCOPY routerecho /routerecho\n")
	image := "dsbench-routerecho:" + randID()
	cmd := exec.Command("docker", "build", "-q", "-t", image, filepath.Join(dir, "app"))
	cmd.Env = append(os.Environ(), "DOCKER_BUILDKIT=0")
	if out, err := cmd.CombinedOutput(); err != nil {
		b.Fatalf("docker build: %v\n%s", err, out)
	}
	b.Cleanup(func() { _ = exec.Command("docker", "rmi", "-f", image).Run() })
	yaml := fmt.Sprintf("services:\n  app:\n    image: %s\n    command: [\"/routerecho\", \"serve\"]\n    ports: [\"127.0.0.1:%d:8080\"]\n", image, freePort(b))
	write(b, filepath.Join(dir, "compose.yaml"), yaml)
	return dir
}

// newProjectIn is newProject for a compose file already in dir.
func newProjectIn(b *testing.B, dir string) *project {
	p := &project{name: "dsbench-" + randID(), file: filepath.Join(dir, "compose.yaml")}
	b.Cleanup(func() { p.remove(b) })
	return p
}

// routerStartCost: first up with the router against first up without,
// the router removed before each (3 rounds, alternating; medians).
func routerStartCost(b *testing.B, dir string) {
	var on, off []time.Duration
	first := func(router string) time.Duration {
		p := newProjectIn(b, dir)
		b.Setenv("DEVSTACK_ROUTER", router)
		took := p.run(b, "up", "-d")
		p.run(b, "down")
		return took
	}
	for i := range 3 {
		runDevstack(b, "", "router", "stop")
		if i%2 == 1 {
			off = append(off, first("0"))
		}
		on = append(on, first("1"))
		if i%2 == 0 {
			off = append(off, first("0"))
		}
	}
	report(b, "router-start-added-ms", "router: first up -d, added by starting the router (median of 3)", ms(median(on)-median(off)), "ms", 1000)
}

// target is where a client sends a project's app: straight to its
// published port, or through the router (plain or TLS) with the name.
type target struct {
	name, url string
	client    *http.Client
	port      string // the host port it connects to
}

func routerTargets(b *testing.B, p *project) (direct, plain, secure, h2 target) {
	port := strings.TrimSpace(docker(b, "port", p.name+"-app-1", "8080/tcp"))
	port = port[strings.LastIndexByte(port, ':')+1:]
	rhttp := strings.TrimSpace(docker(b, "inspect", "-f", `{{(index (index .HostConfig.PortBindings "80/tcp") 0).HostPort}}`, "devstack-router"))
	rhttps := strings.TrimSpace(docker(b, "inspect", "-f", `{{(index (index .HostConfig.PortBindings "443/tcp") 0).HostPort}}`, "devstack-router"))
	host := "app." + strings.ReplaceAll(p.name, "_", "-") + ".localhost"
	caPEM, err := os.ReadFile(filepath.Join(os.Getenv("DEVSTACK_DATA_DIR"), "router", "ca.pem"))
	if err != nil {
		b.Fatal(err)
	}
	roots := x509.NewCertPool()
	roots.AppendCertsFromPEM(caPEM)
	// The same client settings every way: keep-alive, up to 64 idle
	// connections (each of the 8 clients keeps its own), no gzip; h2 is
	// HTTP/2 over TLS, one connection for all 8 as a browser would.
	mk := func(addr string, tlsConf *tls.Config, h2 bool) *http.Client {
		tr := &http.Transport{MaxIdleConnsPerHost: 64, TLSClientConfig: tlsConf, ForceAttemptHTTP2: h2, DisableCompression: true,
			DialContext: func(ctx context.Context, _, _ string) (net.Conn, error) {
				return new(net.Dialer).DialContext(ctx, "tcp", addr)
			}}
		return &http.Client{Transport: tr, Timeout: 30 * time.Second}
	}
	direct = target{"direct", "http://127.0.0.1:" + port, mk("127.0.0.1:"+port, nil, false), port}
	plain = target{"router http", "http://" + host, mk("127.0.0.1:"+rhttp, nil, false), rhttp}
	tlsConf := &tls.Config{RootCAs: roots, ServerName: host}
	secure = target{"router https", "https://" + host, mk("127.0.0.1:"+rhttps, tlsConf.Clone(), false), rhttps}
	h2 = target{"router https h2", "https://" + host, mk("127.0.0.1:"+rhttps, tlsConf.Clone(), true), rhttps}
	return direct, plain, secure, h2
}

func docker(b *testing.B, args ...string) string {
	out, err := exec.Command("docker", args...).Output()
	if err != nil {
		b.Fatalf("docker %s: %v", strings.Join(args, " "), err)
	}
	return string(out)
}

// routerRequests: throughput and latency, direct against the router;
// and what a request costs each process on its way, in CPU time: the
// client (this process), the docker-proxy of the host port, the router,
// the app. Where the CPUs are all busy, the router's share bounds the
// ratio: it does the app's work, a server's, plus a client's.
func routerRequests(b *testing.B, p *project) {
	direct, plain, secure, h2 := routerTargets(b, p)
	all := []target{direct, plain, secure, h2}
	for _, t := range all {
		if err := get(t, "/size/10"); err != nil { // warm, and answering
			b.Fatalf("%s: %v", t.name, err)
		}
	}
	router, app := containerPid(b, "devstack-router"), containerPid(b, p.name+"-app-1")
	pids := map[string][]int{ // client, docker-proxy, router, app
		direct.name: {os.Getpid(), proxyPid(direct.port), 0, app},
		plain.name:  {os.Getpid(), proxyPid(plain.port), router, app},
		secure.name: {os.Getpid(), proxyPid(secure.port), router, app},
	}
	for _, body := range []struct{ path, what string }{{"/size/100", "small"}, {"/size/1048576", "1 MiB"}} {
		rps := make([]float64, len(all))
		cpu := map[string][]float64{direct.name: make([]float64, 4), plain.name: make([]float64, 4), secure.name: make([]float64, 4)} // µs a request
		for i := range 2 {
			order := all
			if i == 1 { // direct last the second time
				order = append(all[1:len(all):len(all)], all[0])
			}
			for _, t := range order {
				before := cpuTimes(pids[t.name])
				n := throughput(b, t, body.path)
				if c := cpu[t.name]; c != nil {
					after := cpuTimes(pids[t.name])
					for k := range c {
						c[k] += us(after[k]-before[k]) / (n * 2) / 2
					}
				}
				rps[indexOf(all, t)] += n / 2
			}
		}
		d, r, s, s2 := rps[0], rps[1], rps[2], rps[3]
		key := strings.ReplaceAll(body.what, " ", "")
		reportAtLeast(b, "router-rps-ratio-"+key, fmt.Sprintf("router: throughput, %s bodies, http through the router / direct", body.what), r/d, "x", 0.8)
		report(b, "router-rps-https-ratio-"+key, fmt.Sprintf("  https (HTTP/1.1) / direct (HTTP/2: %.2fx)", s2/d), s/d, "x", 0)
		report(b, "router-rps-direct-"+key, "  direct: requests/s", d, "req/s", 0)
		c, dc := cpu[plain.name], cpu[direct.name]
		report(b, "router-cpu-us-"+key, fmt.Sprintf("  CPU a request, router's process (app's: %.0f µs)", c[3]), c[2], "µs", 0)
		report(b, "router-cpu-us-path-"+key, fmt.Sprintf("  CPU a request, all: client %.0f + docker-proxy %.0f + router %.0f + app %.0f µs; direct: %.0f + %.0f + %.0f", c[0], c[1], c[2], c[3], dc[0], dc[1], dc[3]),
			c[0]+c[1]+c[2]+c[3], "µs", 0)
		c = cpu[secure.name]
		report(b, "router-cpu-us-https-"+key, fmt.Sprintf("  https (HTTP/1.1): client %.0f + docker-proxy %.0f + router %.0f + app %.0f µs", c[0], c[1], c[2], c[3]),
			c[0]+c[1]+c[2]+c[3], "µs", 0)
	}
	dl, rl, sl := latency(b, direct), latency(b, plain), latency(b, h2)
	report(b, "router-p50-added-us", fmt.Sprintf("router: p50 latency added, http (median of 300; direct %.0f µs)", us(dl)), us(rl-dl), "µs", 1000)
	report(b, "router-p50-added-https-us", "  https (HTTP/2)", us(sl-dl), "µs", 0)
}

// proxyPid is the docker-proxy publishing host port port; 0 when none
// is seen (the engine's userland proxy off, or another machine's).
func proxyPid(port string) int {
	files, _ := filepath.Glob("/proc/[0-9]*/cmdline")
	for _, f := range files {
		data, err := os.ReadFile(f)
		if err != nil || !strings.Contains(string(data), "docker-proxy") {
			continue
		}
		args := strings.Split(string(data), "\x00")
		for i := 0; i+1 < len(args); i++ {
			if args[i] == "-host-port" && args[i+1] == port {
				pid, _ := strconv.Atoi(strings.Split(f, "/")[2])
				return pid
			}
		}
	}
	return 0
}

func indexOf(ts []target, t target) int {
	for i := range ts {
		if ts[i].name == t.name {
			return i
		}
	}
	return -1
}

// containerPid is the host pid of a container's process.
func containerPid(b *testing.B, name string) int {
	pid, err := strconv.Atoi(strings.TrimSpace(docker(b, "inspect", "-f", "{{.State.Pid}}", name)))
	if err != nil {
		b.Fatalf("pid of %s: %v", name, err)
	}
	return pid
}

// cpuTimes is each process's CPU time (user and system) so far; 0 where
// it cannot be read (an engine on another machine or in a VM).
func cpuTimes(pids []int) []time.Duration {
	out := make([]time.Duration, len(pids))
	for i, pid := range pids {
		if pid == 0 {
			continue
		}
		data, err := os.ReadFile(fmt.Sprintf("/proc/%d/stat", pid))
		if err != nil {
			continue
		}
		f := strings.Fields(string(data[strings.LastIndexByte(string(data), ')')+1:]))
		if len(f) < 13 {
			continue
		}
		u, _ := strconv.ParseInt(f[11], 10, 64)
		s, _ := strconv.ParseInt(f[12], 10, 64)
		out[i] = time.Duration(u+s) * 10 * time.Millisecond // USER_HZ 100
	}
	return out
}

func get(t target, path string) error {
	resp, err := t.client.Get(t.url + path)
	if err != nil {
		return err
	}
	defer resp.Body.Close()
	if _, err := io.Copy(io.Discard, resp.Body); err != nil {
		return err
	}
	if resp.StatusCode != http.StatusOK {
		return fmt.Errorf("%s: %s", t.url+path, resp.Status)
	}
	return nil
}

// throughput is requests a second from 8 clients for 2 s.
func throughput(b *testing.B, t target, path string) float64 {
	var n atomic.Int64
	var failed atomic.Pointer[error] // the first
	deadline := time.Now().Add(2 * time.Second)
	var wg sync.WaitGroup
	for range 8 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for time.Now().Before(deadline) {
				if err := get(t, path); err != nil {
					failed.CompareAndSwap(nil, &err)
					return
				}
				n.Add(1)
			}
		}()
	}
	wg.Wait()
	if err := failed.Load(); err != nil {
		b.Fatalf("%s: %v", t.name, *err)
	}
	return float64(n.Load()) / 2
}

// latency is the median of 300 sequential small requests.
func latency(b *testing.B, t target) time.Duration {
	ds := make([]time.Duration, 300)
	for i := range ds {
		start := time.Now()
		if err := get(t, "/size/10"); err != nil {
			b.Fatalf("%s: %v", t.name, err)
		}
		ds[i] = time.Since(start)
	}
	return median(ds)
}

func us(d time.Duration) float64 { return float64(d) / float64(time.Microsecond) }
