package apply

import (
	"context"
	"time"

	"github.com/compose-spec/compose-go/v2/types"
	"github.com/docker/docker/api/types/container"

	"github.com/devstack/devstack/internal/containers"
	"github.com/devstack/devstack/internal/convert"
	"github.com/devstack/devstack/internal/dockerapi"
	"github.com/devstack/devstack/internal/logs"
	"github.com/devstack/devstack/internal/plan"
	"github.com/devstack/devstack/internal/progress"
	"github.com/devstack/devstack/internal/termsafe"
)

// resayEvery is how often a wait says its reason again while nothing changes.
const resayEvery = 5 * time.Second

// waitReason says why a container does not meet the condition yet, from
// its inspected state at now, on an engine of apiVersion. Pure.
func waitReason(st container.InspectResponse, condition, apiVersion string, now time.Time) progress.WaitReason {
	r := progress.WaitReason{Condition: conditionWord(condition)}
	if condition == types.ServiceConditionStarted || condition == "" {
		r.Condition = "started"
	}
	s := st.State
	if s == nil {
		r.State = progress.WaitNotStarted
		return r
	}
	started, _ := time.Parse(time.RFC3339Nano, s.StartedAt)
	if s.Running && !started.IsZero() {
		r.Running = now.Sub(started)
	}
	switch {
	case s.Restarting:
		r.State, r.ExitCode, r.Restarts = progress.WaitRestarting, s.ExitCode, st.RestartCount
	case !s.Running:
		r.State, r.Status = progress.WaitNotStarted, s.Status
	case condition == types.ServiceConditionCompletedSuccessfully:
		r.State = progress.WaitNotCompleted
	case condition == types.ServiceConditionHealthy && s.Health != nil:
		healthReason(&r, st, apiVersion, started, now)
	default:
		r.State = progress.WaitSettling
	}
	return r
}

// healthReason fills in the health check's side of a running container's wait.
func healthReason(r *progress.WaitReason, st container.InspectResponse, apiVersion string, started, now time.Time) {
	var hc container.HealthConfig
	if st.Config != nil && st.Config.Healthcheck != nil {
		hc = *st.Config.Healthcheck
	}
	r.Interval, r.Retries = hc.Interval, hc.Retries
	if r.Interval <= 0 {
		r.Interval = defaultHealthInterval
	}
	if r.Retries <= 0 {
		r.Retries = defaultHealthRetries
	}
	h := st.State.Health
	if len(h.Log) == 0 {
		first, _ := convert.FirstHealthCheck(hc, apiVersion)
		r.State, r.FirstCheck = progress.WaitHealthNotRun, started.Add(first).Local()
		return
	}
	last := h.Log[len(h.Log)-1]
	r.State = progress.WaitHealthFailing
	if last.ExitCode == 0 {
		r.State = progress.WaitHealthPending
	}
	r.Output, _ = termsafe.Line(progress.FirstLine(last.Output), false) // the container's words: no escape sequences to the terminal
	r.LastCheckAgo, r.ExitCode = now.Sub(last.End), last.ExitCode
	r.Failures = h.FailingStreak
	r.StartPeriod = h.FailingStreak == 0 && now.Before(started.Add(hc.StartPeriod))
}

// sameReason tells whether two reasons say the same but for the time passed.
func sameReason(a, b progress.WaitReason) bool {
	a.LastCheckAgo, a.Running, b.LastCheckAgo, b.Running = 0, 0, 0, 0
	return a == b
}

// sayer reports one wait's reasons: at the first, at each change, and
// again every resayEvery while nothing changes; done ends the wait.
type sayer struct {
	out     progress.Progress
	name    string
	said    *progress.WaitReason
	resay   <-chan time.Time
	ticker  func(time.Duration) <-chan time.Time
	service string
	dep     string
}

func (s *sayer) say(r progress.WaitReason, again bool) {
	if s.out == nil {
		return
	}
	r.Service, r.Dependency = s.service, s.dep
	if !again && s.said != nil && sameReason(*s.said, r) {
		return
	}
	s.said = &r
	s.out.Event(progress.Event{Kind: progress.KindWait, Name: s.name, Status: progress.WaitWaiting, Wait: &r})
	s.resay = s.ticker(resayEvery)
}

func (s *sayer) done() {
	if s.out != nil && s.said != nil {
		s.out.Event(progress.Event{Kind: progress.KindWait, Name: s.name, Status: progress.WaitDone, Update: true})
	}
}

// DependencyWaiter is start's wait for a dependency's condition: WaitFor
// on one watcher of the project's events (open until ctx ends), saying
// why to out.
func DependencyWaiter(ctx context.Context, api dockerapi.ContainerAPI, mon *logs.Monitor, out progress.Progress) containers.DependencyWait {
	w := Watch(ctx, mon)
	return func(ctx context.Context, service string, dep plan.Container, condition string) error {
		if err := WaitFor(ctx, api, w, Wait{Service: service, Container: dep, Condition: condition, Out: out}); err != nil {
			return err
		}
		switch condition {
		case types.ServiceConditionHealthy:
			progress.Status(out, progress.KindContainer, dep.Name, "Healthy")
		case types.ServiceConditionCompletedSuccessfully:
			progress.Status(out, progress.KindContainer, dep.Name, "Exited (0)")
		}
		return nil
	}
}
