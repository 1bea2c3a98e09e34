package apply

import (
	"context"

	"github.com/compose-spec/compose-go/v2/types"

	"github.com/devstack/devstack/internal/dockerapi"
	"github.com/devstack/devstack/internal/plan"
	"github.com/devstack/devstack/internal/progress"
)

// WaitReady waits for one container as up --wait does: until it is
// healthy when it has a healthcheck, else until it runs (and, with a
// restart policy, stays up); out hears why it still waits. Other flows
// that start containers again (snapshot restore) use it.
func WaitReady(ctx context.Context, api dockerapi.ContainerAPI, w *Watcher, c plan.Container, healthcheck bool, out progress.Progress) error {
	cond := conditionRunning
	if healthcheck {
		cond = types.ServiceConditionHealthy
	}
	return WaitFor(ctx, api, w, Wait{Container: c, Condition: cond, Out: out})
}
