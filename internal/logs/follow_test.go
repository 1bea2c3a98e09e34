package logs

import (
	"testing"
	"time"
)

func TestResumeAt(t *testing.T) {
	since := time.Unix(100, 0)
	f := NewFollower(nil, nil, "p", FollowOptions{Since: since})
	if got := f.resumeAt("a"); !got.at.Equal(since) || got.n != 0 {
		t.Errorf("new container: %+v, want the feed's Since", got)
	}
	f.died["a"] = time.Unix(200, 0)
	if got := f.resumeAt("a"); !got.at.Equal(time.Unix(200, 0)) || got.n != 0 {
		t.Errorf("died, no line seen: %+v, want the death", got)
	}
	f.lastLine["a"] = lineMark{}.seen(time.Unix(150, 5))
	if got := f.resumeAt("a"); !got.at.Equal(time.Unix(150, 5)) || got.n != 1 {
		t.Errorf("lines seen: %+v, want the last one's time, skipping 1", got)
	}
}

// Podman stamps log lines with whole seconds: every line of one second
// counts, so a resume from that second skips them all.
func TestLineMarkSeen(t *testing.T) {
	var m lineMark
	for _, at := range []time.Time{time.Unix(7, 0), time.Unix(8, 0), time.Unix(8, 0), time.Unix(8, 0)} {
		m = m.seen(at)
	}
	if !m.at.Equal(time.Unix(8, 0)) || m.n != 3 {
		t.Errorf("mark %+v, want 3 lines at 8s", m)
	}
	if m = m.seen(time.Unix(8, 1)); m.n != 1 {
		t.Errorf("a later line: %+v, want a new count of 1", m)
	}
}
