package dockerapi

import (
	"context"
	"errors"
	"sync/atomic"
	"testing"
	"time"

	"github.com/docker/docker/api/types"
)

// pinger answers pings as up says.
type pinger struct{ up atomic.Bool }

func (p *pinger) Ping(context.Context) (types.Ping, error) {
	if p.up.Load() {
		return types.Ping{}, nil
	}
	return types.Ping{}, errors.New("connection refused")
}

func TestStopsAnsweringAndAwaitEngine(t *testing.T) {
	ctx := context.Background()
	p := &pinger{}
	p.up.Store(true)
	if StopsAnswering(ctx, p, 300*time.Millisecond) {
		t.Error("an engine that keeps answering stopped answering")
	}
	time.AfterFunc(100*time.Millisecond, func() { p.up.Store(false) })
	if !StopsAnswering(ctx, p, 2*time.Second) {
		t.Error("an engine that stopped answering was not noticed")
	}
	time.AfterFunc(100*time.Millisecond, func() { p.up.Store(true) })
	if err := AwaitEngine(ctx, p, 20*time.Millisecond); err != nil || !p.up.Load() {
		t.Errorf("AwaitEngine = %v before the engine was back", err)
	}
	p.up.Store(false)
	cctx, cancel := context.WithTimeout(ctx, 100*time.Millisecond)
	defer cancel()
	if err := AwaitEngine(cctx, p, 20*time.Millisecond); !errors.Is(err, context.DeadlineExceeded) {
		t.Errorf("AwaitEngine on an engine that never comes back = %v", err)
	}
}
