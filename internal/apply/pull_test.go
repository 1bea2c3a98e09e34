package apply

import (
	"errors"
	"testing"

	"github.com/docker/docker/pkg/jsonmessage"
)

// An image's progress line sums its layers' bytes per phase and counts the
// layers done, from the engine's pull messages.
func TestPullStateLine(t *testing.T) {
	msg := func(id, status string, cur, total int64) jsonmessage.JSONMessage {
		m := jsonmessage.JSONMessage{ID: id, Status: status}
		if total > 0 {
			m.Progress = &jsonmessage.JSONProgress{Current: cur, Total: total}
		}
		return m
	}
	tests := []struct {
		name string
		msgs []jsonmessage.JSONMessage
		err  error
		done bool
		want string
	}{
		{"nothing yet", nil, nil, false, "Pulling"},
		{"tag line only", []jsonmessage.JSONMessage{msg("1.27", "Pulling from library/nginx", 0, 0)}, nil, false, "Pulling"},
		{"layers announced", []jsonmessage.JSONMessage{msg("a", "Pulling fs layer", 0, 0), msg("b", "Waiting", 0, 0)}, nil, false,
			"Pulling, 0/2 layers done"},
		{"downloading sums layers", []jsonmessage.JSONMessage{
			msg("a", "Downloading", 1000, 4000), msg("b", "Downloading", 500, 2000), msg("c", "Already exists", 0, 0)}, nil, false,
			"Downloading 1.5kB/6kB, 1/3 layers done"},
		{"extracting after download", []jsonmessage.JSONMessage{
			msg("a", "Downloading", 4000, 4000), msg("a", "Download complete", 0, 0), msg("a", "Extracting", 2000, 4000), msg("b", "Pull complete", 0, 0)}, nil, false,
			"Extracting 2kB/4kB, 1/2 layers done"},
		{"done", []jsonmessage.JSONMessage{msg("a", "Pull complete", 0, 0)}, nil, true, "Pulled"},
		{"failed", nil, errors.New("manifest unknown"), true, "Error manifest unknown"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			s := &pullState{image: "nginx:1.27", layers: map[string]*layerState{}}
			for _, m := range tt.msgs {
				s.apply(m)
			}
			if tt.done {
				s.finish(tt.err)
			}
			if got := s.line(); got != tt.want {
				t.Errorf("got %q, want %q", got, tt.want)
			}
		})
	}
}
