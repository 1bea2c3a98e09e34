package progress

import (
	"strings"
	"testing"
	"time"
)

func TestWaitReasonSentence(t *testing.T) {
	at := time.Date(2026, 1, 1, 11, 23, 10, 0, time.UTC)
	for _, tc := range []struct {
		name string
		r    WaitReason
		want string
	}{
		{"health never ran", WaitReason{Service: "web", Dependency: "db", Condition: "healthy", State: WaitHealthNotRun, Interval: time.Hour, FirstCheck: at},
			"web waits for db to be healthy: db's health check has not run yet (interval 1h0m0s, first check about 11:23)"},
		{"failing check", WaitReason{Service: "web", Dependency: "db", Condition: "healthy", State: WaitHealthFailing, LastCheckAgo: 3200 * time.Millisecond, ExitCode: 1, Output: "connection refused", Failures: 2, Retries: 5},
			"web waits for db to be healthy: last check 3s ago exited 1: connection refused (2 of 5 retries)"},
		{"failing check, no output, start period", WaitReason{Service: "web", Dependency: "db", Condition: "healthy", State: WaitHealthFailing, LastCheckAgo: time.Second, ExitCode: 2, StartPeriod: true},
			"web waits for db to be healthy: last check 1s ago exited 2 (in its start period)"},
		{"restarting", WaitReason{Service: "web", Dependency: "db", Condition: "healthy", State: WaitRestarting, ExitCode: 1, Restarts: 3},
			"web waits for db to be healthy: db is restarting (exit 1, 3 restarts)"},
		{"one restart", WaitReason{Service: "web", Dependency: "db", Condition: "running", State: WaitRestarting, ExitCode: 1, Restarts: 1},
			"web waits for db to be running: db is restarting (exit 1, 1 restart)"},
		{"not completed", WaitReason{Service: "web", Dependency: "migrate", Condition: "completed", State: WaitNotCompleted, Running: 40*time.Second + 300*time.Millisecond},
			"web waits for migrate to complete successfully: migrate has not completed (running 40s)"},
		{"up --wait, settling", WaitReason{Dependency: "api", Condition: "running", State: WaitSettling, Running: time.Second},
			"waiting for api to be running: api has run 1s, not yet long enough to count as running"},
		{"created", WaitReason{Service: "web", Dependency: "db", State: WaitNotStarted, Status: "created"},
			"web waits for db to start: db is created"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			if got := tc.r.Sentence(); got != tc.want {
				t.Fatalf("got  %q\nwant %q", got, tc.want)
			}
			e := Event{Kind: KindWait, Name: "web/db", Status: WaitWaiting, Wait: &tc.r}
			if e.String() != tc.want {
				t.Fatalf("event string %q", e.String())
			}
		})
	}
}

func TestFirstLine(t *testing.T) {
	for in, want := range map[string]string{"": "", "\n  refused \nmore": "refused", "x": "x",
		strings.Repeat("a", 99) + "é and more": strings.Repeat("a", 99) + "é…", // cut after the 100th character, not inside it
	} {
		if got := FirstLine(in); got != want {
			t.Errorf("%q: got %q, want %q", in, got, want)
		}
	}
}
