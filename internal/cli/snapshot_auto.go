package cli

import (
	"context"
	"errors"
	"fmt"
	"os"
	"strings"
	"time"

	"github.com/devstack/devstack/internal/compose"
	"github.com/devstack/devstack/internal/dockerapi"
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
	switch {
	case errors.Is(err, selfimage.ErrNoProgram):
		fmt.Fprintf(g.stderr, "No snapshot of the volumes before removing them: %v\n", err)
		return nil
	case err != nil:
		return fmt.Errorf("down -v removed nothing: the snapshot of the volumes before removing them failed: %w (--no-snapshot removes them without one)", err)
	case res.Skipped != "":
		fmt.Fprintf(g.stderr, "No snapshot of volumes %s before removing them: %s (over %d GiB)\n", strings.Join(res.Volumes, ", "), res.Skipped, snapshot.AutoLimit>>30)
	case res.Name != "":
		fmt.Fprintf(g.stderr, "Snapshot %s of volumes %s taken before removing them (devstack snapshot restore --latest brings them back; --no-snapshot skips it)\n", res.Name, strings.Join(res.Volumes, ", "))
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
