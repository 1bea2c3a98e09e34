package trust

import (
	"bytes"
	"context"
	"fmt"
	"strings"
)

// Runner runs one command and gives its output.
type Runner interface {
	Run(ctx context.Context, args []string) (output []byte, err error)
}

// Result is how one step went.
type Result struct {
	Step Step
	Err  error // nil: done
}

// Apply runs each step's Do commands in order; a step stops at its first
// failing command and the others still run.
func Apply(ctx context.Context, r Runner, p Plan) []Result {
	return run(ctx, r, p, func(s Step) []Cmd { return s.Do })
}

// Undo runs each step's Undo commands. Removing what is already gone is
// no failure.
func Undo(ctx context.Context, r Runner, p Plan) []Result {
	return run(ctx, r, p, func(s Step) []Cmd { return s.Undo })
}

func run(ctx context.Context, r Runner, p Plan, cmds func(Step) []Cmd) []Result {
	var out []Result
	for _, s := range p.Steps {
		res := Result{Step: s}
		for _, c := range cmds(s) {
			b, err := r.Run(ctx, c.Args)
			if err != nil && !alreadyGone(s.Entry, b) {
				res.Err = fmt.Errorf("%s: %v%s", c, err, lastLine(b))
				break
			}
		}
		out = append(out, res)
	}
	return out
}

// alreadyGone: certutil -D of a nickname the database no longer has.
func alreadyGone(e Entry, output []byte) bool {
	return e.Store == StoreNSS && bytes.Contains(bytes.ToLower(output), []byte("could not find"))
}

func lastLine(b []byte) string {
	lines := strings.Split(strings.TrimSpace(string(b)), "\n")
	if l := strings.TrimSpace(lines[len(lines)-1]); l != "" {
		return ": " + l
	}
	return ""
}

// Merge adds the entries of done results to rec (an entry for the same
// store, target and name replaced; a database trust made stays marked so).
func Merge(rec []Entry, results []Result) []Entry {
	out := append([]Entry(nil), rec...)
	for _, r := range results {
		if r.Err != nil {
			continue
		}
		e := r.Step.Entry
		i := indexOf(out, e)
		if i < 0 {
			out = append(out, e)
			continue
		}
		e.Created = e.Created || out[i].Created
		out[i] = e
	}
	return out
}

// Remaining is rec without the entries whose undo succeeded.
func Remaining(rec []Entry, results []Result) []Entry {
	var out []Entry
	for _, e := range rec {
		keep := true
		for _, r := range results {
			if r.Err == nil && same(r.Step.Entry, e) {
				keep = false
			}
		}
		if keep {
			out = append(out, e)
		}
	}
	return out
}

func indexOf(list []Entry, e Entry) int {
	for i, x := range list {
		if same(x, e) {
			return i
		}
	}
	return -1
}

func same(a, b Entry) bool { return a.Store == b.Store && a.Target == b.Target && a.Name == b.Name }
