package apply

import (
	"bytes"
	"context"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/compose-spec/compose-go/v2/types"
	"github.com/docker/docker/api/types/events"

	"github.com/devstack/devstack/internal/logs"
	"github.com/devstack/devstack/internal/plan"
)

const attachedYAML = `
services:
  web:
    image: nginx:1.27
  job:
    image: busybox:1.36
`

// linesSink keeps the log lines attached up shows.
type linesSink struct {
	mu    sync.Mutex
	lines []string
}

func (s *linesSink) Begin([]plan.Container)     {}
func (s *linesSink) Exited(logs.ContainerEvent) {}
func (s *linesSink) Line(l logs.Line) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.lines = append(s.lines, l.Service+": "+l.Text)
}

// attachedUp runs attached up on the fake; converged, when set, runs once
// the services are up.
func (s *fakeStack) attachedUp(a *UpAttached, converged func(UpResult)) (UpResult, error) {
	s.t.Helper()
	return s.up(attachedYAML, UpOptions{Attached: a, Converged: converged})
}

// --abort-on-container-exit: the first container to exit stops the stack,
// and up exits with its code.
func TestUpAttachedAbortOnExit(t *testing.T) {
	s := newFakeStack(t)
	s.api.ExitOnStart("demo-job-1", 3, "done")
	var notices bytes.Buffer
	res, err := s.attachedUp(&UpAttached{AbortOnExit: true, Services: []string{"job", "web"}, Logs: &linesSink{}, Notices: &notices}, nil)
	if err != nil {
		t.Fatal(err)
	}
	if res.ExitCode != 3 {
		t.Errorf("exit code %d, want 3", res.ExitCode)
	}
	s.wantStates("demo-job-1 exited", "demo-web-1 exited")
	if notices.String() != "Aborting on container exit...\n" {
		t.Errorf("notices %q", notices.String())
	}
}

// --exit-code-from: the stack stops with the first exit, and up exits with
// the named service's code (web, stopped: 0), not the job's.
func TestUpAttachedExitCodeFrom(t *testing.T) {
	s := newFakeStack(t)
	s.api.ExitOnStart("demo-job-1", 3)
	res, err := s.attachedUp(&UpAttached{ExitCodeFrom: "web", Logs: &linesSink{}, Notices: &bytes.Buffer{}}, nil)
	if err != nil {
		t.Fatal(err)
	}
	if want := s.inspect("demo-web-1").State.ExitCode; res.ExitCode != want || res.ExitCode == 3 {
		t.Errorf("exit code %d, want web's %d", res.ExitCode, want)
	}
	s.wantStates("demo-job-1 exited", "demo-web-1 exited")
}

// Ctrl-C while attached stops the stack gracefully and up exits with 130;
// Converged ran before, once.
func TestUpAttachedCtrlC(t *testing.T) {
	for _, services := range [][]string{{"job", "web"}, nil} { // nil: every service left out, no logs
		s := newFakeStack(t)
		ctx, cancel := context.WithTimeout(context.Background(), 20*time.Second)
		var notices bytes.Buffer
		converged := 0
		a := &UpAttached{Services: services, Logs: &linesSink{}, Notices: &notices}
		p := load(t, attachedYAML)
		res, err := Up(ctx, s.api, logs.NewMonitor(s.api, p.Name), p, UpOptions{Known: p.ServiceNames(), Attached: a, Converged: func(UpResult) {
			converged++
			cancel() // Ctrl-C once the stack is up
		}}, s.out)
		if err != nil {
			t.Fatal(err)
		}
		if res.ExitCode != 130 || converged != 1 {
			t.Errorf("services %v: exit code %d, converged %d times", services, res.ExitCode, converged)
		}
		s.wantStates("demo-job-1 exited", "demo-web-1 exited")
		if !strings.HasPrefix(notices.String(), "Gracefully stopping...") {
			t.Errorf("notices %q", notices.String())
		}
	}
}

// Beside (up --watch) runs next to the logs and ends with them.
func TestUpAttachedBeside(t *testing.T) {
	s := newFakeStack(t)
	ctx, cancel := context.WithTimeout(context.Background(), 20*time.Second)
	defer cancel()
	ran := make(chan string, 1)
	a := &UpAttached{Services: []string{"job", "web"}, Logs: &linesSink{}, Notices: &bytes.Buffer{},
		Beside: func(ctx context.Context, p *types.Project) {
			cancel() // Ctrl-C once it runs
			<-ctx.Done()
			ran <- p.Name
		}}
	p := load(t, attachedYAML)
	res, err := Up(ctx, s.api, logs.NewMonitor(s.api, p.Name), p, UpOptions{Known: p.ServiceNames(), Attached: a}, s.out)
	if err != nil {
		t.Fatal(err)
	}
	if got := <-ran; got != "demo" || res.ExitCode != 130 {
		t.Errorf("beside ran on %q, exit code %d", got, res.ExitCode)
	}
}

// Not attached, Up returns once the stack is up, with no exit code.
func TestUpDetachedConverged(t *testing.T) {
	s := newFakeStack(t)
	var got UpResult
	res, err := s.attachedUp(nil, func(r UpResult) { got = r })
	if err != nil {
		t.Fatal(err)
	}
	if got.Project == nil || got.Project.Name != "demo" || res.ExitCode != 0 {
		t.Errorf("converged with %+v, exit code %d", got.Project, res.ExitCode)
	}
	s.wantStates("demo-job-1 running", "demo-web-1 running")
}

// deafEvents is an engine event stream that opens too late to carry
// anything up does.
type deafEvents struct{}

func (deafEvents) Events(ctx context.Context, _ events.ListOptions) (<-chan events.Message, <-chan error) {
	errs := make(chan error, 1)
	go func() { <-ctx.Done(); errs <- ctx.Err() }()
	return make(chan events.Message), errs
}

// A container that exits before the event stream carries its die event
// (within moments of its start) still stops the stack, with its code.
func TestUpAttachedAbortOnExitBeforeEvents(t *testing.T) {
	s := newFakeStack(t)
	s.api.ExitOnStart("demo-job-1", 3)
	ctx, cancel := context.WithTimeout(context.Background(), 20*time.Second)
	defer cancel()
	p := load(t, attachedYAML)
	a := &UpAttached{AbortOnExit: true, Notices: &bytes.Buffer{}, Since: time.Now().Add(-time.Second)} // no logs: they end by events
	res, err := Up(ctx, s.api, logs.NewMonitor(deafEvents{}, p.Name), p, UpOptions{Known: p.ServiceNames(), Attached: a}, s.out)
	if err != nil {
		t.Fatal(err)
	}
	if res.ExitCode != 3 || ctx.Err() != nil {
		t.Errorf("exit code %d (%v), want 3 at once", res.ExitCode, ctx.Err())
	}
	s.wantStates("demo-job-1 exited", "demo-web-1 exited")
}
