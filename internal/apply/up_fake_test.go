package apply

import (
	"errors"
	"slices"
	"strings"
	"testing"

	"github.com/devstack/devstack/internal/convert"
	"github.com/devstack/devstack/internal/progress"

	"github.com/docker/docker/api/types/mount"
	dockerspec "github.com/moby/docker-image-spec/specs-go/v1"
)

const shopYAML = `
services:
  db:
    image: postgres:16
    volumes: [data:/var/lib/postgresql/data]
    networks: [back]
  web:
    image: nginx:1.27
    environment: {MODE: one}
    depends_on: [db]
    networks: [front, back]
networks: {front: {}, back: {}}
volumes: {data: {}}
`

// Up from nothing creates the networks, the volume and the containers,
// labelled as compose labels them, and starts db before web.
func TestUpFromNothing(t *testing.T) {
	s := newFakeStack(t)
	mark := s.mark()
	res := s.mustUp(shopYAML, UpOptions{})

	s.wantStates("demo-db-1 running", "demo-web-1 running")
	if got := s.networks(); !slices.Equal(got, []string{"demo_back", "demo_front"}) {
		t.Errorf("networks %q", got)
	}
	if got := s.volumes(); !slices.Equal(got, []string{"demo_data"}) {
		t.Errorf("volumes %q", got)
	}
	web := s.inspect("demo-web-1")
	l := web.Config.Labels
	if l[convert.LabelProject] != "demo" || l[convert.LabelService] != "web" || l[convert.LabelNumber] != "1" || l[convert.LabelConfigHash] == "" || l[convert.LabelDependsOn] != "db:service_started:false" {
		t.Errorf("labels %v", l)
	}
	for _, n := range []string{"demo_front", "demo_back"} {
		if ep := web.NetworkSettings.Networks[n]; ep == nil || ep.IPAddress == "" || !slices.Contains(ep.Aliases, "web") {
			t.Errorf("web on %s: %+v", n, ep)
		}
	}
	db := s.inspect("demo-db-1")
	if len(db.Mounts) != 1 || db.Mounts[0].Name != "demo_data" || db.Mounts[0].Type != mount.TypeVolume {
		t.Errorf("db mounts %+v", db.Mounts)
	}
	starts := slices.DeleteFunc(s.engineEvents(mark), func(e string) bool { return !strings.HasPrefix(e, "start ") })
	if !slices.Equal(starts, []string{"start demo-db-1", "start demo-web-1"}) {
		t.Errorf("start order %q", starts)
	}
	if got := res.Plan.String(); !strings.Contains(got, "container:demo-web-1 CreateContainer") || !strings.Contains(got, "network:demo_back CreateNetwork") {
		t.Errorf("plan:\n%s", got)
	}
	if !s.out.saw(progress.KindContainer, "demo-web-1", "Started") || !s.out.saw(progress.KindNetwork, "demo_front", "Created") || !s.out.saw(progress.KindVolume, "demo_data", "Created") {
		t.Errorf("progress %v", s.out.events)
	}
}

// Up again with nothing changed changes nothing on the engine.
func TestUpAgainIsNoOp(t *testing.T) {
	s := newFakeStack(t)
	s.mustUp(shopYAML, UpOptions{})
	before := s.containers()
	mark := s.mark()

	res := s.mustUp(shopYAML, UpOptions{})
	if !res.Plan.Unchanged() {
		t.Errorf("plan:\n%s", res.Plan)
	}
	if evs := s.engineEvents(mark); len(evs) != 0 {
		t.Errorf("the engine saw %q", evs)
	}
	for name, c := range s.containers() {
		if before[name].ID != c.ID {
			t.Errorf("%s replaced", name)
		}
	}
}

// Up with --no-start (create) makes the containers and leaves them stopped;
// up then starts them, dependencies first.
func TestUpNoStartThenStart(t *testing.T) {
	s := newFakeStack(t)
	s.mustUp(shopYAML, UpOptions{NoStart: true})
	s.wantStates("demo-db-1 created", "demo-web-1 created")
	res := s.mustUp(shopYAML, UpOptions{})
	s.wantStates("demo-db-1 running", "demo-web-1 running")
	if got := res.Plan.String(); !strings.Contains(got, "StartContainer, created") {
		t.Errorf("plan:\n%s", got)
	}
}

