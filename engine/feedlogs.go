package engine

import (
	"bytes"
	"context"
	"fmt"
	"io"
	"strconv"
	"time"

	"github.com/docker/docker/api/types/container"
	"github.com/docker/docker/pkg/stdcopy"
)

// attach follows the container's logs (and stats) unless already followed.
// A log stream ends with the run it follows; when the container starts
// again before it ended, the stream is reopened after the last line seen.
func (f *feed) attach(ctx context.Context, st ContainerState) {
	f.mu.Lock()
	defer f.mu.Unlock()
	if f.o.Stats && f.stats[st.ID] == nil {
		sctx, stop := context.WithCancel(ctx)
		f.stats[st.ID] = stop
		go f.streamStats(sctx, st.ID)
	}
	if f.streams[st.ID] {
		f.again[st.ID] = true
		return
	}
	f.streams[st.ID] = true
	since := f.resumeAt(st.ID)
	go f.follow(ctx, st, since)
}

func (f *feed) follow(ctx context.Context, st ContainerState, since time.Time) {
	for {
		f.streamLogs(ctx, st, since)
		f.mu.Lock()
		if !f.again[st.ID] || ctx.Err() != nil {
			f.streams[st.ID] = false
			f.mu.Unlock()
			return
		}
		delete(f.again, st.ID)
		since = f.resumeAt(st.ID)
		f.mu.Unlock()
	}
}

// resumeAt is where a container's logs (re)start: after the last line seen
// (a restart, a reconnect), else where it last died, else the feed's Since
// (zero: the last Tail lines). The caller holds f.mu.
func (f *feed) resumeAt(id string) time.Time {
	if t, ok := f.lastLine[id]; ok {
		return t.Add(time.Nanosecond)
	}
	if t, ok := f.died[id]; ok {
		return t
	}
	return f.o.Since
}

func (f *feed) streamLogs(ctx context.Context, st ContainerState, since time.Time) {
	opts := container.LogsOptions{ShowStdout: true, ShowStderr: true, Follow: true, Timestamps: true}
	switch {
	case !since.IsZero():
		// Exact: a float64 of the nanoseconds rounds, and would repeat a line on resume.
		opts.Since = fmt.Sprintf("%d.%09d", since.Unix(), since.Nanosecond())
	case f.o.Tail > 0:
		opts.Tail = strconv.Itoa(f.o.Tail)
	}
	rc, err := f.api.ContainerLogs(ctx, st.ID, opts)
	if err != nil {
		return
	}
	defer rc.Close()
	w := &feedLines{st: st, sink: func(l LogLine) {
		if !l.Time.IsZero() {
			f.mu.Lock()
			f.lastLine[l.ContainerID] = l.Time
			f.mu.Unlock()
		}
		f.send(ctx, l)
	}}
	defer w.flush()
	if st.TTY {
		_, _ = io.Copy(w, rc)
		return
	}
	_, _ = stdcopy.StdCopy(w, w, rc)
}

// feedLines splits a log stream into LogLines, reading the engine's timestamps.
type feedLines struct {
	st   ContainerState
	sink func(LogLine)
	buf  []byte
}

func (w *feedLines) Write(b []byte) (int, error) {
	w.buf = append(w.buf, b...)
	for {
		i := bytes.IndexByte(w.buf, '\n')
		if i < 0 {
			return len(b), nil
		}
		w.emit(w.buf[:i])
		w.buf = w.buf[i+1:]
	}
}

func (w *feedLines) flush() {
	if len(w.buf) > 0 {
		w.emit(w.buf)
		w.buf = nil
	}
}

func (w *feedLines) emit(line []byte) {
	line = bytes.TrimSuffix(line, []byte{'\r'})
	var when time.Time
	if sp := bytes.IndexByte(line, ' '); sp > 0 {
		if t, err := time.Parse(time.RFC3339Nano, string(line[:sp])); err == nil {
			when, line = t, line[sp+1:]
		}
	}
	w.sink(LogLine{ContainerID: w.st.ID, Service: w.st.Service, Number: w.st.Number, Time: when, Text: string(line)})
}

// batch collects what the feed's goroutines report and sends it on as one
// FeedBatch every interval, or earlier once maxLines lines are waiting.
// A slow reader slows the log streams down instead of growing memory.
func batch(ctx context.Context, in <-chan any, out chan<- FeedBatch, interval time.Duration, maxLines int) {
	t := time.NewTicker(interval)
	defer t.Stop()
	var b FeedBatch
	pending := false
	flush := func() {
		if !pending {
			return
		}
		select {
		case out <- b:
		case <-ctx.Done():
		}
		b, pending = FeedBatch{}, false
	}
	for {
		select {
		case <-ctx.Done():
			return
		case <-t.C:
			flush()
		case v := <-in:
			pending = true
			addToBatch(&b, v)
			if len(b.Lines) >= maxLines {
				flush()
			}
		}
	}
}

func addToBatch(b *FeedBatch, v any) {
	switch v := v.(type) {
	case LogLine:
		b.Lines = append(b.Lines, v)
	case ContainerState:
		if b.Full {
			b.States = upsert(b.States, v) // a full set stays one entry per container
			return
		}
		b.States = append(b.States, v)
	case fullStates:
		b.Full, b.States = true, []ContainerState(v)
	case Stats:
		b.Stats = append(b.Stats, v)
	case FeedEvent:
		b.Events = append(b.Events, v)
	case ConnState:
		b.Conn = &v
	}
}

func upsert(states []ContainerState, st ContainerState) []ContainerState {
	for i := range states {
		if states[i].ID == st.ID {
			if st.Removed {
				return append(states[:i], states[i+1:]...)
			}
			states[i] = st
			return states
		}
	}
	if st.Removed {
		return states
	}
	return append(states, st)
}
