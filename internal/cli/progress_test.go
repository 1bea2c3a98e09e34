package cli

import (
	"bytes"
	"fmt"
	"strings"
	"testing"

	"github.com/devstack/devstack/internal/progress"
)

func pullEvents(p progress.Progress) {
	p.Event(progress.Event{Kind: progress.KindImage, Name: "a:1", Status: "Pulling"})
	p.Event(progress.Event{Kind: progress.KindImage, Name: "b:1", Status: "Pulling"})
	p.Event(progress.Event{Kind: progress.KindImage, Name: "a:1", Status: "Pulling", Detail: "Downloading 1kB/2kB, 0/1 layers done", Update: true})
	p.Event(progress.Event{Kind: progress.KindImage, Name: "a:1", Status: "Pulled"})
	p.Event(progress.Event{Kind: progress.KindImage, Name: "b:1", Status: "Error", Detail: "manifest unknown"})
	p.Event(progress.Event{Kind: progress.KindContainer, Name: "p-web-1", Status: "Created"})
}

// Without a terminal: one line per event, progress updates left out.
func TestLineProgressPlain(t *testing.T) {
	var buf bytes.Buffer
	pullEvents(&lineProgress{w: &buf})
	want := "Image a:1  Pulling\nImage b:1  Pulling\nImage a:1  Pulled\nImage b:1  Error (manifest unknown)\nContainer p-web-1  Created\n"
	if buf.String() != want {
		t.Errorf("got\n%s\nwant\n%s", buf.String(), want)
	}
}

// On a terminal: one line per image, redrawn in place, then the rest below.
func TestLineProgressBoard(t *testing.T) {
	var buf bytes.Buffer
	pullEvents(&lineProgress{w: &buf, term: true})
	out := buf.String()
	for _, want := range []string{
		"\x1b[2KImage a:1  Pulling\n",
		"\x1b[1A\x1b[2KImage a:1  Pulling\n\x1b[2KImage b:1  Pulling\n",
		"\x1b[2A\x1b[2KImage a:1  Downloading 1kB/2kB, 0/1 layers done\n",
		"\x1b[2A\x1b[2KImage a:1  Pulled\n\x1b[2KImage b:1  Error manifest unknown\n",
	} {
		if !strings.Contains(out, want) {
			t.Errorf("missing %q in %q", want, out)
		}
	}
	if !strings.HasSuffix(out, "\nContainer p-web-1  Created\n") || strings.Count(out, "Container") != 1 {
		t.Errorf("the container line should follow the finished board: %q", out)
	}
}

// On a terminal a BuildKit step's output shows in a window of its last
// lines, erased when the step ends; without one every line stays.
func TestLineProgressBuildWindow(t *testing.T) {
	events := func(p progress.Progress) {
		p.Event(progress.Event{Kind: progress.KindBuild, Name: "i", Status: progress.BuildStep, Detail: "#1 [1/2] RUN make"})
		for i := range 8 {
			p.Event(progress.Event{Kind: progress.KindBuild, Name: "i", Status: progress.BuildOutput, Detail: fmt.Sprintf("#1 out%d", i)})
		}
		p.Event(progress.Event{Kind: progress.KindBuild, Name: "i", Status: progress.BuildStep, Detail: "#1 DONE 1.0s"})
	}
	var plain bytes.Buffer
	events(&lineProgress{w: &plain})
	if !strings.Contains(plain.String(), "#1 out0\n") || !strings.HasSuffix(plain.String(), "#1 out7\n#1 DONE 1.0s\n") {
		t.Errorf("plain: got\n%s", plain.String())
	}
	var term bytes.Buffer
	events(&lineProgress{w: &term, term: true})
	out := term.String()
	for _, want := range []string{
		"#1 [1/2] RUN make\n\x1b[2K#1 out0\n",
		"\x1b[6A\x1b[2K#1 out2\n\x1b[2K#1 out3\n\x1b[2K#1 out4\n\x1b[2K#1 out5\n\x1b[2K#1 out6\n\x1b[2K#1 out7\n",
	} {
		if !strings.Contains(out, want) {
			t.Errorf("terminal output lacks %q:\n%q", want, out)
		}
	}
	if !strings.HasSuffix(out, "#1 out7\n\x1b[6A\x1b[J#1 DONE 1.0s\n") {
		t.Errorf("window not erased before the step's end:\n%q", out)
	}
}

func waitEvents(p progress.Progress) {
	r := progress.WaitReason{Service: "web", Dependency: "db", Condition: "healthy", State: progress.WaitRestarting, ExitCode: 1, Restarts: 2}
	p.Event(progress.Event{Kind: progress.KindWait, Name: "web -> p-db-1", Status: progress.WaitWaiting, Wait: &r})
	r2 := r
	r2.Restarts = 3
	p.Event(progress.Event{Kind: progress.KindWait, Name: "web -> p-db-1", Status: progress.WaitWaiting, Wait: &r2})
	p.Event(progress.Event{Kind: progress.KindContainer, Name: "p-cache-1", Status: "Started"})
	p.Event(progress.Event{Kind: progress.KindWait, Name: "web -> p-db-1", Status: progress.WaitDone, Update: true})
	p.Event(progress.Event{Kind: progress.KindContainer, Name: "p-db-1", Status: "Healthy"})
}

// Without a terminal, each time a wait is said is a line; its end is none.
func TestLineProgressWaitPlain(t *testing.T) {
	var buf bytes.Buffer
	waitEvents(&lineProgress{w: &buf})
	want := "web waits for db to be healthy: db is restarting (exit 1, 2 restarts)\n" +
		"web waits for db to be healthy: db is restarting (exit 1, 3 restarts)\n" +
		"Container p-cache-1  Started\nContainer p-db-1  Healthy\n"
	if buf.String() != want {
		t.Errorf("got\n%s\nwant\n%s", buf.String(), want)
	}
}

// On a terminal a wait is one line below the rest, redrawn in place, and
// gone once the wait is over.
func TestLineProgressWaitTerm(t *testing.T) {
	var buf bytes.Buffer
	waitEvents(&lineProgress{w: &buf, term: true})
	want := "\x1b[2Kweb waits for db to be healthy: db is restarting (exit 1, 2 restarts)\n" +
		"\r\x1b[1A\x1b[J\x1b[2Kweb waits for db to be healthy: db is restarting (exit 1, 3 restarts)\n" +
		"\r\x1b[1A\x1b[JContainer p-cache-1  Started\n\x1b[2Kweb waits for db to be healthy: db is restarting (exit 1, 3 restarts)\n" +
		"\r\x1b[1A\x1b[JContainer p-db-1  Healthy\n"
	if buf.String() != want {
		t.Errorf("got\n%q\nwant\n%q", buf.String(), want)
	}
}

func TestRowsOf(t *testing.T) {
	for _, tc := range []struct {
		s           string
		width, want int
	}{
		{"web waits", 0, 1},
		{"web waits", 9, 1},
		{"web waits for db", 8, 2},
		{"web waits for db!", 8, 3},
	} {
		if got := rowsOf(tc.s, tc.width); got != tc.want {
			t.Errorf("rowsOf(%q, %d) = %d, want %d", tc.s, tc.width, got, tc.want)
		}
	}
}
