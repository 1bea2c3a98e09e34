package doctor

import (
	"context"
	"fmt"
	"time"

	"github.com/docker/docker/api/types"
	"github.com/docker/docker/api/types/system"

	"github.com/devstack/devstack/internal/dockerapi"
)

// Versioner is what the engine check asks.
type Versioner interface {
	ServerVersion(ctx context.Context) (types.Version, error)
}

// Engine checks that the engine answers, and says which one it is, the
// API version and the docker context it was reached through.
func Engine(ctx context.Context, api Versioner, ep dockerapi.Endpoint) Result {
	where := ep.String()
	if ep.Context == "" {
		where = ep.Host
	}
	v, err := api.ServerVersion(ctx)
	if err != nil {
		return Result{Check: "engine", Status: Fail, Detail: fmt.Sprintf("no answer from %s: %v", where, err),
			Remedy: "start the engine (Docker Desktop, colima start, systemctl start docker), or choose another with --context or DOCKER_HOST"}
	}
	return ok("engine", "%s %s, API %s, at %s", dockerapi.EngineName(v), v.Version, v.APIVersion, where)
}

// Informer is what the clock and disk checks ask of the engine.
type Informer interface {
	Info(ctx context.Context) (system.Info, error)
}

// maxSkew is how far the engine's clock may be off the host's.
const maxSkew = 2 * time.Second

// Clock compares the engine's clock with the host's.
func Clock(ctx context.Context, api Informer, now func() time.Time) Result {
	info, err := api.Info(ctx)
	if err != nil {
		return Result{Check: "clock", Status: Skip, Detail: fmt.Sprintf("the engine's time is unknown: %v", err)}
	}
	t, err := time.Parse(time.RFC3339Nano, info.SystemTime)
	if err != nil {
		return Result{Check: "clock", Status: Skip, Detail: "the engine does not say its time"}
	}
	return clockResult(t.Sub(now()))
}

// clockResult judges how far the engine's clock is ahead of the host's. Pure.
func clockResult(skew time.Duration) Result {
	off := skew.Abs().Round(time.Second)
	way := "ahead of"
	if skew < 0 {
		way = "behind"
	}
	if skew.Abs() <= maxSkew {
		return ok("clock", "the engine's clock agrees with this machine's (within %s)", maxSkew)
	}
	return Result{Check: "clock", Status: Warn, Detail: fmt.Sprintf("the engine's clock is %s %s this machine's (health check times, logs --since and watch's change times are off by as much)", off, way),
		Remedy: "restart the engine's VM (Docker Desktop, colima restart) or sync its clock (hwclock -s, chronyc makestep)"}
}
