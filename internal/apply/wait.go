package apply

import (
	"bufio"
	"bytes"
	"context"
	"fmt"
	"strings"
	"sync"
	"time"

	"github.com/compose-spec/compose-go/v2/types"
	"github.com/docker/docker/api/types/container"
	"github.com/docker/docker/pkg/stdcopy"

	"github.com/devstack/devstack/internal/dockerapi"
	"github.com/devstack/devstack/internal/logs"
	"github.com/devstack/devstack/internal/plan"
	"github.com/devstack/devstack/internal/progress"
)

// conditionRunning is what `up --wait` asks of services without a healthcheck.
const conditionRunning = "running"

// Watcher turns the engine's event stream for one project into wake-ups:
// waiters re-inspect only when something happened to a container. It
// subscribes on first use, so a run that waits for nothing costs no stream.
type Watcher struct {
	once    sync.Once
	start   func()
	mu      sync.Mutex
	changed chan struct{}
	err     error
	// The clock, so that tests of the health bound need not sleep.
	now   func() time.Time
	after func(time.Duration) <-chan time.Time
	// tick arms the timer that says a wait's reason again.
	tick func(time.Duration) <-chan time.Time
}

// Watch prepares a subscription to the project's container events, open
// from the first wait until ctx ends.
func Watch(ctx context.Context, mon *logs.Monitor) *Watcher {
	w := &Watcher{changed: make(chan struct{}), now: time.Now, after: time.After, tick: time.After}
	w.start = func() { w.subscribe(ctx, mon) }
	return w
}

func (w *Watcher) subscribe(ctx context.Context, mon *logs.Monitor) {
	evs, errs := mon.Subscribe(ctx, nil)
	go func() {
		for range evs {
			w.wake(nil)
		}
		if err := <-errs; err != nil {
			w.wake(err)
		}
	}()
}

func (w *Watcher) wake(err error) {
	w.mu.Lock()
	defer w.mu.Unlock()
	if w.err != nil {
		return
	}
	w.err = err
	close(w.changed)
	if err == nil {
		w.changed = make(chan struct{})
	}
}

// next returns a channel closed at the next event, and the stream's error, if it ended.
func (w *Watcher) next() (<-chan struct{}, error) {
	w.once.Do(w.start)
	w.mu.Lock()
	defer w.mu.Unlock()
	return w.changed, w.err
}

// A Wait is one wait of WaitFor: who waits, on which container, for what.
type Wait struct {
	Service   string         // the waiting service; "" for up --wait
	Container plan.Container // the dependency's container
	Condition string         // a depends_on condition, or conditionRunning
	// Out hears why it still waits (KindWait events): at the first wait,
	// at each change and every 5s while nothing changes. nil: nobody.
	Out progress.Progress
}

// WaitFor blocks until the container meets the depends_on condition, or
// fails at once when it never can: it exited (its restart policy, if any,
// gave up), or turned unhealthy. A container the engine restarts is waited
// for through its restarts, as docker compose does, saying "db is
// restarting (exit 1, 3 restarts)", until it is healthy or running, or ctx
// ends the wait.
func WaitFor(ctx context.Context, api dockerapi.ContainerAPI, w *Watcher, wt Wait) error {
	c, condition := wt.Container, wt.Condition
	apiVersion := dockerapi.APIVersion(api)
	say := &sayer{out: wt.Out, name: wt.Service + " -> " + c.Name, ticker: w.tick, service: wt.Service, dep: c.Service}
	defer say.done()
	again := false
	var loop *container.InspectResponse // the last state seen restarting
	var seen *container.InspectResponse // the last state seen
	for {
		ch, err := w.next()
		if err != nil {
			return err
		}
		st, err := api.ContainerInspect(ctx, c.ID)
		if err != nil && ctx.Err() != nil && seen != nil { // ended while asking: say where it was
			return notYet(ctx, api, c, *seen, loop, condition)
		}
		if err != nil {
			return fmt.Errorf("service %s: %w", c.Service, err)
		}
		if st = dockerapi.DockerState(st); st.State.Restarting {
			loop = &st
		}
		seen = &st
		done, failure := conditionMet(st, condition)
		if failure != "" {
			return fmt.Errorf("%w: service %s (container %s) %s%s", ErrDependencyFailed, c.Service, c.Name, failure, lastLogLines(ctx, api, c.ID, 10))
		}
		var silent <-chan time.Time // the engine's silence on health, or a restart policy's settle time
		if done && condition == conditionRunning {
			if left := unsettled(st, w.now()); left > 0 {
				done, silent = false, w.after(left)
			}
		}
		if done {
			return nil
		}
		if condition == types.ServiceConditionHealthy {
			left, err := healthNeverRan(st, c.Service, w.now())
			if err != nil {
				return err
			}
			if left > 0 {
				silent = w.after(left)
			}
		}
		say.say(waitReason(st, condition, apiVersion, w.now()), again)
		again = false
		select {
		case <-ch:
		case <-silent:
		case <-say.resay:
			again = true
		case <-ctx.Done():
			return notYet(ctx, api, c, st, loop, condition)
		}
	}
}

