package kubefeed

import (
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/devstack/devstack/internal/feed"
	"github.com/devstack/devstack/internal/kube/wire"
)

var t0 = time.Date(2026, 1, 2, 10, 0, 0, 0, time.UTC)

// synced are the first lists of every kind, empty.
func synced() []wire.Change {
	var out []wire.Change
	for _, k := range kinds {
		out = append(out, wire.Change{Kind: k, Type: wire.ChangeList})
	}
	return out
}

func pod(name, svc, node, phase, ready string, restarts int32) wire.Pod {
	return wire.Pod{Name: name, Service: svc, Node: node, Phase: phase, Ready: ready, Restarts: restarts, IP: "10.88.0.9", Started: t0}
}

func set(kind string, objs ...any) wire.Change { return change(kind, wire.ChangeSet, objs...) }

func change(kind, typ string, objs ...any) wire.Change {
	c := wire.Change{Kind: kind, Type: typ}
	for _, o := range objs {
		switch o := o.(type) {
		case wire.Workload:
			c.Workloads = append(c.Workloads, o)
		case wire.Pod:
			c.Pods = append(c.Pods, o)
		case wire.ServicePorts:
			c.Services = append(c.Services, o)
		case wire.Event:
			c.Events = append(c.Events, o)
		}
	}
	return c
}

func services(svcs []feed.ServiceState) string {
	var out []string
	for _, s := range svcs {
		line := fmt.Sprintf("%s %s %d/%d %s", s.Name, s.Mode, s.Running, s.Desired, s.Image)
		if s.Update != "" {
			line += " " + feed.UpdateText(s.Update)
		}
		if s.UpdateMsg != "" {
			line += ": " + s.UpdateMsg
		}
		for _, p := range s.Ports {
			line += fmt.Sprintf(" *:%d->%d/%s", p.HostPort, p.ContainerPort, p.Proto)
		}
		out = append(out, line)
	}
	return strings.Join(out, "\n")
}

func tasks(pods []feed.ContainerState) string {
	var out []string
	for _, p := range pods {
		line := fmt.Sprintf("%s %s@%s %s restarts=%d", p.Name, p.Service, p.Node, p.State, p.RestartCount)
		for _, ip := range p.IPs {
			line += " " + ip.Network + "=" + ip.IP
		}
		if p.Error != "" {
			line += " error=" + p.Error
		}
		out = append(out, line)
	}
	return strings.Join(out, "\n")
}

func events(evs []feed.Event) string {
	var out []string
	for _, e := range evs {
		out = append(out, e.Service+": "+e.Text)
	}
	return strings.Join(out, "\n")
}

