package routerctl

import (
	"archive/tar"
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"path"
	"slices"
	"strings"

	"github.com/compose-spec/compose-go/v2/types"
	"github.com/containerd/errdefs"
	"github.com/docker/docker/api/types/container"
	"github.com/docker/docker/api/types/network"

	"github.com/devstack/devstack/internal/containers"
	"github.com/devstack/devstack/internal/dockerapi"
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
// joined to the project's networks with every name as a network alias (so
// containers reach the same URLs), a certificate for each name, and the
// project's file written and reloaded. p is the whole project.
func Attach(ctx context.Context, api dockerapi.API, ca *router.CA, p *types.Project) (Attached, error) {
	r, err := Ensure(ctx, api)
	if err != nil {
		return Attached{}, err
	}
	states, err := States(ctx, api)
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
	var old router.State
	for _, s := range states {
		if s.Project == p.Name {
			old = s
		}
	}
	for _, rt := range old.Routes {
		ca.Keep(rt.Host, router.Leaf{Cert: rt.Cert, Key: rt.Key})
	}
	for i := range st.Routes {
		l, err := ca.Issue(st.Routes[i].Host)
		if err != nil {
			return Attached{}, err
		}
		st.Routes[i].Cert, st.Routes[i].Key = l.Cert, l.Key
	}
	st.Networks = Networks(p, st)
	if err := join(ctx, api, r, st, hosts(old)); err != nil {
		return Attached{}, err
	}
	if same(old, st) {
		return Attached{Router: r, State: st, Notes: notes}, nil // a no-op up: nothing to reload
	}
	if err := write(ctx, api, st, true); err != nil {
		return Attached{}, err
	}
	return Attached{Router: r, State: st, Notes: notes}, nil
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

// join connects the router to st's networks with its names as aliases;
// a network it is on already with other names is joined again.
func join(ctx context.Context, api dockerapi.NetworkAPI, r Router, st router.State, oldHosts []string) error {
	names := hosts(st)
	same := slices.Equal(names, oldHosts)
	for _, n := range st.Networks {
		on := slices.Contains(r.Networks, n)
		if on && same {
			continue
		}
		if on {
			if err := api.NetworkDisconnect(ctx, n, Name, true); err != nil && !errdefs.IsNotFound(err) {
				return fmt.Errorf("router leaving network %s: %w", n, err)
			}
		}
		if err := api.NetworkConnect(ctx, n, Name, &network.EndpointSettings{Aliases: names}); err != nil {
			return fmt.Errorf("router joining network %s: %w", n, err)
		}
	}
	return nil
}

// write copies the project's file into the router and has it reload.
func write(ctx context.Context, api dockerapi.ContainerAPI, st router.State, running bool) error {
	data, err := json.Marshal(st)
	if err != nil {
		return err
	}
	file := strings.TrimPrefix(RoutesDir, "/") + "/" + st.Project + ".json"
	archive, err := selfimage.Tar([]selfimage.File{{Name: file, Mode: 0o600, Data: data}})
	if err != nil {
		return err
	}
	if err := api.CopyToContainer(ctx, Name, "/", bytes.NewReader(archive), container.CopyToContainerOptions{}); err != nil {
		return fmt.Errorf("writing the router's routes: %w", err)
	}
	if !running {
		return nil // it reads the file when it starts
	}
	if err := api.ContainerKill(ctx, Name, "SIGHUP"); err != nil {
		return fmt.Errorf("reloading the router: %w", err)
	}
	return nil
}

// Detach marks the project down in the router (its names then answer a
// page saying so) and takes the router off its networks, before down
// removes them. Without a router, or a project it never served, nothing.
func Detach(ctx context.Context, api dockerapi.API, project string) error {
	r, err := Find(ctx, api)
	if errors.Is(err, ErrNoRouter) {
		return nil
	}
	if err != nil {
		return err
	}
	states, err := States(ctx, api)
	if err != nil {
		return err
	}
	for _, st := range states {
		if st.Project != project {
			continue
		}
		for _, n := range st.Networks {
			if !slices.Contains(r.Networks, n) {
				continue
			}
			if err := api.NetworkDisconnect(ctx, n, Name, true); err != nil && !errdefs.IsNotFound(err) {
				return fmt.Errorf("router leaving network %s: %w", n, err)
			}
		}
		st.Down, st.Networks = true, nil
		for i := range st.Routes {
			st.Routes[i].Backends = nil
		}
		return write(ctx, api, st, r.Running)
	}
	return nil
}
