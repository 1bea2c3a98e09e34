package logs

import (
	"context"
	"sync"
	"testing"
	"time"

	"github.com/docker/docker/api/types/container"

	"github.com/devstack/devstack/internal/convert"
	"github.com/devstack/devstack/internal/dockerapi"
	"github.com/devstack/devstack/internal/plan"
)

// runService starts the container p-SERVICE-1 of project p on the fake engine.
func runService(t *testing.T, api *dockerapi.FakeClient, service string) string {
	t.Helper()
	ctx := context.Background()
	labels := map[string]string{convert.LabelProject: "p", convert.LabelService: service, convert.LabelNumber: "1"}
	c, err := api.ContainerCreate(ctx, &container.Config{Image: "busybox", Labels: labels}, nil, nil, nil, "p-"+service+"-1")
	if err != nil {
		t.Fatal(err)
	}
	if err := api.ContainerStart(ctx, c.ID, container.StartOptions{}); err != nil {
		t.Fatal(err)
	}
	return "p-" + service + "-1"
}

// recordSink keeps what a Follower hands on.
type recordSink struct {
	mu     sync.Mutex
	begin  []plan.Container
	lines  []Line
	exited []ContainerEvent
}

func (r *recordSink) Begin(cs []plan.Container) { r.mu.Lock(); r.begin = cs; r.mu.Unlock() }
func (r *recordSink) Line(l Line)               { r.mu.Lock(); r.lines = append(r.lines, l); r.mu.Unlock() }
func (r *recordSink) Exited(e ContainerEvent) {
	r.mu.Lock()
	r.exited = append(r.exited, e)
	r.mu.Unlock()
}

// Not following: every selected container's lines, split, with the
// engine's timestamps read off, and a last line without a newline.
func TestFollowerReads(t *testing.T) {
	api := dockerapi.NewFakeClient()
	api.AddImage("busybox", nil)
	web, db := runService(t, api, "web"), runService(t, api, "db")
	t0 := time.Date(2026, 1, 2, 10, 0, 0, 1, time.UTC)
	for _, err := range []error{
		api.Print(web, t0, "ready\r\n"), api.Print(web, t0.Add(time.Second), "last"),
		api.Print(db, t0, "db line\n"), api.Exit(db, 0),
	} {
		if err != nil {
			t.Fatal(err)
		}
	}
	var sink recordSink
	err := NewFollower(api, NewMonitor(api, "p"), "p", FollowOptions{Services: []string{"web"}}).Run(context.Background(), &sink)
	if err != nil {
		t.Fatal(err)
	}
	if len(sink.begin) != 1 || sink.begin[0].Service != "web" {
		t.Fatalf("selected %+v", sink.begin)
	}
	if len(sink.lines) != 2 || sink.lines[0].Text != "ready" || sink.lines[1].Text != "last" || sink.lines[0].Time.Nanosecond() != 1 {
		t.Fatalf("lines %+v", sink.lines)
	}
	if n := api.Count("Events"); n != 0 {
		t.Error("not following subscribed to events")
	}
}

// Following with UntilStopped: the exit is reported and following ends
// once nothing selected runs.
func TestFollowerUntilStopped(t *testing.T) {
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	api := dockerapi.NewFakeClient()
	api.AddImage("busybox", nil)
	web := runService(t, api, "web")
	if err := api.AddLogs(web, "hello"); err != nil {
		t.Fatal(err)
	}
	var sink recordSink
	done := make(chan error, 1)
	go func() {
		done <- NewFollower(api, NewMonitor(api, "p"), "p", FollowOptions{Follow: true, UntilStopped: true}).Run(ctx, &sink)
	}()
	for api.EventStreams() == 0 {
		time.Sleep(5 * time.Millisecond)
	}
	if err := api.Exit(web, 3); err != nil {
		t.Fatal(err)
	}
	if err := <-done; err != nil {
		t.Fatal(err)
	}
	if len(sink.exited) != 1 || sink.exited[0].ExitCode != "3" || sink.exited[0].Service != "web" {
		t.Fatalf("exits %+v", sink.exited)
	}
	if len(sink.lines) != 1 || sink.lines[0].Text != "hello" {
		t.Fatalf("lines %+v", sink.lines)
	}
}
