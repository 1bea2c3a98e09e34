package progress

import (
	"fmt"
	"strings"
	"time"
	"unicode/utf8"
)

// KindWait events say what a service waits for and why (Wait), at the
// first wait and again while nothing changes. Name is the wait (the
// waiting service and the dependency's container), so a terminal can
// redraw it in place; Status is WaitWaiting, or WaitDone once the wait
// is over (a terminal then drops the line; a log of lines has said all).
const KindWait Kind = "Wait"

// Statuses of KindWait events.
const (
	WaitWaiting = "Waiting"
	WaitDone    = "Done"
)

// WaitState is where a dependency is on its way to the condition.
type WaitState string

// The states a wait reports.
const (
	WaitHealthNotRun  WaitState = "health-not-run"  // no health check has run yet
	WaitHealthFailing WaitState = "health-failing"  // the last check failed
	WaitRestarting    WaitState = "restarting"      // the engine restarts it after it exited
	WaitNotCompleted  WaitState = "not-completed"   // a one-shot job still runs
	WaitSettling      WaitState = "settling"        // running, not yet long enough to count
	WaitNotStarted    WaitState = "not-started"     // created, not running yet
	WaitHealthPending WaitState = "health-starting" // checks ran, none decided yet
)

// WaitReason is why a service still waits for a dependency: typed, so
// that renderers read fields; Sentence words it.
type WaitReason struct {
	Service    string    // the waiting service; "" when up --wait waits
	Dependency string    // the service waited for
	Condition  string    // healthy, completed, running or started
	State      WaitState // where the dependency is
	Status     string    // the container's status (WaitNotStarted)
	// The health check's schedule (WaitHealthNotRun).
	Interval   time.Duration
	FirstCheck time.Time // when the engine runs the first check
	// The last check (WaitHealthFailing).
	LastCheckAgo time.Duration
	ExitCode     int           // the last check's, or the container's last exit (WaitRestarting)
	Output       string        // the last check's output, its first line
	Failures     int           // failed checks in a row
	Retries      int           // how many make it unhealthy
	StartPeriod  bool          // failures do not count yet
	Restarts     int           // WaitRestarting
	Running      time.Duration // how long the container has run
}

// Sentence is the reason as people read it: "web waits for db to be
// healthy: db's health check has not run yet (interval 1h0m0s, first
// check about 11:23)".
func (r WaitReason) Sentence() string {
	who := r.Service + " waits"
	if r.Service == "" {
		who = "waiting"
	}
	return fmt.Sprintf("%s for %s %s: %s", who, r.Dependency, r.goal(), r.why())
}

func (r WaitReason) goal() string {
	switch r.Condition {
	case "", "started":
		return "to start"
	case "completed":
		return "to complete successfully"
	}
	return "to be " + r.Condition
}

func (r WaitReason) why() string {
	d := r.Dependency
	switch r.State {
	case WaitHealthNotRun:
		return fmt.Sprintf("%s's health check has not run yet (interval %s, first check about %s)", d, r.Interval, r.FirstCheck.Format("15:04"))
	case WaitHealthFailing, WaitHealthPending:
		s := fmt.Sprintf("last check %s ago exited %d", seconds(r.LastCheckAgo), r.ExitCode)
		if r.Output != "" {
			s += ": " + r.Output
		}
		if r.StartPeriod {
			return s + " (in its start period)"
		}
		return s + fmt.Sprintf(" (%d of %d retries)", r.Failures, r.Retries)
	case WaitRestarting:
		return fmt.Sprintf("%s is restarting (exit %d, %s)", d, r.ExitCode, plural(r.Restarts, "restart"))
	case WaitNotCompleted:
		return fmt.Sprintf("%s has not completed (running %s)", d, seconds(r.Running))
	case WaitSettling:
		return fmt.Sprintf("%s has run %s, not yet long enough to count as running", d, seconds(r.Running))
	}
	status := r.Status
	if status == "" {
		status = "not running"
	}
	return fmt.Sprintf("%s is %s", d, status)
}

// seconds rounds d to whole seconds for people ("3s", "2m5s").
func seconds(d time.Duration) time.Duration { return max(0, d.Round(time.Second)) }

func plural(n int, word string) string {
	if n == 1 {
		return "1 " + word
	}
	return fmt.Sprintf("%d %ss", n, word)
}

// firstLineMax is how many characters of a probe's output a wait says.
const firstLineMax = 100

// FirstLine is the first non-empty line of a probe's output, trimmed and
// cut at 100 characters (never inside one).
func FirstLine(s string) string {
	for _, l := range strings.Split(s, "\n") {
		if l = strings.TrimSpace(l); l != "" {
			if utf8.RuneCountInString(l) > firstLineMax {
				l = string([]rune(l)[:firstLineMax]) + "…"
			}
			return l
		}
	}
	return ""
}
