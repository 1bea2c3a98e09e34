package kubefeed

import (
	"cmp"
	"fmt"
	"slices"
	"strings"
	"time"

	"github.com/devstack/devstack/internal/feed"
	"github.com/devstack/devstack/internal/kube/wire"
)

// maxEvents is how many of the namespace's Events the state keeps.
const maxEvents = 200

// State is what the dashboard knows of a project on Kubernetes, built from
// the helper's changes: its workloads, Services, pods and the namespace's
// recent Events. Pure: Apply takes in a change, Stack and TakeEvents say
// what to show.
type State struct {
	workloads map[string]wire.Workload     // KIND/NAME
	services  map[string]wire.ServicePorts // NAME
	pods      map[string]wire.Pod          // NAME
	podSvc    map[string]string            // NAME -> service, of every pod seen (Events outlive pods)
	events    []wire.Event                 // newest last
	told      map[string]int32             // Event name -> count already worded
	listed    map[string]bool              // kinds listed once at least
	notes     []feed.Event                 // worded from changes, not taken yet
}

// NewState is the state before the first change.
func NewState() *State {
	return &State{workloads: map[string]wire.Workload{}, services: map[string]wire.ServicePorts{}, pods: map[string]wire.Pod{},
		podSvc: map[string]string{}, told: map[string]int32{}, listed: map[string]bool{}}
}

// kinds are those the helper watches: the state is synced once each was listed.
var kinds = append(slices.Clone(wire.WorkloadKinds), wire.KindService, wire.KindPod, wire.KindEvent)

// Synced says every kind was listed: the state is the cluster's.
func (s *State) Synced() bool {
	for _, k := range kinds {
		if !s.listed[k] {
			return false
		}
	}
	return true
}

// Apply takes in one change, seen at at: a pod that restarted since the
// state last saw it is worded as an event.
func (s *State) Apply(c wire.Change, at time.Time) {
	list, del := c.Type == wire.ChangeList, c.Type == wire.ChangeDelete
	switch {
	case slices.Contains(wire.WorkloadKinds, c.Kind):
		if list {
			for k, w := range s.workloads {
				if w.Kind == c.Kind {
					delete(s.workloads, k)
				}
			}
		}
		for _, w := range c.Workloads {
			setOrDelete(s.workloads, c.Kind+"/"+w.Name, w, del)
		}
	case c.Kind == wire.KindService:
		if list {
			clear(s.services)
		}
		for _, sv := range c.Services {
			setOrDelete(s.services, sv.Name, sv, del)
		}
	case c.Kind == wire.KindPod:
		s.applyPods(c, at)
	case c.Kind == wire.KindEvent:
		s.applyEvents(c)
	}
	s.listed[c.Kind] = s.listed[c.Kind] || list
}

func setOrDelete[T any](m map[string]T, key string, v T, del bool) {
	if del {
		delete(m, key)
	} else {
		m[key] = v
	}
}

func (s *State) applyPods(c wire.Change, at time.Time) {
	prev := s.pods
	if c.Type == wire.ChangeList {
		s.pods = map[string]wire.Pod{}
	}
	for _, p := range c.Pods {
		s.podSvc[p.Name] = p.Service
		if c.Type == wire.ChangeDelete {
			delete(s.pods, p.Name)
			continue
		}
		if old, ok := prev[p.Name]; ok && p.Restarts > old.Restarts {
			text := p.Name + " restarted (" + Restarts(int(p.Restarts)) + ")"
			if p.LastEnd != "" {
				text += ": " + p.LastEnd
			}
			s.notes = append(s.notes, feed.Event{Time: at, Service: p.Service, Text: text})
		}
		s.pods[p.Name] = p
	}
}

func (s *State) applyEvents(c wire.Change) {
	if c.Type == wire.ChangeList {
		s.events = s.events[:0]
	}
	for _, e := range c.Events {
		s.events = slices.DeleteFunc(s.events, func(o wire.Event) bool { return o.Name == e.Name })
		if c.Type != wire.ChangeDelete {
			s.events = append(s.events, e)
		}
	}
	slices.SortStableFunc(s.events, func(a, b wire.Event) int { return a.Time.Compare(b.Time) })
	if over := len(s.events) - maxEvents; over > 0 {
		s.events = slices.Delete(s.events, 0, over)
	}
}

// TakeEvents words what happened since the last call: the restarts seen
// and, once synced, the project's Events not worded yet (an Event whose
// object the state does not know yet waits for it). Events of other
// objects of the namespace are left out.
func (s *State) TakeEvents() []feed.Event {
	out := s.notes
	s.notes = nil
	if !s.Synced() {
		return out
	}
	for _, e := range s.events {
		if n, ok := s.told[e.Name]; ok && n >= e.Count {
			continue
		}
		svc, ok := s.owner(e.ObjectKind, e.ObjectName)
		if !ok {
			continue
		}
		s.told[e.Name] = e.Count
		out = append(out, feed.Event{Time: e.Time, Service: svc, Text: EventText(e)})
	}
	slices.SortStableFunc(out, func(a, b feed.Event) int { return a.Time.Compare(b.Time) })
	return out
}

// Restarts words a count of restarts: "1 restart", "3 restarts". Pure.
func Restarts(n int) string {
	if n == 1 {
		return "1 restart"
	}
	return fmt.Sprintf("%d restarts", n)
}

// EventText words an Event: "web-5d8f-x2x9z Unhealthy: Readiness probe failed (5 times)". Pure.
func EventText(e wire.Event) string {
	text := e.ObjectName + " " + e.Reason
	if e.Message != "" {
		text += ": " + e.Message
	}
	if e.Count > 1 {
		text += fmt.Sprintf(" (%d times)", e.Count)
	}
	return text
}

// owner is the compose service an Event's object belongs to, when it is
// the project's: one of its pods, workloads or Services, or a ReplicaSet
// of one of its Deployments (named DEPLOYMENT-HASH).
func (s *State) owner(kind, name string) (string, bool) {
	switch kind {
	case wire.KindPod:
		svc, ok := s.podSvc[name]
		return svc, ok
	case wire.KindService:
		sv, ok := s.services[name]
		return sv.Service, ok
	case "ReplicaSet":
		for _, w := range s.workloads {
			if w.Kind == wire.KindDeployment && strings.HasPrefix(name, w.Name+"-") {
				return serviceOf(w), true
			}
		}
		return "", false
	}
	w, ok := s.workloads[kind+"/"+name]
	return serviceOf(w), ok
}

func serviceOf(w wire.Workload) string { return cmp.Or(w.Service, w.Name) }
