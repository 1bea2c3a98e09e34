package deploy

import (
	"context"
	"errors"
	"strings"
	"testing"
	"time"

	"github.com/devstack/devstack/internal/progress"
)

// A deploy whose service does not converge within Timeout: the error says
// which service and why, what was created and stays, and how to remove
// it; nothing is removed.
func TestDeployTimeoutKeepsWhatItCreated(t *testing.T) {
	f := newFakeSwarm()
	f.engine.AddPullable("reg.example/shop/web:1", nil)
	err := Deploy(context.Background(), f, oneService("reg.example/shop/web:1"), Options{Timeout: time.Second}, progress.Discard)
	var st *Stopped
	if !errors.As(err, &st) {
		t.Fatalf("err %v, want a Stopped", err)
	}
	for _, want := range []string{"not converged within 1s", "shop_web (0/1 running: 1 task pending)",
		"created network shop_default, service shop_web", "devstack deploy rm removes the stack"} {
		if !strings.Contains(err.Error(), want) {
			t.Errorf("%q does not say %q", err, want)
		}
	}
	if !errors.Is(err, context.DeadlineExceeded) || errors.Is(err, context.Canceled) {
		t.Errorf("err %v: want a deadline, not a cancellation (exit 1, not 130)", err)
	}
	if len(f.removed) > 0 {
		t.Errorf("removed %v, want nothing removed", f.removed)
	}
}

// Interrupted while it waits: the same, as a cancellation (exit 130).
func TestDeployInterruptedKeepsWhatItCreated(t *testing.T) {
	f := newFakeSwarm()
	f.engine.AddPullable("reg.example/shop/web:1", nil)
	ctx, cancel := context.WithCancel(context.Background())
	time.AfterFunc(700*time.Millisecond, cancel)
	err := Deploy(ctx, f, oneService("reg.example/shop/web:1"), Options{}, progress.Discard)
	var st *Stopped
	if !errors.As(err, &st) || !errors.Is(err, context.Canceled) {
		t.Fatalf("err %v, want a Stopped by a cancellation", err)
	}
	for _, want := range []string{"interrupted: shop_web (0/1 running", "created network shop_default, service shop_web", "devstack deploy rm"} {
		if !strings.Contains(err.Error(), want) {
			t.Errorf("%q does not say %q", err, want)
		}
	}
	if len(f.removed) > 0 {
		t.Errorf("removed %v, want nothing removed", f.removed)
	}
}

func TestStoppedSaysWhatIsKept(t *testing.T) {
	for _, tc := range []struct {
		e    Stopped
		want string
	}{
		{Stopped{Err: context.Canceled}, "interrupted while creating or updating the services; this deploy changed nothing on the swarm"},
		{Stopped{Timeout: time.Minute, NotConverged: []string{"shop_api (1/2 updating: 1 task starting)"}, Updated: []string{"shop_api"}},
			"not converged within 1m0s: shop_api (1/2 updating: 1 task starting); kept on the swarm, which goes on converging it: updated service shop_api (docker service rollback SERVICE undoes an update); devstack deploy rm removes the stack"},
	} {
		if got := tc.e.Error(); got != tc.want {
			t.Errorf("got  %q\nwant %q", got, tc.want)
		}
	}
}
