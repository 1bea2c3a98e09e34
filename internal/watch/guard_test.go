package watch

import (
	"testing"
	"time"
)

func TestLoopGuard(t *testing.T) {
	clock := newFakeClock()
	g := newLoopGuard(clock, 3)
	for i := range 3 {
		if v := g.check("web"); v != allow {
			t.Fatalf("reload %d: verdict %v, want allow", i+1, v)
		}
		clock.Advance(time.Second)
	}
	if v := g.check("api"); v != allow {
		t.Fatalf("another service is affected: %v", v)
	}
	if v := g.check("web"); v != pauseNow {
		t.Fatalf("4th reload within a minute: verdict %v, want pauseNow", v)
	}
	clock.Advance(59 * time.Second)
	if v := g.check("web"); v != paused {
		t.Fatalf("during the pause: verdict %v, want paused", v)
	}
	clock.Advance(time.Second)
	if v := g.check("web"); v != allowAgain {
		t.Fatalf("after the pause: verdict %v, want allowAgain", v)
	}
	if v := g.check("web"); v != allow {
		t.Fatalf("after resuming: verdict %v, want allow", v)
	}
}

// Reloads spread out over more than a minute never trip the guard.
func TestLoopGuardSlidingWindow(t *testing.T) {
	clock := newFakeClock()
	g := newLoopGuard(clock, 3)
	for i := range 20 {
		if v := g.check("web"); v != allow {
			t.Fatalf("reload %d: verdict %v", i+1, v)
		}
		clock.Advance(21 * time.Second)
	}
}

func TestLoopGuardDefault(t *testing.T) {
	if g := newLoopGuard(newFakeClock(), 0); g.limit != DefaultLoopLimit {
		t.Errorf("limit %d, want the default %d", g.limit, DefaultLoopLimit)
	}
}
