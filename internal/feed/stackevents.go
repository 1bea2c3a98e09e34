package feed

import (
	"strconv"
	"time"
)

// StackEvents words what changed between two looks at a deployed stack:
// services created, removed, scaled, their updates' progress, tasks that
// reached running, failed or went away. Pure.
func StackEvents(prevSvcs, svcs []ServiceState, prevTasks, tasks []ContainerState, at time.Time) []Event {
	var out []Event
	add := func(service, text string) { out = append(out, Event{Time: at, Service: service, Text: text}) }
	diffByID(prevSvcs, svcs, func(s ServiceState) string { return s.ID },
		func(p ServiceState, had bool, s ServiceState) { serviceEvents(p, had, s, add) },
		func(p ServiceState) { add(p.Name, p.Name+" removed") })
	diffByID(prevTasks, tasks, func(t ContainerState) string { return t.ID },
		func(p ContainerState, had bool, t ContainerState) { taskEvents(p, had, t, add) },
		func(p ContainerState) {
			if p.State == "running" {
				add(p.Service, p.Name+" shut down"+onNode(p.Node))
			}
		})
	return out
}

// diffByID calls changed for each of now with its version in prev (had
// false when it is new), in now's order, then gone for each of prev no
// longer in now. Pure.
func diffByID[T any](prev, now []T, id func(T) string, changed func(p T, had bool, n T), gone func(T)) {
	before := make(map[string]T, len(prev))
	for _, p := range prev {
		before[id(p)] = p
	}
	seen := make(map[string]bool, len(now))
	for _, n := range now {
		seen[id(n)] = true
		p, had := before[id(n)]
		changed(p, had, n)
	}
	for _, p := range prev {
		if !seen[id(p)] {
			gone(p)
		}
	}
}

// serviceEvents words what changed of a service since p (had false: it is new).
func serviceEvents(p ServiceState, had bool, s ServiceState, add func(service, text string)) {
	switch {
	case !had:
		add(s.Name, s.Name+" created")
		return
	case s.Mode == "replicated" && p.Desired != s.Desired:
		add(s.Name, s.Name+" scaled to "+strconv.Itoa(s.Desired))
	}
	if s.Image != p.Image {
		add(s.Name, s.Name+" image "+s.Image)
	}
	if s.Update != p.Update && s.Update != "" {
		text := s.Name + " " + UpdateText(s.Update)
		if s.UpdateMsg != "" && s.Update != "updating" && s.Update != "completed" {
			text += ": " + s.UpdateMsg
		}
		add(s.Name, text)
	}
}

// taskEvents words a task reaching a state worth a line since p (had
// false: it is new).
func taskEvents(p ContainerState, had bool, t ContainerState, add func(service, text string)) {
	if had && p.State == t.State {
		return
	}
	switch t.State {
	case "running":
		add(t.Service, t.Name+" running"+onNode(t.Node))
	case "failed", "rejected":
		text := t.Name + " " + t.State + onNode(t.Node)
		if t.Error != "" {
			text += ": " + t.Error
		}
		add(t.Service, text)
	case "shutdown", "complete":
		if had {
			add(t.Service, t.Name+" "+t.State+onNode(t.Node))
		}
	}
}

func onNode(node string) string {
	if node == "" {
		return ""
	}
	return " on " + node
}

// UpdateText words a service's update state (ServiceState.Update, swarm's
// UpdateStatus.State), for the events and the dashboard's update column.
func UpdateText(state string) string {
	switch state {
	case "updating":
		return "updating"
	case "paused":
		return "update paused"
	case "completed":
		return "updated"
	case "rollback_started":
		return "rolling back"
	case "rollback_paused":
		return "rollback paused"
	case "rollback_completed":
		return "rolled back"
	case "failed": // a Kubernetes rollout past its deadline, a failed Job
		return "failed"
	}
	return "update " + state
}
