package feed

import (
	"context"
	"time"
)

// batch collects what the feed's goroutines report and sends it on as one
// Batch every interval, or earlier once maxLines lines are waiting.
// A slow reader slows the log streams down instead of growing memory.
func batch(ctx context.Context, in <-chan any, out chan<- Batch, interval time.Duration, maxLines int) {
	t := time.NewTicker(interval)
	defer t.Stop()
	var b Batch
	pending := false
	flush := func() {
		if !pending {
			return
		}
		select {
		case out <- b:
		case <-ctx.Done():
		}
		b, pending = Batch{}, false
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

func addToBatch(b *Batch, v any) {
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
	case fullStack:
		b.Full, b.Stack, b.Services, b.States = true, true, v.services, v.tasks
	case Stats:
		b.Stats = append(b.Stats, v)
	case Event:
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