// notYet is the error of a wait that ctx ended (up's --wait-timeout, an
// interrupt): where the container is, and for a crash loop (restarting
// now, or seen restarting as loop and started again since) its exit code,
// restart count and last log lines.
func notYet(ctx context.Context, api dockerapi.ContainerAPI, c plan.Container, st container.InspectResponse, loop *container.InspectResponse, condition string) error {
	health := ""
	if st.State.Health != nil && st.State.Health.Status != "" { // Podman reports an empty one without a healthcheck
		health = " (health: " + string(st.State.Health.Status) + lastProbe(st.State.Health) + ")"
	}
	if loop == nil || st.RestartCount == 0 {
		return fmt.Errorf("service %s (container %s) is %s, not yet %s%s: %w", c.Service, c.Name, st.State.Status, conditionWord(condition), health, ctx.Err())
	}
	last := *loop
	last.RestartCount = st.RestartCount
	logCtx, cancel := context.WithTimeout(context.WithoutCancel(ctx), 2*time.Second)
	defer cancel()
	return fmt.Errorf("service %s (container %s) %s, not yet %s%s: %w%s", c.Service, c.Name, restartLoop(last), conditionWord(condition), health, ctx.Err(), lastLogLines(logCtx, api, c.ID, 10))
}

func conditionWord(condition string) string {
	switch condition {
	case types.ServiceConditionHealthy:
		return "healthy"
	case types.ServiceConditionCompletedSuccessfully:
		return "completed"
	}
	return "running"
}

// conditionMet says whether the state satisfies the condition, or why it never will.
func conditionMet(st container.InspectResponse, condition string) (bool, string) {
	s := st.State
	exited := !s.Running && !s.Restarting && (s.Status == "exited" || s.Status == "dead")
	switch condition {
	case types.ServiceConditionCompletedSuccessfully:
		if exited && s.ExitCode == 0 {
			return true, ""
		}
		if exited {
			return false, fmt.Sprintf("exited with code %d", s.ExitCode)
		}
		return false, ""
	case types.ServiceConditionHealthy:
		if s.Health == nil {
			return false, "has no healthcheck, so it can never become healthy"
		}
		switch {
		case s.Restarting: // the engine starts it again: health starts over
			return false, ""
		case exited:
			return false, fmt.Sprintf("exited with code %d%s before it was healthy", s.ExitCode, afterRestarts(st))
		case s.Health.Status == container.Healthy:
			return true, ""
		case s.Health.Status == container.Unhealthy:
			return false, "is unhealthy" + lastProbe(s.Health)
		}
		return false, ""
	case conditionRunning:
		if exited {
			return false, fmt.Sprintf("exited with code %d%s", s.ExitCode, afterRestarts(st))
		}
		return s.Running && !s.Restarting, ""
	default: // service_started
		if s.Running || exited {
			return true, ""
		}
		return false, ""
	}
}

// restartLoop describes a container the engine keeps restarting.
func restartLoop(st container.InspectResponse) string {
	return fmt.Sprintf("is restarting in a loop: exited with code %d, restarted %d %s", st.State.ExitCode, st.RestartCount, times(st.RestartCount))
}

// afterRestarts is ", after N restarts" for a container its restart
// policy restarted before it gave up (on-failure's retries), else "".
func afterRestarts(st container.InspectResponse) string {
	switch st.RestartCount {
	case 0:
		return ""
	case 1:
		return " after 1 restart"
	}
	return fmt.Sprintf(" after %d restarts", st.RestartCount)
}

func times(n int) string {
	if n == 1 {
		return "time"
	}
	return "times"
}

func lastProbe(h *container.Health) string {
	if len(h.Log) == 0 {
		return ""
	}
	out := strings.TrimSpace(h.Log[len(h.Log)-1].Output)
	if out == "" {
		return ""
	}
	return fmt.Sprintf(" (last health output: %s)", out)
}

// lastLogLines returns the container's last n log lines, indented, for error messages.
func lastLogLines(ctx context.Context, api dockerapi.ContainerAPI, id string, n int) string {
	rc, err := api.ContainerLogs(ctx, id, container.LogsOptions{ShowStdout: true, ShowStderr: true, Tail: fmt.Sprint(n)})
	if err != nil {
		return ""
	}
	defer rc.Close()
	var buf bytes.Buffer
	if _, err := stdcopy.StdCopy(&buf, &buf, rc); err != nil {
		return ""
	}
	var b strings.Builder
	sc := bufio.NewScanner(&buf)
	for sc.Scan() {
		b.WriteString("\n    | " + sc.Text())
	}
	if b.Len() == 0 {
		return ""
	}
	return "; last log lines:" + b.String()
}
