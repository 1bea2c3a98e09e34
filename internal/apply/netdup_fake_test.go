package apply

import (
	"context"
	"strings"
	"testing"
	"time"

	"github.com/docker/docker/api/types/container"
	"github.com/docker/docker/api/types/network"

	"github.com/devstack/devstack/internal/convert"
	"github.com/devstack/devstack/internal/progress"
)

// Two networks of the project's name and labels (docker compose up raced
// another up, and its container runs on the newer copy, which therefore
// cannot be removed): up uses the oldest for its containers, by ID, and
// says so once; down removes both.
func TestUpReusesOldestDuplicateNetwork(t *testing.T) {
	s := newFakeStack(t)
	ctx := context.Background()
	labels := map[string]string{convert.LabelProject: "demo", convert.LabelNetwork: "default", convert.LabelVersion: "2.29.7"}
	oldest := s.api.AddNetwork("demo_default", labels)
	time.Sleep(time.Millisecond)
	copyID := s.api.AddNetwork("demo_default", labels)
	other, err := s.api.ContainerCreate(ctx, &container.Config{Image: "busybox:1.36"}, &container.HostConfig{NetworkMode: "demo_default"},
		&network.NetworkingConfig{EndpointsConfig: map[string]*network.EndpointSettings{"demo_default": {NetworkID: copyID}}}, nil, "compose-made")
	if err == nil {
		err = s.api.ContainerStart(ctx, other.ID, container.StartOptions{})
	}
	if err != nil {
		t.Fatal(err)
	}

	s.mustUp("services:\n  web: {image: nginx:1.27}\n  db: {image: postgres:16}\n", UpOptions{})
	s.wantStates("demo-db-1 running", "demo-web-1 running")
	for _, name := range []string{"demo-web-1", "demo-db-1"} {
		if ep := s.inspect(name).NetworkSettings.Networks["demo_default"]; ep == nil || ep.NetworkID != oldest {
			t.Errorf("%s on %+v, want the oldest demo_default %s", name, ep, oldest)
		}
	}
	said := 0
	for _, e := range s.out.events {
		if e.Kind == progress.KindWarning && strings.Contains(e.Detail, "demo_default exists 2 times") {
			said++
			if !strings.Contains(e.Detail, "the oldest, "+oldest[:12]) || !strings.Contains(e.Detail, copyID[:12]) {
				t.Errorf("warning %q should name the oldest %s and the copy %s", e.Detail, oldest[:12], copyID[:12])
			}
		}
	}
	if said != 1 {
		t.Errorf("said %d times that the network is there twice, want once: %v", said, s.out.events)
	}

	// Up again: the containers stay, the copy is still in use.
	s.mustUp("services:\n  web: {image: nginx:1.27}\n  db: {image: postgres:16}\n", UpOptions{})
	s.wantStates("demo-db-1 running", "demo-web-1 running")

	if err := s.api.ContainerRemove(ctx, other.ID, container.RemoveOptions{Force: true}); err != nil {
		t.Fatal(err)
	}
	if err := s.down(DownOptions{}); err != nil {
		t.Fatal(err)
	}
	if got := s.networks(); len(got) != 0 {
		t.Errorf("networks left %q", got)
	}
}
