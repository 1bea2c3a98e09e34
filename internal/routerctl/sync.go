package routerctl

import (
	"archive/tar"
	"bytes"
	"context"
	"crypto/rand"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"path"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/compose-spec/compose-go/v2/types"
	"github.com/containerd/errdefs"
	"github.com/docker/docker/api/types/container"

	"github.com/devstack/devstack/internal/containers"
	"github.com/devstack/devstack/internal/dockerapi"
	"github.com/devstack/devstack/internal/plan"
	"github.com/devstack/devstack/internal/router"
	"github.com/devstack/devstack/internal/selfimage"
)

// States reads every project's routes back from the router.
func States(ctx context.Context, api dockerapi.ContainerAPI) ([]router.State, error) {
	rc, _, err := api.CopyFromContainer(ctx, Name, RoutesDir)
	if errdefs.IsNotFound(err) {
		return nil, nil
	}
	if err != nil {
		return nil, err
	}
	defer rc.Close()
	var out []router.State
	tr := tar.NewReader(rc)
	for {
		h, err := tr.Next()
		if err == io.EOF {
			return out, nil
		}
		if err != nil {
			return out, err
		}
		if h.Typeflag != tar.TypeReg || path.Ext(h.Name) != ".json" {
			continue
		}
		var st router.State
		if err := json.NewDecoder(tr).Decode(&st); err == nil {
			out = append(out, st)
		}
	}
}

// Attached is what Attach did: the project's routes and the router's ports.
type Attached struct {
	Router Router
	State  router.State
	Notes  []string // names mapped or refused, one line each
}

// Attach gives the project its routes: the router started if need be,
// the project's router network made, the router on it with every name as
// a network alias (so containers reach the same URLs) and the project's
// running containers on it, a certificate for each name, and the
// project's file written and reloaded. p is the whole project. A no-op
// up reads the routes from the host's copy and writes nothing.
func Attach(ctx context.Context, api dockerapi.API, ca *router.CA, c Cache, p *types.Project) (Attached, error) {
	r, err := Ensure(ctx, api, c)
	if err != nil {
		return Attached{}, err
	}
	states, err := StatesOf(ctx, api, c, r.Router)
	if err != nil {
		return Attached{}, fmt.Errorf("reading the router's routes: %w", err)
	}
	cs, err := containers.Observe(ctx, api, p.Name)
	if err != nil {
		return Attached{}, err
	}
	rp, notes := RouteProject(p, cs)
	st, more := router.Build(rp, router.Taken(states, p.Name))
	notes = append(notes, more...)
	old := stateOf(states, p.Name)
	if err := certify(ca, &st, old); err != nil {
		return Attached{}, err
	}
	st.Networks = []string{NetworkName(p.Name)}
	if r.HTTPS != 443 {
		st.HTTPSPort = r.HTTPS
	}
	if err := connect(ctx, api, r.Router, p, st, old, cs); err != nil {
		return Attached{}, err
	}
	if !same(old, st) {
		running := r.Router
		running.Running = true // Ensure started it
		if err := write(ctx, api, c, st, running); err != nil {
			return Attached{}, err
		}
	}
	return Attached{Router: r.Router, State: st, Notes: append(r.Notes, notes...)}, nil
}

// Prepare does what Attach will need before the project's containers
// run, so that up does it meanwhile: the router started, the project's
// router network made, the router on it with the project's names. It
// writes no routes (Attach does, with the containers).
func Prepare(ctx context.Context, api dockerapi.API, c Cache, p *types.Project) ([]string, error) {
	r, err := Ensure(ctx, api, c, publishedPorts(p)...)
	if err != nil {
		return nil, err
	}
	states, err := StatesOf(ctx, api, c, r.Router)
	if err != nil {
		return nil, err
	}
	rp, _ := RouteProject(p, nil)
	st, _ := router.Build(rp, router.Taken(states, p.Name))
	st.Networks = []string{NetworkName(p.Name)}
	if err := ensureNetwork(ctx, api, r.Router, p); err != nil {
		return nil, err
	}
	return r.Notes, joinRouter(ctx, api, r.Router, st, stateOf(states, p.Name))
}

// publishedPorts are the host ports p's services publish.
func publishedPorts(p *types.Project) []int {
	var out []int
	for _, s := range p.Services {
		for _, port := range s.Ports {
			lo, _, _ := strings.Cut(port.Published, "-")
			if n, err := strconv.Atoi(lo); err == nil {
				out = append(out, n)
			}
		}
	}
	return out
}

func stateOf(states []router.State, project string) router.State {
	for _, s := range states {
		if s.Project == project {
			return s
		}
	}
	return router.State{}
}

// certify gives each route its certificate: the one the router holds
// while valid, else a new one.
func certify(ca *router.CA, st *router.State, old router.State) error {
	for _, rt := range old.Routes {
		ca.Keep(rt.Host, router.Leaf{Cert: rt.Cert, Key: rt.Key})
	}
	for i := range st.Routes {
		l, err := ca.Issue(st.Routes[i].Host)
		if err != nil {
			return err
		}
		st.Routes[i].Cert, st.Routes[i].Key = l.Cert, l.Key
	}
	return nil
}

// connect puts the router and the project's running containers on the
// project's router network.
func connect(ctx context.Context, api dockerapi.API, r Router, p *types.Project, st, old router.State, cs []plan.Container) error {
	if err := ensureNetwork(ctx, api, r, p); err != nil {
		return err
	}
	if err := joinRouter(ctx, api, r, st, old); err != nil {
		return err
	}
	return joinContainers(ctx, api, st.Project, cs)
}

// same reports whether the router holds st already (certificates and all).
func same(old, st router.State) bool {
	a, err1 := json.Marshal(old)
	b, err2 := json.Marshal(st)
	return err1 == nil && err2 == nil && bytes.Equal(a, b)
}

