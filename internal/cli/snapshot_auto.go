package cli

import (
	"context"
	"errors"
	"fmt"
	"os"
	"strings"
	"time"

	"github.com/compose-spec/compose-go/v2/types"

	"github.com/devstack/devstack/internal/compose"
	"github.com/devstack/devstack/internal/containers"
	"github.com/devstack/devstack/internal/dockerapi"
	"github.com/devstack/devstack/internal/plan"
	"github.com/devstack/devstack/internal/selfimage"
	"github.com/devstack/devstack/internal/snapshot"
)

// autoSnapshot is down -v's safety net: a snapshot auto-TIME of the
// project's named volumes before they go (the newest 3 are kept), said in
// one line; skipped, in one line, over 2 GiB, without a compose file or
// without the embedded helper; DEVSTACK_NO_SNAPSHOT=1 turns it off. Any
// other failure stops down -v before it removes anything.
func autoSnapshot(ctx context.Context, g *globals, api dockerapi.API) error {
	if os.Getenv("DEVSTACK_NO_SNAPSHOT") == "1" {
		return nil
	}
	p, err := compose.Load(ctx, g.Options)
	if err != nil {
		fmt.Fprintf(g.stderr, "No snapshot of the volumes before removing them: the compose file is needed to know them (%v)\n", err)
		return nil
	}
	res, err := snapshot.AutoSave(ctx, api, p, snapshot.GitBranch(p.WorkingDir), time.Now(), snapshot.Helper{}, g.printer())
	return reportAuto(g, "down -v", "volumes", res, err)
}

// autoSnapshotAnonymous is the safety net of up -V and rm -v: a snapshot
// auto-TIME of the anonymous volumes of the containers cs that hold data,
// on down -v's terms.
func autoSnapshotAnonymous(ctx context.Context, g *globals, api dockerapi.API, p *types.Project, cs []plan.Container, verb string) error {
	if os.Getenv("DEVSTACK_NO_SNAPSHOT") == "1" {
		return nil
	}
	res, err := snapshot.AutoSaveAnonymous(ctx, api, p, cs, time.Now(), snapshot.Helper{}, g.printer())
	return reportAuto(g, verb, "anonymous volumes", res, err)
}

// reportAuto says what the safety snapshot of verb did, in one line.
func reportAuto(g *globals, verb, what string, res snapshot.AutoResult, err error) error {
	switch {
	case errors.Is(err, selfimage.ErrNoProgram):
		fmt.Fprintf(g.stderr, "No snapshot of the %s before removing them: %v\n", what, err)
		return nil
	case err != nil:
		return fmt.Errorf("%s removed nothing: the snapshot of the %s before removing them failed: %w (--no-snapshot removes them without one)", verb, what, err)
	case res.Skipped != "":
		fmt.Fprintf(g.stderr, "No snapshot of %s %s before removing them: %s (over %d GiB)\n", what, strings.Join(res.Volumes, ", "), res.Skipped, snapshot.AutoLimit>>30)
	case res.Name != "":
		fmt.Fprintf(g.stderr, "Snapshot %s of %s %s taken before removing them (devstack snapshot restore --latest brings them back; --no-snapshot skips it)\n", res.Name, what, strings.Join(res.Volumes, ", "))
	}
	return nil
}

// recoverPaused unpauses the containers a snapshot save that was killed
// (kill -9) left paused, and only those (snapshot.Recover), saying so.
func recoverPaused(ctx context.Context, g *globals, api dockerapi.API, project string) error {
	names, err := snapshot.Recover(ctx, api, project, g.printer())
	if len(names) > 0 {
		fmt.Fprintf(g.stderr, "Unpaused %s: an interrupted snapshot save had paused them\n", strings.Join(names, ", "))
	}
	return err
}

// beforeUp, under up's lock: what a killed snapshot save left paused runs
// again; with renew (up -V) the anonymous volumes of the project's
// containers of p's services that hold data, which up -V may replace,
// get a safety snapshot first.
func beforeUp(ctx context.Context, g *globals, api dockerapi.API, p *types.Project, renew bool) error {
	if err := recoverPaused(ctx, g, api, p.Name); err != nil || !renew {
		return err
	}
	cs, err := containers.Observe(ctx, api, p.Name)
	if err != nil {
		return err
	}
	var mine []plan.Container
	for _, c := range cs {
		if _, ok := p.Services[c.Service]; ok {
			mine = append(mine, c)
		}
	}
	return autoSnapshotAnonymous(ctx, g, api, p, mine, "up -V")
}
