package watch

import (
	"errors"
	"strings"
	"testing"
	"time"
)

func TestReportLine(t *testing.T) {
	for _, c := range []struct {
		r    Report
		want string
	}{
		{Report{Service: "web", Action: "sync", Files: []string{"site/index.html"}, Took: 14200 * time.Microsecond},
			"watch: web sync 1 file (site/index.html) in 14ms"},
		{Report{Service: "api", Action: "sync+restart", Files: []string{"a", "b", "c", "d", "e"}, Took: 12345 * time.Millisecond},
			"watch: api sync+restart 5 files (a, b, c, +2 more) in 12.3s"},
		{Report{Service: "app", Action: "rebuild", Files: []string{"app/x"}, Took: time.Second, Err: errors.New("boom")},
			"watch: app rebuild 1 file (app/x) in 1s: failed: boom"},
		{Report{Service: "b", Action: "sync", Deleted: []string{"src/one.txt"}, Took: 3 * time.Millisecond},
			"watch: b delete 1 file (src/one.txt) in 3ms"},
		{Report{Service: "b", Action: "sync+restart", Deleted: []string{"a", "b"}, Took: time.Second},
			"watch: b delete+restart 2 files (a, b) in 1s"},
		{Report{Service: "web", Action: "sync", Files: []string{"index.html"}, Deleted: []string{"old.css"}, Took: 14 * time.Millisecond},
			"watch: web sync 1 file (index.html), delete 1 file (old.css) in 14ms"},
	} {
		if got := c.r.String(); got != c.want {
			t.Errorf("got  %q\nwant %q", got, c.want)
		}
	}
}

func TestReloadAction(t *testing.T) {
	tr := &Trigger{}
	for _, c := range []struct {
		r    Reload
		want string
	}{
		{Reload{Rebuild: true, Restart: true}, "rebuild"},
		{Reload{Syncs: []Sync{{}}}, "sync"},
		{Reload{Restart: true}, "restart"},
		{Reload{Syncs: []Sync{{}}, Restart: true}, "sync+restart"},
		{Reload{Syncs: []Sync{{}}, Execs: []*Trigger{tr}}, "sync+exec"},
		{Reload{Execs: []*Trigger{tr}}, "sync+exec"},
		{Reload{Syncs: []Sync{{}}, Execs: []*Trigger{tr}, Restart: true}, "sync+exec+restart"},
	} {
		if got := c.r.Action(); got != c.want {
			t.Errorf("%+v: got %s, want %s", c.r, got, c.want)
		}
	}
}

// A file's name is the user's, or an archive's: control characters in it
// are printed escaped, never sent to the terminal.
func TestReportEscapesNames(t *testing.T) {
	r := Report{Service: "web", Action: "sync", Files: []string{"a\x1b]0;pwned\x07.txt"}, Deleted: []string{"b\x1b[2J"}}
	got := r.String()
	if strings.ContainsAny(got, "\x1b\x07") || !strings.Contains(got, `"a\x1b]0;pwned\a.txt"`) || !strings.Contains(got, `"b\x1b[2J"`) {
		t.Errorf("got %q", got)
	}
	// A failure's text may name the file too.
	r.Err = errors.New("copying a\x1b]0;pwned\x07.txt: no space left on device")
	if got := r.String(); strings.ContainsAny(got, "\x1b\x07") || !strings.Contains(got, `failed: "copying a\x1b]0;pwned\a.txt: no space left on device"`) {
		t.Errorf("got %q", got)
	}
}
