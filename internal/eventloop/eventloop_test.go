package eventloop

import (
	"context"
	"errors"
	"testing"
	"time"
)

// subscription hands out n events, then ends the stream with err.
func subscription(n int, err error) (<-chan int, <-chan error) {
	evs, errs := make(chan int), make(chan error, 1)
	go func() {
		for i := range n {
			evs <- i
		}
		errs <- err
		close(evs)
	}()
	return evs, errs
}

func TestRunUntilTheStreamEnds(t *testing.T) {
	lost := errors.New("stream lost")
	evs, errs := subscription(3, lost)
	var got []int
	err := Run(context.Background(), evs, errs, func(ev int) error { got = append(got, ev); return nil })
	if !errors.Is(err, lost) || len(got) != 3 || got[2] != 2 {
		t.Errorf("Run = %v with %v, want %v after 0 1 2", err, got, lost)
	}
}

func TestRunStops(t *testing.T) {
	evs, errs := subscription(5, nil)
	n := 0
	err := Run(context.Background(), evs, errs, func(ev int) error {
		if n++; ev == 1 {
			return Stop
		}
		return nil
	})
	if err != nil || n != 2 {
		t.Errorf("Run = %v after %d events, want nil after 2 (Stop)", err, n)
	}
	bad := errors.New("handler failed")
	evs, errs = subscription(5, nil)
	if err := Run(context.Background(), evs, errs, func(int) error { return bad }); err != bad {
		t.Errorf("Run = %v, want the handler's %v", err, bad)
	}
}

func TestRunEndsWithCtx(t *testing.T) {
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	if err := Run(ctx, make(chan int), make(chan error), func(int) error { return nil }); err != context.Canceled {
		t.Errorf("Run = %v, want %v", err, context.Canceled)
	}
}

func TestRunWake(t *testing.T) {
	tick := time.NewTicker(time.Millisecond)
	defer tick.Stop()
	wakes := 0
	// No events (a nil channel never delivers): only the ticker wakes the loop.
	err := RunWake(context.Background(), (<-chan int)(nil), nil, func(int) error { return nil }, tick.C, func() error {
		if wakes++; wakes == 3 {
			return Stop
		}
		return nil
	})
	if err != nil || wakes != 3 {
		t.Errorf("RunWake = %v after %d wakes, want nil after 3", err, wakes)
	}
}