// A missing image is pulled; one that is neither there nor pullable
// fails up before anything is created.
func TestUpPullsImages(t *testing.T) {
	s := newFakeStack(t)
	id := s.api.AddPullable("redis:7", nil)
	s.mustUp("services: {cache: {image: redis:7}}", UpOptions{})
	if got := s.inspect("demo-cache-1").Image; got != id {
		t.Errorf("cache runs %s, want the pulled %s", got, id)
	}
	if !s.out.saw(progress.KindImage, "redis:7", "Pulled") {
		t.Errorf("progress %v", s.out.events)
	}

	s = newFakeStack(t)
	_, err := s.up("services: {cache: {image: nosuch:1}}", UpOptions{})
	if !errors.Is(err, ErrImageUnavailable) || !strings.Contains(err.Error(), "nosuch:1") {
		t.Fatalf("error %v", err)
	}
	s.wantStates()
	if got := s.networks(); len(got) != 0 {
		t.Errorf("networks %q", got)
	}
}

// A newer image in the registry, pulled with --pull always, recreates
// the container; a failed pull falls back to the local image, warned.
func TestUpPullAlways(t *testing.T) {
	s := newFakeStack(t)
	s.api.AddPullable("redis:7", nil)
	yaml := "services: {cache: {image: redis:7}}"
	s.mustUp(yaml, UpOptions{})
	newer := s.api.AddPullable("redis:7", nil)
	res := s.mustUp(yaml, UpOptions{ImageOptions: ImageOptions{Pull: "always"}})
	if got := res.Plan.String(); !strings.Contains(got, "RecreateContainer, image changed") {
		t.Errorf("plan:\n%s", got)
	}
	if got := s.inspect("demo-cache-1").Image; got != newer {
		t.Errorf("runs %s, want %s", got, newer)
	}
	s.api.FailNext("ImagePull", errors.New("registry down"))
	res = s.mustUp(yaml, UpOptions{ImageOptions: ImageOptions{Pull: "always"}})
	if !res.Plan.Unchanged() || !s.out.warned("pull failed, using the local image") {
		t.Errorf("plan %s, progress %v", res.Plan, s.out.events)
	}
}

// The engine going away turns any failure into ErrEngineGone, naming the step.
func TestUpEngineGone(t *testing.T) {
	s := newFakeStack(t)
	s.api.GoAway()
	_, err := s.up(shopYAML, UpOptions{})
	if !errors.Is(err, ErrEngineGone) || !strings.Contains(err.Error(), "checking the project") {
		t.Fatalf("error %v", err)
	}
}

// An image's VOLUME gets an anonymous volume, which a recreate hands to
// the new container; up -V gives it a new one and removes the old.
func TestUpAnonymousVolumes(t *testing.T) {
	s := newFakeStack(t)
	s.api.AddImage("app:1", imageWithVolume("/cache"))
	s.mustUp("services: {app: {image: app:1, environment: {V: '1'}}}", UpOptions{})
	first := s.inspect("demo-app-1").Mounts[0].Name
	s.mustUp("services: {app: {image: app:1, environment: {V: '2'}}}", UpOptions{})
	if got := s.inspect("demo-app-1").Mounts[0].Name; got != first {
		t.Errorf("recreated with volume %s, want the old %s", got, first)
	}
	s.mustUp("services: {app: {image: app:1, environment: {V: '3'}}}", UpOptions{RenewAnonVolumes: true})
	if got := s.inspect("demo-app-1").Mounts[0].Name; got == first {
		t.Error("up -V kept the old anonymous volume")
	}
	if got := s.volumes(); !slices.Equal(got, []string{"anon"}) {
		t.Errorf("volumes %q, want only the new anonymous one", got)
	}
}

func imageWithVolume(path string) *dockerspec.DockerOCIImageConfig {
	c := &dockerspec.DockerOCIImageConfig{}
	c.Volumes = map[string]struct{}{path: {}}
	return c
}
