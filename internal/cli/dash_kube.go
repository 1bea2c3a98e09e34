package cli

import (
	"context"
	"errors"

	"github.com/devstack/devstack/internal/feed"
	"github.com/devstack/devstack/internal/feed/kubefeed"
	"github.com/devstack/devstack/internal/kube"
	"github.com/devstack/devstack/internal/kube/wire"
)

// kubeDash is dash --kubernetes: the dashboard of the project deployed on
// the cluster, from the devstack-kube helper's watches.
func kubeDash(ctx context.Context, g *globals, f dashFlags) error {
	if !isTerminal(g.stdout) || !isTerminal(g.stdin) {
		return errors.New("the dashboard needs a terminal; use `devstack deploy ps --kubernetes` and `devstack deploy logs --kubernetes -f` instead")
	}
	name, err := g.projectName(ctx)
	if err != nil {
		return err
	}
	// No helper, no cluster, a namespace without the project: one clear
	// message before the screen opens.
	if err := g.onCluster(ctx, &f.kube, wire.Request{Op: wire.OpCheck}, kube.Handlers{}); err != nil {
		return err
	}
	src := kubefeed.New(kube.Run, name, f.kube.Cluster, f.tail)
	f.stack = true
	return runDash(ctx, g, nil, nil, name, f, func(ctx context.Context, out chan<- feed.Batch) {
		feed.RunStack(ctx, src, feed.StackOptions{Poll: -1, Peer: "cluster"}, out)
	}, false, nil)
}
