package feed

import (
	"context"
	"errors"
	"sync/atomic"
	"testing"
)

// TestLoopSessions: a failed session is reported, the engine waited for and
// a new session started; the logs a session started end before the next
// one starts; a session that fails before starting its logs does not wait.
func TestLoopSessions(t *testing.T) {
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	var logsRunning, logsCalls atomic.Int32
	pings := 0
	l := newLoop(func(context.Context) error {
		if pings++; pings == 1 {
			return errors.New("still down")
		}
		return nil
	}, func(ctx context.Context, send func(LogLine)) error {
		logsCalls.Add(1)
		logsRunning.Add(1)
		defer logsRunning.Add(-1)
		send(LogLine{Text: "a line"})
		<-ctx.Done()
		return ctx.Err()
	}, "")
	sessions := 0
	done := make(chan struct{})
	go func() {
		defer close(done)
		l.run(ctx, func(ctx context.Context, startLogs func()) error {
			if n := logsRunning.Load(); n != 0 {
				t.Errorf("session %d starts with %d log followers of the one before", sessions+1, n)
			}
			sessions++
			switch sessions {
			case 1:
				return errors.New("refused") // before its logs
			case 2:
				startLogs()
				return errors.New("stream lost")
			}
			startLogs()
			cancel()
			return ctx.Err()
		})
	}()
	<-done
	var conns []ConnState
	for len(l.in) > 0 {
		if c, ok := (<-l.in).(ConnState); ok {
			conns = append(conns, c)
		}
	}
	if sessions != 3 {
		t.Errorf("%d sessions, want 3", sessions)
	}
	want := []ConnState{{Err: "engine connection lost: refused"}, {Connected: true},
		{Err: "engine connection lost: stream lost"}, {Connected: true}}
	if len(conns) != len(want) {
		t.Fatalf("connection states %+v, want %+v", conns, want)
	}
	for i := range want {
		if conns[i] != want[i] {
			t.Errorf("connection state %d: %+v, want %+v", i, conns[i], want[i])
		}
	}
	if n := logsCalls.Load(); n != 2 {
		t.Errorf("logs followed %d times, want 2 (the sessions that started them)", n)
	}
	if pings < 2 {
		t.Errorf("%d pings, want the engine waited for", pings)
	}
}
