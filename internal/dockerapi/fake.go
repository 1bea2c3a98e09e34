package dockerapi

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"slices"
	"strings"
	"sync"
	"time"

	"github.com/containerd/errdefs"
	"github.com/docker/docker/api/types"
	"github.com/docker/docker/api/types/events"
	"github.com/docker/docker/api/types/image"
	"github.com/docker/docker/api/types/network"
	"github.com/docker/docker/api/types/volume"
)

// FakeClient is an in-memory Docker Engine for unit tests of the flows
// that drive one. It keeps containers, networks, volumes and images,
// changes them on each call as the engine does, answers lists with the
// engine's filters, sends the events the engine would, and fails with the
// engine's errors, classified as errdefs classifies them (NotFound,
// Conflict, InvalidArgument, ...).
//
// A test sets what the engine does not decide itself: the images present
// and pullable (AddImage, AddPullable: what ImagePull and
// DistributionInspect find in the registry), what a started process does
// (SetHealth, Exit, ExitOnStart, CrashLoop, HealthOnStart, SetLogs), when
// a restart policy's delay is over (RestartDue), what system df says
// (SetDiskUsage, SlowDiskUsage) and calls that fail (FailNext, FailOn); it
// reads the outcome with the API itself (ContainerList, ContainerInspect,
// ...), or the call log (Calls) where behaviour is about the calls.
//
// Builds are the classic builder's, without running anything (ImageBuild);
// AutoRemove removes a container once it exits; restart policies restart a
// process that exits on its own. Not modelled: BuildKit sessions, exec,
// attach, stats, save and load (these return a NotImplemented error),
// volumes_from, swarm. It is safe for concurrent use.
type FakeClient struct {
	mu         sync.Mutex
	seq        int
	pools      int                               // the 172.x/16 subnets handed out
	containers map[string]*fakeContainer         // by ID
	networks   map[string]*network.Inspect       // by ID
	volumes    map[string]*volume.Volume         // by name
	images     map[string]*image.InspectResponse // by ID
	tags       map[string]string                 // normalised reference -> image ID
	registry   map[string]*image.InspectResponse // normalised reference -> what a pull gets
	onStart    map[string]func(*fakeContainer)   // container name -> what its process does once started
	traps      map[string][]string               // container name -> signals its process handles (Trap)
	fails      []injected
	calls      []Call
	streams    map[*stream]bool
	sent       []events.Message // every event, for Sent
	gone       bool             // the engine stopped answering (GoAway)
	skew       time.Duration    // the engine clock ahead of the host (SetClockSkew)
	df         *types.DiskUsage // what DiskUsage says (SetDiskUsage); nil: counted from the state
	dfDelay    time.Duration    // how long DiskUsage takes (SlowDiskUsage)
}

var _ API = (*FakeClient)(nil)

// NewFakeClient returns an engine with nothing but the networks every
// Docker engine has: bridge, host and none.
func NewFakeClient() *FakeClient {
	f := &FakeClient{
		containers: map[string]*fakeContainer{}, networks: map[string]*network.Inspect{},
		volumes: map[string]*volume.Volume{}, images: map[string]*image.InspectResponse{},
		tags: map[string]string{}, registry: map[string]*image.InspectResponse{},
		onStart: map[string]func(*fakeContainer){}, streams: map[*stream]bool{},
		traps: map[string][]string{},
	}
	for _, n := range []struct{ name, driver string }{{"bridge", "bridge"}, {"host", "host"}, {"none", "null"}} {
		f.addNetwork(n.name, network.CreateOptions{Driver: n.driver})
	}
	return f
}

// Call is one API call the fake answered: the method and what it was
// about (a container, network, volume or image, named as the caller did).
type Call struct {
	Method string
	Target string
}

// Calls returns the calls made so far, in order.
func (f *FakeClient) Calls() []Call {
	f.mu.Lock()
	defer f.mu.Unlock()
	return slices.Clone(f.calls)
}

// Count is how many calls of method were made.
func (f *FakeClient) Count(method string) int {
	n := 0
	for _, c := range f.Calls() {
		if c.Method == method {
			n++
		}
	}
	return n
}

type injected struct {
	method, target string
	err            error
}

// FailNext makes the next call of method (e.g. "ContainerStart") fail
// with err, before it changes anything.
func (f *FakeClient) FailNext(method string, err error) { f.FailOn(method, "", err) }

// FailOn makes the next call of method about target fail with err:
// target is matched against the name or ID the call is given and, for
// containers and networks, against the other of the two.
func (f *FakeClient) FailOn(method, target string, err error) {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.fails = append(f.fails, injected{method: method, target: target, err: err})
}

