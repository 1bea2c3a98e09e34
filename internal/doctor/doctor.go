// Package doctor checks what devstack needs from the machine, the engine
// and the project, one small check each, and says what to do about what
// is wrong: `devstack doctor`. Each check takes the narrowest interface it
// uses; their pure parts are table-tested.
package doctor

import (
	"fmt"
	"strings"
)

// Status is a check's verdict.
type Status string

// The verdicts: Warn and Fail make the report wrong (doctor exits 1);
// Note is worth knowing, Skip could not be told.
const (
	OK   Status = "ok"
	Note Status = "note"
	Skip Status = "skip"
	Warn Status = "warn"
	Fail Status = "fail"
)

// Result is one check's finding, on one line.
type Result struct {
	Check  string `json:"check"` // engine, project, port, image, disk, inotify, health, clock, recreate
	Status Status `json:"status"`
	Detail string `json:"detail"`
	Remedy string `json:"remedy,omitempty"` // what to do, where one is known
	// The figures of a disk check: the engine's usage of one kind of
	// object, or a file system's free space.
	Usage *Usage `json:"usage,omitempty"`
	Space *Space `json:"space,omitempty"`
}

// String is the result as a line: "fail  port      8080/tcp (web) is held by
// python3 (pid 812); to fix: stop it, or publish web on another host port".
func (r Result) String() string {
	s := fmt.Sprintf("%-5s %-9s %s", r.Status, r.Check, r.Detail)
	if r.Remedy != "" {
		s += "; to fix: " + r.Remedy
	}
	return s
}

// Report is every check's result, in the order they ran.
type Report []Result

// Wrong tells whether a check warned or failed.
func (r Report) Wrong() bool {
	for _, res := range r {
		if res.Status == Warn || res.Status == Fail {
			return true
		}
	}
	return false
}

// String is the report as lines.
func (r Report) String() string {
	var b strings.Builder
	for _, res := range r {
		b.WriteString(res.String() + "\n")
	}
	return b.String()
}

func ok(check, format string, a ...any) Result {
	return Result{Check: check, Status: OK, Detail: fmt.Sprintf(format, a...)}
}
