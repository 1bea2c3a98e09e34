package kubefeed

import (
	"context"
	"errors"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/devstack/devstack/internal/feed"
	"github.com/devstack/devstack/internal/kube"
	"github.com/devstack/devstack/internal/kube/wire"
)

// fakeHelper stands in for devstack-kube: a dash request streams the
// changes the test sends until the test fails it; a logs request sends
// one line; a check answers checkErr.
type fakeHelper struct {
	changes chan wire.Change
	fail    chan error

	mu       sync.Mutex
	checkErr error
	tails    []int64
	dashes   int
}

func newFakeHelper() *fakeHelper {
	return &fakeHelper{changes: make(chan wire.Change), fail: make(chan error)}
}

func (f *fakeHelper) run(ctx context.Context, req wire.Request, h kube.Handlers) error {
	if req.ProjectName != "shop" || req.Cluster.Namespace != "ns1" {
		return errors.New("request for another project or namespace")
	}
	switch req.Op {
	case wire.OpDash:
		f.mu.Lock()
		f.dashes++
		f.mu.Unlock()
		for {
			select {
			case c := <-f.changes:
				h.Change(c)
			case err := <-f.fail:
				return err
			case <-ctx.Done():
				return nil
			}
		}
	case wire.OpLogs:
		f.mu.Lock()
		f.tails = append(f.tails, req.Logs.Tail)
		f.mu.Unlock()
		if !req.Logs.Follow {
			return errors.New("logs not followed")
		}
		h.Log(wire.LogLine{Service: "api", Pod: "api-7c-a", Text: "hello"})
		<-ctx.Done()
		return nil
	case wire.OpCheck:
		f.mu.Lock()
		defer f.mu.Unlock()
		return f.checkErr
	}
	return errors.New("unexpected op " + req.Op)
}

func next(t *testing.T, out <-chan feed.Batch, ok func(feed.Batch) bool) {
	t.Helper()
	deadline := time.After(5 * time.Second)
	for {
		select {
		case b := <-out:
			if ok(b) {
				return
			}
		case <-deadline:
			t.Fatal("no such batch within 5s")
		}
	}
}

func hasEvent(b feed.Batch, text string) bool {
	for _, e := range b.Events {
		if strings.Contains(e.Text, text) {
			return true
		}
	}
	return false
}

func TestSourceInTheFeed(t *testing.T) {
	h := newFakeHelper()
	src := New(h.run, "shop", wire.Cluster{Namespace: "ns1"}, 100)
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	out := make(chan feed.Batch)
	go feed.RunStack(ctx, src, feed.StackOptions{Poll: -1, Peer: "cluster"}, out)

	api := wire.Workload{Kind: wire.KindDeployment, Name: "api", Service: "api", Desired: 1, Ready: 1}
	first := append(synced()[:0:0], change(wire.KindDeployment, wire.ChangeList, api))
	for _, c := range synced()[1:] {
		if c.Kind == wire.KindPod {
			c.Pods = []wire.Pod{pod("api-7c-a", "api", "n1", "Running", "1/1", 0)}
		}
		first = append(first, c)
	}
	// The first look waits for every kind's list: no half-empty screen.
	for _, c := range first {
		h.changes <- c
	}
	var stack, line bool
	next(t, out, func(b feed.Batch) bool {
		if b.Stack {
			if !b.Full || len(b.Services) != 1 || len(b.States) != 1 || b.States[0].Node != "n1" {
				t.Fatalf("first stack batch %+v", b)
			}
			stack = true
		}
		line = line || len(b.Lines) == 1 && b.Lines[0].Source == "api-7c-a" && b.Lines[0].Service == "api"
		return stack && line
	})

	// A restart and an Event come as they happen.
	h.changes <- set(wire.KindPod, wire.Pod{Name: "api-7c-a", Service: "api", Node: "n1", Phase: "Running", Ready: "1/1", Restarts: 1, LastEnd: "Error (exit 3)"})
	h.changes <- set(wire.KindEvent, wire.Event{Name: "e1", Time: time.Now(), Reason: "BackOff", Message: "Back-off restarting failed container", ObjectKind: "Pod", ObjectName: "api-7c-a", Count: 1})
	var restarted, backoff bool
	next(t, out, func(b feed.Batch) bool {
		restarted = restarted || hasEvent(b, "api-7c-a restarted (1 restart): Error (exit 3)")
		backoff = backoff || hasEvent(b, "api-7c-a BackOff: Back-off restarting failed container")
		return restarted && backoff
	})

	// The helper failing is said; once the cluster answers again, the
	// watches start over and the logs resume with new lines only.
	h.mu.Lock()
	h.checkErr = wire.ErrNoCluster
	h.mu.Unlock()
	h.fail <- errors.New("no Kubernetes cluster answers")
	next(t, out, func(b feed.Batch) bool {
		return b.Conn != nil && !b.Conn.Connected && b.Conn.Err == "cluster connection lost: no Kubernetes cluster answers"
	})
	h.mu.Lock()
	h.checkErr = nil
	h.mu.Unlock()
	next(t, out, func(b feed.Batch) bool { return b.Conn != nil && b.Conn.Connected })
	for _, c := range first {
		h.changes <- c
	}
	next(t, out, func(b feed.Batch) bool { return b.Stack && b.Full && len(b.States) == 1 })
	h.mu.Lock()
	defer h.mu.Unlock()
	if h.dashes != 2 || len(h.tails) != 2 || h.tails[0] != 100 || h.tails[1] != 0 {
		t.Errorf("dash requests %d, log tails %v: want 2 and [100 0]", h.dashes, h.tails)
	}
}

// A helper that fails before the lists are in fails the first look.
func TestStackFailsBeforeSync(t *testing.T) {
	h := newFakeHelper()
	src := New(h.run, "shop", wire.Cluster{Namespace: "ns1"}, 0)
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	_, errs := src.Changes(ctx)
	h.fail <- wire.ErrForbidden
	if _, _, err := src.Stack(ctx); !errors.Is(err, wire.ErrForbidden) {
		t.Errorf("Stack = %v, want the helper's error", err)
	}
	if err := <-errs; !errors.Is(err, wire.ErrForbidden) {
		t.Errorf("Changes' error = %v", err)
	}
}
