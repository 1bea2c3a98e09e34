package feed

import (
	"context"
	"errors"
	"strconv"
	"strings"
	"time"
)

func (f *feed) onEvent(ctx context.Context, ev ContainerEvent) {
	id, svc := ev.ID, ev.Service
	if f.probeEnded(ev) {
		if st, err := f.inspect(ctx, id); err == nil {
			f.send(ctx, st) // the health log's new probe, for the dependency view; no event to tell
		}
		return
	}
	if a := ev.Action; strings.HasPrefix(a, "exec_") || a == "top" || a == "attach" || a == "resize" {
		return // healthchecks, shells and watch's hooks (which report as progress): no state change
	}
	if ev.Action == "restart" {
		f.mu.Lock()
		f.restarts[id]++
		f.mu.Unlock()
	}
	st, err := f.inspect(ctx, id)
	if errors.Is(err, ErrGone) || ev.Action == "destroy" {
		st = ContainerState{ID: id, Service: svc, Removed: true}
	} else if err != nil {
		return
	}
	f.send(ctx, st)
	if f.replaced(ev) {
		f.send(ctx, Event{Time: ev.Time, Service: svc, Text: sourceOf(ev) + " recreated"})
	} else if text := eventText(ev, st); text != "" {
		f.send(ctx, Event{Time: ev.Time, Service: svc, Text: text})
	}
	switch ev.Action {
	case "start":
		f.attachStats(ctx, id)
	case "die", "destroy":
		f.mu.Lock()
		if stop := f.stats[id]; stop != nil {
			stop()
			delete(f.stats, id)
		}
		f.mu.Unlock()
	}
}

// slot is what the feed knows of a service replica's container.
type slot struct {
	id   string
	gone time.Time // when it was removed
}

// replaced says whether a created container takes the place of another of
// the same service and number (there now, or removed in the last minute).
func (f *feed) replaced(ev ContainerEvent) bool {
	key := ev.Service + "/" + strconv.Itoa(ev.Number)
	f.mu.Lock()
	defer f.mu.Unlock()
	prev, seen := f.slots[key]
	switch ev.Action {
	case "create":
		f.slots[key] = slot{id: ev.ID}
		return seen && prev.id != ev.ID && (prev.gone.IsZero() || ev.Time.Sub(prev.gone) < time.Minute)
	case "destroy":
		if prev.id == ev.ID {
			f.slots[key] = slot{id: ev.ID, gone: ev.Time}
		}
	default:
		if !seen {
			f.slots[key] = slot{id: ev.ID}
		}
	}
	return false
}

// sourceOf names the container as the dashboard does: the service, with
// the replica number when there are several.
func sourceOf(ev ContainerEvent) string {
	if ev.Service == "" {
		return ev.Name
	}
	if ev.Number > 1 {
		return ev.Service + "-" + strconv.Itoa(ev.Number)
	}
	return ev.Service
}

// eventText words the events a person wants to see without reading logs.
func eventText(ev ContainerEvent, st ContainerState) string {
	name := sourceOf(ev)
	switch a := ev.Action; {
	case a == "restart":
		return name + " restarted"
	case a == "die":
		return name + " exited with code " + ev.ExitCode
	case a == "create":
		return name + " created"
	case a == "destroy":
		return name + " removed"
	case a == "start":
		return name + " started"
	case a == "stop":
		return name + " stopped"
	case strings.HasPrefix(a, "health_status"):
		if st.Health == "unhealthy" || st.Health == "healthy" {
			return name + " " + st.Health
		}
	}
	return ""
}