func TestState(t *testing.T) {
	api := wire.Workload{Kind: wire.KindDeployment, Name: "api", Service: "api", Image: "app:1", Desired: 2, Ready: 2}
	web := wire.Workload{Kind: wire.KindDeployment, Name: "web", Service: "web", Image: "web:1", Desired: 1, Ready: 1}
	webSvc := wire.ServicePorts{Name: "web", Service: "web", Type: "NodePort", Ports: []wire.NodePort{{NodePort: 30080, Port: 8080, Target: 8080, Proto: "tcp"}}}
	with := func(w wire.Workload, f func(*wire.Workload)) wire.Workload { f(&w); return w }
	ev := func(name, kind, obj, reason, msg string, count int32, sec int) wire.Event {
		return wire.Event{Name: name, Time: t0.Add(time.Duration(sec) * time.Second), Type: "Normal", Reason: reason, Message: msg, ObjectKind: kind, ObjectName: obj, Count: count}
	}
	for _, tc := range []struct {
		name                     string
		changes                  []wire.Change
		svcs, pods, evs, evsMore string
	}{
		{name: "nothing deployed", changes: synced()},
		{name: "services with replicas, ports and pods per node",
			changes: append(synced(),
				change(wire.KindDeployment, wire.ChangeList, web, api),
				set(wire.KindService, webSvc, wire.ServicePorts{Name: "api", Service: "api", Type: "ClusterIP"}),
				set(wire.KindPod, pod("web-5d-a", "web", "node1", "Running", "1/1", 0), pod("api-7c-b", "api", "node2", "Running", "1/1", 0),
					pod("api-7c-a", "api", "node1", "Pending", "0/1", 0))),
			svcs: "api Deployment 2/2 app:1\nweb Deployment 1/1 web:1 *:30080->8080/tcp",
			pods: "api-7c-a api@node1 pending restarts=0 pod=10.88.0.9\napi-7c-b api@node2 running restarts=0 pod=10.88.0.9\nweb-5d-a web@node1 running restarts=0 pod=10.88.0.9"},
		{name: "a list replaces only its kind's workloads",
			changes: append(synced(), set(wire.KindDeployment, api), set(wire.KindJob, wire.Workload{Kind: wire.KindJob, Name: "seed", Service: "seed", Desired: 1}),
				change(wire.KindDeployment, wire.ChangeList, web)),
			svcs: "seed Job 0/1 \nweb Deployment 1/1 web:1"},
		{name: "rollout, failure, deletion",
			changes: append(synced(), set(wire.KindDeployment, with(api, func(w *wire.Workload) { w.Rolling, w.Ready = true, 1 })),
				set(wire.KindStatefulSet, wire.Workload{Kind: wire.KindStatefulSet, Name: "db", Service: "db", Desired: 1, Failed: "deadline exceeded"}),
				set(wire.KindDaemonSet, wire.Workload{Kind: wire.KindDaemonSet, Name: "agent", Service: "agent", Desired: 2, Ready: 2}),
				change(wire.KindDaemonSet, wire.ChangeDelete, wire.Workload{Kind: wire.KindDaemonSet, Name: "agent"})),
			svcs: "api Deployment 1/2 app:1 updating\ndb StatefulSet 0/1  failed: deadline exceeded"},
		{name: "a restart is an event, a crash loop its reason, an unready pod says so",
			changes: append(synced(), set(wire.KindPod, pod("api-7c-a", "api", "n1", "Running", "1/1", 0)),
				set(wire.KindPod, wire.Pod{Name: "api-7c-a", Service: "api", Node: "n1", Phase: "Running", Ready: "0/1", Restarts: 1, LastEnd: "Error (exit 3)", Reason: "CrashLoopBackOff"}),
				set(wire.KindPod, wire.Pod{Name: "api-7c-b", Service: "api", Node: "n1", Phase: "Running", Ready: "0/1", Restarts: 2, LastEnd: "Error (exit 3)"})),
			pods: "api-7c-a api@n1 unready restarts=1 error=CrashLoopBackOff\napi-7c-b api@n1 unready restarts=2 error=last ended: Error (exit 3)",
			evs:  "api: api-7c-a restarted (1 restart): Error (exit 3)"},
		{name: "a pod deleted goes",
			changes: append(synced(), set(wire.KindPod, pod("a", "api", "n1", "Running", "1/1", 0), pod("b", "api", "n1", "Running", "1/1", 0)),
				change(wire.KindPod, wire.ChangeDelete, wire.Pod{Name: "a"})),
			pods: "b api@n1 running restarts=0 pod=10.88.0.9"},
		{name: "the project's events, in time order, others of the namespace left out",
			changes: append(synced(), set(wire.KindDeployment, api), set(wire.KindPod, pod("api-7c-a", "api", "n1", "Running", "1/1", 0)),
				set(wire.KindService, webSvc),
				set(wire.KindEvent, ev("e1", "Pod", "api-7c-a", "Unhealthy", "Readiness probe failed", 3, 5),
					ev("e2", "ReplicaSet", "api-7c", "SuccessfulCreate", "Created pod: api-7c-a", 1, 1),
					ev("e3", "Pod", "other-1", "Pulled", "not ours", 1, 2),
					ev("e4", "Deployment", "api", "ScalingReplicaSet", "Scaled up replica set api-7c to 2", 1, 0),
					ev("e5", "Service", "web", "Type", "NodePort -> NodePort", 1, 3))),
			svcs: "api Deployment 2/2 app:1",
			pods: "api-7c-a api@n1 running restarts=0 pod=10.88.0.9",
			evs: "api: api ScalingReplicaSet: Scaled up replica set api-7c to 2\napi: api-7c SuccessfulCreate: Created pod: api-7c-a\n" +
				"web: web Type: NodePort -> NodePort\napi: api-7c-a Unhealthy: Readiness probe failed (3 times)"},
		{name: "an event told once, again when it recurs; one of a pod not seen yet waits for it",
			changes: append(synced(), set(wire.KindEvent, ev("e1", "Pod", "api-1", "BackOff", "Back-off restarting failed container", 1, 0)),
				set(wire.KindPod, pod("api-1", "api", "n1", "Running", "1/1", 0))),
			pods:    "api-1 api@n1 running restarts=0 pod=10.88.0.9",
			evs:     "api: api-1 BackOff: Back-off restarting failed container",
			evsMore: "api: api-1 BackOff: Back-off restarting failed container (4 times)"},
		{name: "no events before every kind was listed",
			changes: []wire.Change{set(wire.KindPod, pod("api-1", "api", "n1", "Running", "1/1", 0)),
				set(wire.KindEvent, ev("e1", "Pod", "api-1", "Started", "Started container", 1, 0))},
			pods: "api-1 api@n1 running restarts=0 pod=10.88.0.9"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			s := NewState()
			for _, c := range tc.changes {
				s.Apply(c, t0)
			}
			svcs, pods := s.Stack()
			if got := services(svcs); got != tc.svcs {
				t.Errorf("services:\n%s\nwant\n%s", got, tc.svcs)
			}
			if got := tasks(pods); got != tc.pods {
				t.Errorf("pods:\n%s\nwant\n%s", got, tc.pods)
			}
			if got := events(s.TakeEvents()); got != tc.evs {
				t.Errorf("events:\n%s\nwant\n%s", got, tc.evs)
			}
			if got := events(s.TakeEvents()); got != "" {
				t.Errorf("events taken twice: %s", got)
			}
			if tc.evsMore != "" {
				s.Apply(set(wire.KindEvent, ev("e1", "Pod", "api-1", "BackOff", "Back-off restarting failed container", 4, 30)), t0)
				if got := events(s.TakeEvents()); got != tc.evsMore {
					t.Errorf("recurring event:\n%s\nwant\n%s", got, tc.evsMore)
				}
			}
		})
	}
}

func TestSynced(t *testing.T) {
	s := NewState()
	for i, c := range synced() {
		if s.Synced() {
			t.Fatalf("synced after %d of %d kinds", i, len(kinds))
		}
		s.Apply(set(c.Kind), t0) // a set is no list
		s.Apply(c, t0)
	}
	if !s.Synced() {
		t.Error("not synced after every kind was listed")
	}
}

func TestRestarts(t *testing.T) {
	for n, want := range map[int]string{1: "1 restart", 2: "2 restarts", 12: "12 restarts"} {
		if got := Restarts(n); got != want {
			t.Errorf("Restarts(%d) = %q, want %q", n, got, want)
		}
	}
}
