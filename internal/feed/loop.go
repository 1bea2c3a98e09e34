package feed

import (
	"context"
	"fmt"
	"sync"
	"time"
)

// loop is what a project's feed (Run) and a stack's (RunStack) share:
// sessions that each follow the engine until its stream fails, the logs
// followed beside each, and between two sessions, the wait for the engine.
// Everything goes into in, which batch turns into Batches.
type loop struct {
	in   chan any
	ping func(context.Context) error
	logs func(context.Context, func(LogLine)) error
	peer string // what the sessions talk to, for the connection messages
}

func newLoop(ping func(context.Context) error, logs func(context.Context, func(LogLine)) error, peer string) loop {
	if peer == "" {
		peer = "engine"
	}
	return loop{in: make(chan any, 1024), ping: ping, logs: logs, peer: peer}
}

func (l *loop) send(ctx context.Context, v any) {
	select {
	case l.in <- v:
	case <-ctx.Done():
	}
}

// run runs sessions until ctx ends. follow is one
// session: it returns why the engine's stream failed, and calls startLogs
// (once, after sending the full state) to follow the logs beside it until
// it ends. When a session fails, run says so (ConnState), waits for the
// engine to answer a ping and starts another.
func (l *loop) run(ctx context.Context, follow func(ctx context.Context, startLogs func()) error) {
	for ctx.Err() == nil {
		err := l.session(ctx, follow)
		if ctx.Err() != nil {
			return
		}
		l.send(ctx, ConnState{Err: fmt.Sprintf("%s connection lost: %v", l.peer, err)})
		awaitEngine(ctx, l.ping)
		l.send(ctx, ConnState{Connected: true})
	}
}

// session runs follow; once it returns, the logs it started stop and are
// waited for.
func (l *loop) session(ctx context.Context, follow func(ctx context.Context, startLogs func()) error) error {
	ctx, cancel := context.WithCancel(ctx)
	var logs sync.WaitGroup
	defer func() { cancel(); logs.Wait() }()
	return follow(ctx, func() {
		logs.Go(func() { _ = l.logs(ctx, func(ln LogLine) { l.send(ctx, ln) }) })
	})
}

// awaitEngine returns once the engine answers a ping again.
func awaitEngine(ctx context.Context, ping func(context.Context) error) {
	t := time.NewTicker(time.Second)
	defer t.Stop()
	for {
		select {
		case <-ctx.Done():
			return
		case <-t.C:
			if ping(ctx) == nil {
				return
			}
		}
	}
}
