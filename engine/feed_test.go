package engine

import (
	"context"
	"testing"
	"time"

	"github.com/docker/docker/api/types/container"
	"github.com/docker/docker/api/types/events"
	"github.com/docker/docker/api/types/network"
	"github.com/docker/go-connections/nat"
)

func TestStateOf(t *testing.T) {
	ins := container.InspectResponse{
		ContainerJSONBase: &container.ContainerJSONBase{
			ID: "abc", Name: "/p-web-2", RestartCount: 4,
			State: &container.State{Status: "running", StartedAt: "2026-01-02T10:00:00.5Z", Health: &container.Health{Status: "healthy"}},
		},
		Config: &container.Config{Labels: map[string]string{LabelService: "web", LabelNumber: "2"}},
		NetworkSettings: &container.NetworkSettings{
			NetworkSettingsBase: container.NetworkSettingsBase{Ports: nat.PortMap{
				"80/tcp":   {{HostIP: "127.0.0.1", HostPort: "8080"}, {HostIP: "::", HostPort: "8080"}},
				"443/tcp":  {{HostIP: "127.0.0.1", HostPort: "8443"}},
				"9000/tcp": nil, // exposed, not published
			}},
			Networks: map[string]*network.EndpointSettings{
				"a_other":   {IPAddress: "10.0.0.9"},
				"p_default": {IPAddress: "172.20.0.3"},
				"none":      {},
			},
		},
	}
	st := stateOf("p", ins)
	if st.Name != "p-web-2" || st.Service != "web" || st.Number != 2 || st.State != "running" || st.Health != "healthy" || st.RestartCount != 4 {
		t.Errorf("state %+v", st)
	}
	if want := time.Date(2026, 1, 2, 10, 0, 0, 5e8, time.UTC); !st.StartedAt.Equal(want) {
		t.Errorf("started %v", st.StartedAt)
	}
	if len(st.IPs) != 2 || st.IPs[0] != (NetworkIP{"p_default", "172.20.0.3"}) {
		t.Errorf("IPs %v: want the project's network first", st.IPs)
	}
	if len(st.Ports) != 3 || st.Ports[0].ContainerPort != 80 || st.Ports[2] != (PortBinding{"127.0.0.1", 8443, 443, "tcp"}) {
		t.Errorf("ports %+v", st.Ports)
	}
}

func TestFullBatchOneEntryPerContainer(t *testing.T) {
	var b FeedBatch
	addToBatch(&b, ContainerState{ID: "x", State: "exited"}) // before the snapshot: superseded
	addToBatch(&b, fullStates{{ID: "a", State: "running"}, {ID: "b", State: "running"}})
	addToBatch(&b, ContainerState{ID: "a", State: "exited"})
	addToBatch(&b, ContainerState{ID: "b", Removed: true})
	addToBatch(&b, ContainerState{ID: "c", State: "created"})
	if !b.Full || len(b.States) != 2 || b.States[0].State != "exited" || b.States[1].ID != "c" {
		t.Fatalf("full batch %+v", b.States)
	}
}

func TestBatchFlushes(t *testing.T) {
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	in, out := make(chan any), make(chan FeedBatch)
	go batch(ctx, in, out, time.Hour, 3) // only the line limit flushes
	for i := 0; i < 3; i++ {
		in <- LogLine{Text: "l"}
	}
	if b := <-out; len(b.Lines) != 3 {
		t.Fatalf("batch of %d lines", len(b.Lines))
	}
	in, out = make(chan any), make(chan FeedBatch)
	go batch(ctx, in, out, 10*time.Millisecond, 1000) // the interval flushes what is there
	in <- LogLine{Text: "one"}
	in <- Stats{ContainerID: "a"}
	select {
	case b := <-out:
		if len(b.Lines)+len(b.Stats) == 0 {
			t.Fatal("empty batch")
		}
	case <-time.After(2 * time.Second):
		t.Fatal("no batch within the interval")
	}
}

func TestStatsOf(t *testing.T) {
	var s container.StatsResponse
	s.CPUStats.CPUUsage.TotalUsage, s.PreCPUStats.CPUUsage.TotalUsage = 3e9, 2e9
	s.CPUStats.SystemUsage, s.PreCPUStats.SystemUsage = 12e9, 8e9
	s.CPUStats.OnlineCPUs = 2
	s.MemoryStats.Usage, s.MemoryStats.Limit = 100<<20, 1<<30
	s.MemoryStats.Stats = map[string]uint64{"inactive_file": 30 << 20}
	st := StatsOf("a", s)
	if st.CPUPercent != 50 || st.MemBytes != 70<<20 || st.MemLimit != 1<<30 {
		t.Errorf("stats %+v", st)
	}
}

func TestRecreatedDetection(t *testing.T) {
	f := &feed{slots: map[string]slot{}}
	now := time.Now()
	ev := func(action events.Action, id string, at time.Time) ContainerEvent {
		return ContainerEvent{Action: action, ID: id, Service: "web", Number: 1, Time: at}
	}
	if f.replaced(ev(events.ActionCreate, "a", now)) {
		t.Error("a first container is not a recreate")
	}
	f.replaced(ev(events.ActionDestroy, "a", now))
	if !f.replaced(ev(events.ActionCreate, "b", now.Add(time.Second))) {
		t.Error("a container replacing a removed one is a recreate")
	}
	f.replaced(ev(events.ActionDestroy, "b", now))
	if f.replaced(ev(events.ActionCreate, "c", now.Add(2*time.Minute))) {
		t.Error("a container created long after the last one went is new")
	}
}

// Execs (healthchecks, shells, watch's reload hooks) change no state and
// say nothing: a reload reaches the dashboard as a progress event.
func TestExecEventsIgnored(t *testing.T) {
	in := make(chan any, 4)
	f := &feed{in: in, slots: map[string]slot{}}
	for _, a := range []string{"exec_start: nginx -s reload", "exec_create: sh", "exec_die"} {
		f.onEvent(context.Background(), ContainerEvent{Action: events.Action(a), ID: "x", Service: "web", Number: 1})
	}
	if len(in) != 0 {
		t.Fatalf("%d messages, want none", len(in))
	}
}

func TestResumeAt(t *testing.T) {
	since := time.Unix(100, 0)
	f := NewLogFollower(nil, nil, "p", FollowOptions{Since: since})
	if got := f.resumeAt("a"); !got.Equal(since) {
		t.Errorf("new container: %v, want the feed's Since", got)
	}
	f.died["a"] = time.Unix(200, 0)
	if got := f.resumeAt("a"); !got.Equal(time.Unix(200, 0)) {
		t.Errorf("died, no line seen: %v, want the death", got)
	}
	f.lastLine["a"] = time.Unix(150, 5)
	if got := f.resumeAt("a"); !got.Equal(time.Unix(150, 6)) {
		t.Errorf("lines seen: %v, want just after the last", got)
	}
}
