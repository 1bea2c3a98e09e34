package apply

import (
	"context"
	"io"
	"strings"
	"sync"

	"github.com/containerd/errdefs"
	"github.com/devstack/devstack/internal/convert"
	"github.com/docker/docker/api/types/container"
	"github.com/docker/docker/api/types/events"
	"github.com/docker/docker/pkg/stdcopy"

	"github.com/devstack/devstack/internal/dockerapi"
)

// fakeEngine answers the few calls the waits and the log follower make,
// from containers the test sets up; any other call panics (nil ContainerAPI).
type fakeEngine struct {
	dockerapi.ContainerAPI
	*fakeEvents

	mu         sync.Mutex
	containers map[string]*fakeContainer
}

type fakeContainer struct {
	summary container.Summary
	state   container.State
	logs    string // what ContainerLogs returns, with timestamps
	health  *container.HealthConfig
}

func newFakeEngine() *fakeEngine {
	return &fakeEngine{fakeEvents: newFakeEvents(), containers: map[string]*fakeContainer{}}
}

func (f *fakeEngine) add(id, service, state, logs string) {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.containers[id] = &fakeContainer{
		summary: container.Summary{ID: id, Names: []string{"/p-" + service + "-1"}, State: container.ContainerState(state),
			Labels: map[string]string{convert.LabelProject: "p", convert.LabelService: service, convert.LabelNumber: "1"}},
		state: container.State{Status: container.ContainerState(state), Running: state == "running"},
		logs:  logs,
	}
}

func (f *fakeEngine) set(id string, fn func(*container.State)) {
	f.mu.Lock()
	defer f.mu.Unlock()
	c := f.containers[id]
	fn(&c.state)
	c.summary.State = c.state.Status
}

func (f *fakeEngine) Events(ctx context.Context, o events.ListOptions) (<-chan events.Message, <-chan error) {
	return f.fakeEvents.Events(ctx, o)
}

func (f *fakeEngine) ContainerList(ctx context.Context, _ container.ListOptions) ([]container.Summary, error) {
	f.mu.Lock()
	defer f.mu.Unlock()
	var out []container.Summary
	for _, c := range f.containers {
		out = append(out, c.summary)
	}
	return out, nil
}

func (f *fakeEngine) ContainerInspect(ctx context.Context, id string) (container.InspectResponse, error) {
	f.mu.Lock()
	defer f.mu.Unlock()
	c, ok := f.containers[id]
	if !ok {
		return container.InspectResponse{}, errdefs.ErrNotFound
	}
	st := c.state
	if st.Health != nil {
		h := *st.Health
		st.Health = &h
	}
	return container.InspectResponse{ContainerJSONBase: &container.ContainerJSONBase{ID: id, State: &st}, Config: &container.Config{Healthcheck: c.health}}, nil
}

// ContainerLogs frames the container's log text as the engine does for a
// container without a TTY.
func (f *fakeEngine) ContainerLogs(ctx context.Context, id string, _ container.LogsOptions) (io.ReadCloser, error) {
	f.mu.Lock()
	text := f.containers[id].logs
	f.mu.Unlock()
	pr, pw := io.Pipe()
	go func() {
		w := stdcopy.NewStdWriter(pw, stdcopy.Stdout)
		_, _ = io.Copy(w, strings.NewReader(text))
		pw.Close()
	}()
	return pr, nil
}
