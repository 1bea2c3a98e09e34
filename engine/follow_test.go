package engine

import (
	"testing"
	"time"
)

func TestResumeAt(t *testing.T) {
	since := time.Unix(100, 0)
	f := NewLogFollower(nil, nil, "p", FollowOptions{Since: since})
	if got := f.resumeAt("a"); !got.Equal(since) {
		t.Errorf("new container: %v, want the feed's Since", got)
	}
	f.died["a"] = time.Unix(200, 0)
	if got := f.resumeAt("a"); !got.Equal(time.Unix(200, 0)) {
		t.Errorf("died, no line seen: %v, want the death", got)
	}
	f.lastLine["a"] = time.Unix(150, 5)
	if got := f.resumeAt("a"); !got.Equal(time.Unix(150, 6)) {
		t.Errorf("lines seen: %v, want just after the last", got)
	}
}