// GoAway makes the engine stop answering, as when its daemon stops: open
// event streams end and every later call fails to connect.
func (f *FakeClient) GoAway() {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.gone = true
	for s := range f.streams {
		s.end(errGone)
	}
}

var errGone = errdefs.ErrUnavailable.WithMessage("Cannot connect to the Docker daemon at unix:///var/run/docker.sock. Is the docker daemon running?")

// begin records a call and returns the error it is to fail with, if any.
// The caller holds f.mu.
func (f *FakeClient) begin(method, target string) error {
	f.calls = append(f.calls, Call{Method: method, Target: target})
	if f.gone {
		return errGone
	}
	names := []string{target}
	if c := f.container(target); c != nil {
		names = append(names, c.ID, c.name())
	} else if n := f.network(target); n != nil {
		names = append(names, n.ID, n.Name)
	}
	for i, in := range f.fails {
		if in.method == method && (in.target == "" || slices.Contains(names, in.target)) {
			f.fails = slices.Delete(f.fails, i, i+1)
			return in.err
		}
	}
	return nil
}

// call is begin for the calls that need no state.
func (f *FakeClient) call(method, target string) error {
	f.mu.Lock()
	defer f.mu.Unlock()
	return f.begin(method, target)
}

// newID makes an ID as the engine does: 64 hex digits, unique.
func (f *FakeClient) newID(kind string) string {
	f.seq++
	sum := sha256.Sum256(fmt.Appendf(nil, "%s-%d", kind, f.seq))
	return hex.EncodeToString(sum[:])
}

// The engine's errors, with the text the client gives them.
func daemonError(kind interface{ WithMessage(string) error }, format string, a ...any) error {
	return kind.WithMessage("Error response from daemon: " + fmt.Sprintf(format, a...))
}

func notFound(format string, a ...any) error {
	return daemonError(errdefs.ErrNotFound, format, a...)
}

func conflict(format string, a ...any) error {
	return daemonError(errdefs.ErrConflict, format, a...)
}

func invalid(format string, a ...any) error {
	return daemonError(errdefs.ErrInvalidArgument, format, a...)
}

func forbidden(format string, a ...any) error {
	return daemonError(errdefs.ErrPermissionDenied, format, a...)
}

func notImplemented(method string) error {
	return errdefs.ErrNotImplemented.WithMessage("FakeClient does not implement " + method)
}

// clone deep-copies what the fake hands out, as a round trip through the
// API's JSON would: callers may change it freely.
func clone[T any](v T) T {
	var out T
	b, err := json.Marshal(v)
	if err != nil {
		panic(err)
	}
	if err := json.Unmarshal(b, &out); err != nil {
		panic(err)
	}
	return out
}

// byIDOrName finds an object by its full ID, its name, or a unique prefix
// of its ID, as the engine resolves references.
func byIDOrName[T any](m map[string]T, ref string, name func(T) string) (T, bool) {
	var zero T
	if ref == "" {
		return zero, false
	}
	if v, ok := m[ref]; ok {
		return v, true
	}
	for _, v := range m {
		if name(v) == ref {
			return v, true
		}
	}
	var found []T
	for id, v := range m {
		if strings.HasPrefix(id, ref) {
			found = append(found, v)
		}
	}
	if len(found) == 1 {
		return found[0], true
	}
	return zero, false
}

// Ping answers as a Docker engine that is up.
func (f *FakeClient) Ping(context.Context) (types.Ping, error) {
	if err := f.call("Ping", ""); err != nil {
		return types.Ping{}, err
	}
	return types.Ping{APIVersion: fakeAPIVersion, OSType: "linux"}, nil
}

const fakeAPIVersion = "1.51"

// ServerVersion answers as Docker Engine 28.
func (f *FakeClient) ServerVersion(context.Context) (types.Version, error) {
	if err := f.call("ServerVersion", ""); err != nil {
		return types.Version{}, err
	}
	return types.Version{
		Platform:   struct{ Name string }{Name: "Docker Engine - Community"},
		Components: []types.ComponentVersion{{Name: "Engine", Version: "28.5.2"}},
		Version:    "28.5.2", APIVersion: fakeAPIVersion, MinAPIVersion: "1.24", Os: "linux", Arch: "amd64",
	}, nil
}

// ClientVersion is the API version the client negotiated.
func (f *FakeClient) ClientVersion() string { return fakeAPIVersion }

// DaemonHost is the address a default client talks to.
func (f *FakeClient) DaemonHost() string { return "unix:///var/run/docker.sock" }

// Close does nothing: there is no connection.
func (f *FakeClient) Close() error { return nil }

func (f *FakeClient) now() time.Time { return time.Now().UTC() }
