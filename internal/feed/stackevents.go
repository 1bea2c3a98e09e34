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
	before := map[string]ServiceState{}
	for _, s := range prevSvcs {
		before[s.ID] = s
	}
	seen := map[string]bool{}
	for _, s := range svcs {
		seen[s.ID] = true
		p, ok := before[s.ID]
		switch {
		case !ok:
			add(s.Name, s.Name+" created")
			continue
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
	for _, p := range prevSvcs {
		if !seen[p.ID] {
			add(p.Name, p.Name+" removed")
		}
	}
	taskEvents(prevTasks, tasks, add)
	return out
}

func taskEvents(prevTasks, tasks []ContainerState, add func(service, text string)) {
	before := map[string]ContainerState{}
	for _, t := range prevTasks {
		before[t.ID] = t
	}
	seen := map[string]bool{}
	for _, t := range tasks {
		seen[t.ID] = true
		p, ok := before[t.ID]
		if ok && p.State == t.State {
			continue
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
			if ok {
				add(t.Service, t.Name+" "+t.State+onNode(t.Node))
			}
		}
	}
	for _, p := range prevTasks {
		if !seen[p.ID] && p.State == "running" {
			add(p.Service, p.Name+" shut down"+onNode(p.Node))
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
	}
	return "update " + state
}