func hosts(st router.State) []string {
	out := make([]string, 0, len(st.Routes))
	for _, r := range st.Routes {
		out = append(out, r.Host)
	}
	return out
}

// write copies the project's file into the router (and the host's copy)
// and has r reload. A running router of this build is waited for until
// it serves what was written (awaitLoaded), so that requests made once
// the command returns follow the new routes.
func write(ctx context.Context, api dockerapi.ContainerAPI, c Cache, st router.State, r Router) error {
	var token string
	if r.Running && r.Version != "" && r.Version == programVersion() {
		token = newToken()
	}
	if err := copyRoutes(ctx, api, []router.State{st}, token); err != nil {
		return err
	}
	if err := c.Put(st); err != nil {
		_ = c.Drop() // a stale copy must not be read: the next call reads the router
	}
	if !r.Running {
		return nil // it reads the file when it starts
	}
	if err := api.ContainerKill(ctx, Name, "SIGHUP"); err != nil {
		return fmt.Errorf("reloading the router: %w", err)
	}
	awaitLoaded(ctx, api, token)
	return nil
}

// loadWait bounds awaitLoaded: a router slower than that serves the new
// routes a little later, as it did before routers said when.
var loadWait = 5 * time.Second

// awaitLoaded waits until the router has marked token loaded
// (router.MarkLoaded), at most loadWait; nothing for "".
func awaitLoaded(ctx context.Context, api dockerapi.ContainerAPI, token string) {
	if token == "" {
		return
	}
	ctx, cancel := context.WithTimeout(ctx, loadWait)
	defer cancel()
	mark := path.Join(RoutesDir, router.LoadedPrefix+token)
	for delay := time.Millisecond; ; delay = min(2*delay, 50*time.Millisecond) {
		_, err := api.ContainerStatPath(ctx, Name, mark)
		if !errdefs.IsNotFound(err) {
			return // there, or a router that cannot be asked
		}
		select {
		case <-ctx.Done():
			return
		case <-time.After(delay):
		}
	}
}

// newToken is a fresh reload token (router.ReloadToken's alphabet).
func newToken() string {
	var b [8]byte
	_, _ = rand.Read(b[:])
	return hex.EncodeToString(b[:])
}

// copyRoutes copies states' files into the router's /routes, and the
// reload token after them when there is one.
func copyRoutes(ctx context.Context, api dockerapi.ContainerAPI, states []router.State, token string) error {
	if len(states) == 0 {
		return nil
	}
	dir := strings.TrimPrefix(RoutesDir, "/") + "/"
	files := make([]selfimage.File, 0, len(states)+1)
	for _, st := range states {
		data, err := json.Marshal(st)
		if err != nil {
			return err
		}
		files = append(files, selfimage.File{Name: dir + fileName(st.Project), Mode: 0o600, Data: data})
	}
	if token != "" {
		files = append(files, selfimage.File{Name: dir + router.ReloadFile, Mode: 0o600, Data: []byte(token)})
	}
	archive, err := selfimage.Tar(files)
	if err != nil {
		return err
	}
	if err := api.CopyToContainer(ctx, Name, "/", bytes.NewReader(archive), container.CopyToContainerOptions{}); err != nil {
		return fmt.Errorf("writing the router's routes: %w", err)
	}
	return nil
}

// Refresh makes the project's routes follow its containers after start,
// stop, restart or kill: each name goes to the service's running
// containers (the healthy ones when some are), new ones joined to the
// router's network. Only a project the router serves (up, not down);
// nothing is started, and without a change nothing is written.
func Refresh(ctx context.Context, api dockerapi.API, c Cache, project string) error {
	r, err := Find(ctx, api)
	if errors.Is(err, ErrNoRouter) {
		return nil
	}
	if err != nil {
		return err
	}
	states, err := StatesOf(ctx, api, c, r)
	if err != nil {
		return err
	}
	old := stateOf(states, project)
	if old.Project == "" || old.Down || !r.Running {
		return nil
	}
	cs, err := containers.Observe(ctx, api, project)
	if err != nil {
		return err
	}
	if slices.Contains(old.Networks, NetworkName(project)) {
		if err := joinContainers(ctx, api, project, cs); err != nil {
			return err
		}
	}
	st := router.Refresh(old, Backends(cs))
	if same(old, st) {
		return nil
	}
	return write(ctx, api, c, st, r)
}

// Detach marks the project down in the router (its names then answer a
// page saying so), takes the router and the containers off the project's
// router network and removes it, before down removes the project. Without
// a router, its network of the project (if any) is removed all the same.
func Detach(ctx context.Context, api dockerapi.API, c Cache, project string) error {
	r, err := Find(ctx, api)
	if errors.Is(err, ErrNoRouter) {
		return leave(ctx, api, project) // its network outlives a router removed by hand
	}
	if err != nil {
		return err
	}
	states, err := StatesOf(ctx, api, c, r)
	if err != nil {
		return err
	}
	st := stateOf(states, project)
	if st.Project == "" {
		return leave(ctx, api, project)
	}
	for _, n := range st.Networks { // an older devstack's: the project's own
		if n != NetworkName(project) && slices.Contains(r.Networks, n) {
			if err := api.NetworkDisconnect(ctx, n, Name, true); err != nil && !errdefs.IsNotFound(err) {
				return fmt.Errorf("router leaving network %s: %w", n, err)
			}
		}
	}
	if err := leave(ctx, api, project); err != nil {
		return err
	}
	st.Down, st.Networks = true, nil
	for i := range st.Routes {
		st.Routes[i].Backends = nil
	}
	return write(ctx, api, c, st, r)
}
