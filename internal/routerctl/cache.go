package routerctl

import (
	"context"
	"encoding/json"
	"errors"
	"io/fs"
	"os"
	"path/filepath"
	"strings"

	"github.com/devstack/devstack/internal/dockerapi"
	"github.com/devstack/devstack/internal/router"
)

// The host keeps a copy of every project's routes as devstack last wrote
// them into the router, so that a no-op up, ps and info read a few small
// files instead of a tar of the router's /routes through the engine. The
// copy holds for one router container: its ID is in the directory's
// index file, and a router of another ID (made again, upgraded, on
// another engine) is read once from the container and copied again.
const cacheIndex = "router-id"

// Cache is the host's copy of the routes of the router with ID.
type Cache struct{ Dir string }

// DefaultCache is the copy in devstack's data directory: the CA's
// directory, routes/.
func DefaultCache() (Cache, error) {
	d, err := router.CADir()
	if err != nil {
		return Cache{}, err
	}
	return Cache{Dir: filepath.Join(d, "routes")}, nil
}

// Load answers every project's routes when the copy is of router id.
func (c Cache) Load(id string) ([]router.State, bool) {
	if c.Dir == "" || id == "" {
		return nil, false
	}
	idx, err := os.ReadFile(filepath.Join(c.Dir, cacheIndex))
	if err != nil || strings.TrimSpace(string(idx)) != id {
		return nil, false
	}
	files, err := filepath.Glob(filepath.Join(c.Dir, "*.json"))
	if err != nil {
		return nil, false
	}
	out := make([]router.State, 0, len(files))
	for _, f := range files {
		data, err := os.ReadFile(f)
		var st router.State
		if err == nil {
			err = json.Unmarshal(data, &st)
		}
		if err != nil {
			return nil, false // damaged: read the router again
		}
		out = append(out, st)
	}
	return out, true
}

// Has says whether the copy holds routes of project, not down (of any
// router): whether an up gave it routes, without asking the engine.
func (c Cache) Has(project string) bool {
	if c.Dir == "" {
		return false
	}
	data, err := os.ReadFile(filepath.Join(c.Dir, fileName(project)))
	var st router.State
	return err == nil && json.Unmarshal(data, &st) == nil && !st.Down
}

// Put writes one project's routes into the copy (no index: the copy
// counts only once Reset made it whole for a router).
func (c Cache) Put(st router.State) error {
	if c.Dir == "" {
		return nil
	}
	data, err := json.Marshal(st)
	if err != nil {
		return err
	}
	if err := os.MkdirAll(c.Dir, 0o700); err != nil {
		return err
	}
	return writeAtomic(filepath.Join(c.Dir, fileName(st.Project)), data)
}

// Reset makes the copy states, of router id, whole.
func (c Cache) Reset(id string, states []router.State) error {
	if c.Dir == "" {
		return nil
	}
	if err := c.Drop(); err != nil {
		return err
	}
	for _, st := range states {
		if err := c.Put(st); err != nil {
			return err
		}
	}
	if err := os.MkdirAll(c.Dir, 0o700); err != nil {
		return err
	}
	return writeAtomic(filepath.Join(c.Dir, cacheIndex), []byte(id+"\n"))
}

// Drop forgets the copy (the router is gone).
func (c Cache) Drop() error {
	if c.Dir == "" {
		return nil
	}
	err := os.RemoveAll(c.Dir)
	if errors.Is(err, fs.ErrNotExist) {
		return nil
	}
	return err
}

func fileName(project string) string { return project + ".json" }

func writeAtomic(path string, data []byte) error {
	tmp, err := os.CreateTemp(filepath.Dir(path), ".tmp-*")
	if err != nil {
		return err
	}
	if _, err := tmp.Write(data); err != nil {
		tmp.Close()
		os.Remove(tmp.Name())
		return err
	}
	if err := tmp.Close(); err != nil {
		os.Remove(tmp.Name())
		return err
	}
	if err := os.Rename(tmp.Name(), path); err != nil {
		os.Remove(tmp.Name())
		return err
	}
	return nil
}

// StatesOf answers every project's routes in router r: from the host's
// copy when it is r's, else read out of the container (and the copy made
// again from them).
func StatesOf(ctx context.Context, api dockerapi.ContainerAPI, c Cache, r Router) ([]router.State, error) {
	if states, ok := c.Load(r.ID); ok {
		return states, nil
	}
	states, err := States(ctx, api)
	if err != nil {
		return nil, err
	}
	_ = c.Reset(r.ID, states) // a copy that cannot be written: the next call reads the router again
	return states, nil
}
