//go:build linux

package e2e

import (
	"net/http"
	"strconv"
	"time"

	"github.com/rogpeppe/go-internal/testscript"
)

// settleRuns is how many answers in a row waitstatus wants.
const settleRuns = 5

// cmdWaitstatus implements `waitstatus URL CODE [TIMEOUT]`: polls URL until
// it answers CODE settleRuns times in a row (a fresh connection each), or
// fails after TIMEOUT (default 20s). For servers that reload gracefully:
// old workers may answer with the old configuration for a moment.
func cmdWaitstatus(ts *testscript.TestScript, neg bool, args []string) {
	if neg || len(args) < 2 || len(args) > 3 {
		ts.Fatalf("usage: waitstatus URL CODE [TIMEOUT]")
	}
	want, err := strconv.Atoi(args[1])
	if err != nil {
		ts.Fatalf("waitstatus: bad CODE %q", args[1])
	}
	timeout := 20 * time.Second
	if len(args) == 3 {
		timeout = parseDuration(ts, args[2])
	}
	c := http.Client{Timeout: 5 * time.Second, Transport: &http.Transport{DisableKeepAlives: true}}
	last, runs := "no answer", 0
	for deadline := time.Now().Add(timeout); time.Now().Before(deadline); time.Sleep(50 * time.Millisecond) {
		resp, err := c.Get(args[0])
		if err != nil {
			last, runs = err.Error(), 0
			continue
		}
		resp.Body.Close()
		last = resp.Status
		if resp.StatusCode != want {
			runs = 0
			continue
		}
		if runs++; runs == settleRuns {
			return
		}
	}
	ts.Fatalf("waitstatus %s: not %d %d times in a row within %v (last: %s)", args[0], want, settleRuns, timeout, last)
}
