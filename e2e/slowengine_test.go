//go:build linux

package e2e

import (
	"context"
	"io"
	"log"
	"net"
	"net/http"
	"net/http/httputil"
	"os"
	"path/filepath"
	"regexp"
	"sync"
	"time"

	"github.com/rogpeppe/go-internal/testscript"
)

// slowEngines are the scripts' engine proxies, by work dir.
var slowEngines sync.Map

// slowEngine is an HTTP proxy in front of the engine's socket that holds
// the answers to chosen API calls: the engine does the call, but the
// client waits for its answer until it gives up (Ctrl-C) or 2 minutes
// pass. It makes every step of up observable, so that a script can
// interrupt devstack at that step.
type slowEngine struct {
	marker string // written when an answer is held
	mu     sync.Mutex
	holds  []*regexp.Regexp // matched against "METHOD /path" (API version stripped); each holds one call
}

type heldKey struct{}

var apiVersionPrefix = regexp.MustCompile(`^/v[0-9.]+/`)

// cmdSlowEngine implements:
//
//	slowengine start           proxy the engine at $WORK/slow.sock; DOCKER_HOST points at it
//	slowengine hold REGEXP     hold the answer to the next call matching REGEXP ("POST /containers/create")
//	slowengine release         hold nothing any more
//
// When an answer is held, the file $WORK/held appears.
func cmdSlowEngine(ts *testscript.TestScript, neg bool, args []string) {
	if neg || len(args) == 0 {
		ts.Fatalf("usage: slowengine start|hold REGEXP|release")
	}
	work := ts.Getenv("WORK")
	if args[0] == "start" {
		startSlowEngine(ts, work)
		return
	}
	v, ok := slowEngines.Load(work)
	if !ok {
		ts.Fatalf("slowengine: not started")
	}
	se := v.(*slowEngine)
	se.mu.Lock()
	defer se.mu.Unlock()
	switch {
	case args[0] == "hold" && len(args) == 2:
		re, err := regexp.Compile(args[1])
		ts.Check(err)
		se.holds = append(se.holds, re)
	case args[0] == "release" && len(args) == 1:
		se.holds = nil
		_ = os.Remove(se.marker)
	default:
		ts.Fatalf("usage: slowengine start|hold REGEXP|release")
	}
}

func startSlowEngine(ts *testscript.TestScript, work string) {
	target := engineSocket(ts, "slowengine")
	se := &slowEngine{marker: filepath.Join(work, "held")}
	rp := &httputil.ReverseProxy{
		Rewrite: func(pr *httputil.ProxyRequest) {
			pr.Out.URL.Scheme, pr.Out.URL.Host = "http", "docker"
		},
		Transport: &http.Transport{DialContext: func(ctx context.Context, _, _ string) (net.Conn, error) {
			var d net.Dialer
			return d.DialContext(ctx, "unix", target)
		}},
		FlushInterval:  -1, // events and logs stream
		ModifyResponse: se.hold,
		ErrorLog:       log.New(io.Discard, "", 0), // a client that hangs up (Ctrl-C, timeouts) is what scripts test
	}
	sock := filepath.Join(work, "slow.sock")
	l, err := net.Listen("unix", sock)
	ts.Check(err)
	srv := &http.Server{Handler: http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if se.matches(r) {
			r = r.WithContext(context.WithValue(r.Context(), heldKey{}, true))
		}
		rp.ServeHTTP(w, r)
	})}
	go srv.Serve(l)
	ts.Defer(func() { srv.Close() })
	slowEngines.Store(work, se)
	ts.Setenv("DOCKER_HOST", "unix://"+sock)
}

func (se *slowEngine) matches(r *http.Request) bool {
	call := r.Method + " /" + apiVersionPrefix.ReplaceAllString(r.URL.Path, "")
	se.mu.Lock()
	defer se.mu.Unlock()
	for i, re := range se.holds {
		if re.MatchString(call) {
			se.holds = append(se.holds[:i], se.holds[i+1:]...)
			return true
		}
	}
	return false
}

// hold keeps a matched call's answer from the client until the client
// goes away or 2 minutes pass.
func (se *slowEngine) hold(resp *http.Response) error {
	ctx := resp.Request.Context()
	if ctx.Value(heldKey{}) == nil {
		return nil
	}
	_ = os.WriteFile(se.marker, []byte(resp.Request.Method+" "+resp.Request.URL.Path+"\n"), 0o644)
	select {
	case <-ctx.Done():
		return ctx.Err()
	case <-time.After(2 * time.Minute):
		return nil
	}
}
