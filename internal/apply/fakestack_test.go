package apply

import (
	"context"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/devstack/devstack/internal/containers"
	"github.com/devstack/devstack/internal/logs"
	"github.com/devstack/devstack/internal/progress"

	"github.com/compose-spec/compose-go/v2/types"
	"github.com/docker/docker/api/types/container"
	"github.com/docker/docker/api/types/events"
	"github.com/docker/docker/api/types/network"
	"github.com/docker/docker/api/types/volume"

	"github.com/devstack/devstack/internal/dockerapi"
)

// fakeStack runs the apply flows (Up, Down, ...) of project "demo"
// against the fake engine, and reads back what they left there.
type fakeStack struct {
	t   *testing.T
	api *dockerapi.FakeClient
	out *recorder
}

// newFakeStack is an engine with the images the tests' compose files name.
func newFakeStack(t *testing.T) *fakeStack {
	t.Helper()
	api := dockerapi.NewFakeClient()
	for _, ref := range []string{"nginx:1.27", "postgres:16", "busybox:1.36"} {
		api.AddImage(ref, nil)
	}
	return &fakeStack{t: t, api: api, out: &recorder{}}
}

// up loads the compose file and converges it, as `devstack up -d`; Known
// defaults to the file's services.
func (s *fakeStack) up(yaml string, o UpOptions) (UpResult, error) {
	s.t.Helper()
	return s.upProject(load(s.t, yaml), o)
}

func (s *fakeStack) upProject(p *types.Project, o UpOptions) (UpResult, error) {
	if o.Known == nil {
		o.Known = p.ServiceNames()
	}
	ctx, cancel := context.WithTimeout(context.Background(), 20*time.Second)
	defer cancel()
	return Up(ctx, s.api, logs.NewMonitor(s.api, p.Name), p, o, s.out)
}

func (s *fakeStack) mustUp(yaml string, o UpOptions) UpResult {
	s.t.Helper()
	res, err := s.up(yaml, o)
	if err != nil {
		s.t.Fatalf("up: %v", err)
	}
	return res
}

func (s *fakeStack) down(o DownOptions) error {
	ctx, cancel := context.WithTimeout(context.Background(), 20*time.Second)
	defer cancel()
	return Down(ctx, s.api, "demo", o, s.out)
}

// containers are the project's containers by name, as the engine lists them.
func (s *fakeStack) containers() map[string]container.Summary {
	s.t.Helper()
	list, err := s.api.ContainerList(context.Background(), container.ListOptions{All: true, Filters: containers.ProjectFilter("demo")})
	if err != nil {
		s.t.Fatal(err)
	}
	out := map[string]container.Summary{}
	for _, c := range list {
		out[strings.TrimPrefix(c.Names[0], "/")] = c
	}
	return out
}

// states is "name state" of each of the project's containers, sorted.
func (s *fakeStack) states() []string {
	var out []string
	for name, c := range s.containers() {
		out = append(out, name+" "+string(c.State))
	}
	slices.Sort(out)
	return out
}

func (s *fakeStack) wantStates(want ...string) {
	s.t.Helper()
	if got := s.states(); !slices.Equal(got, want) {
		s.t.Fatalf("containers:\n  got  %q\n  want %q", got, want)
	}
}

func (s *fakeStack) inspect(name string) container.InspectResponse {
	s.t.Helper()
	c, err := s.api.ContainerInspect(context.Background(), name)
	if err != nil {
		s.t.Fatal(err)
	}
	return c
}

// networks names the networks there are, the engine's own left out.
func (s *fakeStack) networks() []string {
	list, err := s.api.NetworkList(context.Background(), network.ListOptions{})
	if err != nil {
		s.t.Fatal(err)
	}
	var out []string
	for _, n := range list {
		if n.Name != "bridge" && n.Name != "host" && n.Name != "none" {
			out = append(out, n.Name)
		}
	}
	slices.Sort(out)
	return out
}

// volumes names the volumes there are, anonymous ones as "anon".
func (s *fakeStack) volumes() []string {
	list, err := s.api.VolumeList(context.Background(), volume.ListOptions{})
	if err != nil {
		s.t.Fatal(err)
	}
	var out []string
	for _, v := range list.Volumes {
		if containers.AnonymousName(v.Name) {
			out = append(out, "anon")
		} else {
			out = append(out, v.Name)
		}
	}
	slices.Sort(out)
	return out
}

// engineEvents are the container events the engine sent since the
// mark, as "action name" (health_status as "health_status: healthy name").
func (s *fakeStack) engineEvents(mark int) []string {
	var out []string
	for _, m := range s.api.Sent()[mark:] {
		if m.Type == events.ContainerEventType {
			out = append(out, string(m.Action)+" "+m.Actor.Attributes["name"])
		}
	}
	return out
}

func (s *fakeStack) mark() int { return len(s.api.Sent()) }

// eventually fails the test unless cond turns true within 5 seconds.
func eventually(t *testing.T, what string, cond func() bool) {
	t.Helper()
	for deadline := time.Now().Add(5 * time.Second); !cond(); time.Sleep(5 * time.Millisecond) {
		if time.Now().After(deadline) {
			t.Fatalf("timed out waiting until %s", what)
		}
	}
}

// recorder keeps the progress events a flow reports.
type recorder struct {
	mu     sync.Mutex
	events []progress.Event
}

func (r *recorder) Event(e progress.Event) {
	r.mu.Lock()
	defer r.mu.Unlock()
	r.events = append(r.events, e)
}

// saw tells whether an event of the kind, name and status was reported.
func (r *recorder) saw(kind progress.Kind, name, status string) bool {
	r.mu.Lock()
	defer r.mu.Unlock()
	return slices.ContainsFunc(r.events, func(e progress.Event) bool { return e.Kind == kind && e.Name == name && e.Status == status })
}

// warned tells whether a warning containing text was reported.
func (r *recorder) warned(text string) bool {
	r.mu.Lock()
	defer r.mu.Unlock()
	return slices.ContainsFunc(r.events, func(e progress.Event) bool { return e.Kind == progress.KindWarning && strings.Contains(e.Detail, text) })
}
