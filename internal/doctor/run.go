package doctor

import (
	"context"
	"fmt"
	"time"

	"github.com/compose-spec/compose-go/v2/types"

	"github.com/devstack/devstack/internal/apply"
	"github.com/devstack/devstack/internal/dockerapi"
)

// EngineAPI is what the checks ask of the engine, together.
type EngineAPI interface {
	dockerapi.API
	Informer
	DiskUser
}

// Env is what doctor checks: the engine and how it was reached, the
// project (or why it did not load) and this machine's probes.
type Env struct {
	API        EngineAPI // nil when no client could be made (ConnectErr)
	ConnectErr error
	Endpoint   dockerapi.Endpoint
	Project    *types.Project // the selected services; nil when it did not load
	LoadErr    error
	Known      []string // every service of the project
	Creds      Credentials
	Ports      PortProbe
	Statfs     Statfs
	WatchLimit int
	Now        func() time.Time
	// DiskUsageTimeout bounds the engine's disk usage answer (0: DefaultDiskUsageTimeout).
	DiskUsageTimeout time.Duration
}

// Run runs every check; those that need the engine or the project are
// left out when that is what failed.
func Run(ctx context.Context, e Env) Report {
	var eng Result
	if e.API == nil {
		eng = Result{Check: "engine", Status: Fail, Detail: fmt.Sprintf("no client for %s: %v", e.Endpoint, e.ConnectErr),
			Remedy: "check --context, DOCKER_HOST and DOCKER_CONTEXT (docker context ls)"}
	} else {
		eng = Engine(ctx, e.API, e.Endpoint)
	}
	r := Report{eng}
	if e.Project == nil {
		r = append(r, Project(nil, e.LoadErr))
	} else {
		r = append(r, Project(e.Project, nil))
	}
	if eng.Status == Fail {
		if e.Project != nil {
			r = append(r, Inotify(e.Project, e.WatchLimit))
			r = append(r, Health(e.Project, "")...)
		}
		return r
	}
	projectDir := ""
	if e.Project != nil {
		projectDir = e.Project.WorkingDir
	}
	r = append(r, Clock(ctx, e.API, e.Now))
	r = append(r, Disk(ctx, e.API, e.API.DaemonHost(), projectDir, e.Statfs, e.DiskUsageTimeout)...)
	if e.Project == nil {
		return r
	}
	p := e.Project
	apply.DefaultImageNames(p)
	obs, err := apply.Observe(ctx, e.API, p.Name)
	if err != nil {
		return append(r, Result{Check: "project", Status: Fail, Detail: "its containers cannot be listed: " + err.Error()})
	}
	r = append(r, Ports(ctx, e.API, p, obs.Containers, e.Ports)...)
	r = append(r, Images(ctx, e.API, p, e.Creds)...)
	r = append(r, Inotify(p, e.WatchLimit))
	r = append(r, Health(p, dockerapi.APIVersion(e.API))...)
	return append(r, Recreate(ctx, e.API, p, e.Known, obs)...)
}
