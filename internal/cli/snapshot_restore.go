package cli

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"time"

	"github.com/spf13/cobra"

	"github.com/devstack/devstack/internal/compose"
	"github.com/devstack/devstack/internal/dockerapi"
	"github.com/devstack/devstack/internal/snapshot"
)

func newSnapshotRestoreCmd(g *globals) *cobra.Command {
	var o snapshot.RestoreOptions
	cmd := &cobra.Command{
		Use:   "restore NAME|--latest",
		Short: "Replace the volumes' content with a snapshot's: stops the containers that mount them, restores, starts them again",
		Long: `Replace the content of the snapshot's volumes with the snapshot's, exactly
(files, modes, owners, symlinks, empty directories). The running containers
that mount them are stopped first and started again after, waited for as up
--wait does. Volumes that do not exist (after down -v) are created. Every
checksum is checked before anything changes: a damaged snapshot restores
nothing. External volumes are restored only when named with --volume.`,
		Args: cobra.MaximumNArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			switch {
			case len(args) == 1 && o.Latest:
				return errors.New("give a NAME or --latest, not both")
			case len(args) == 0 && !o.Latest:
				return errors.New("which snapshot? give its NAME (devstack snapshot ls) or --latest")
			case len(args) == 1:
				o.Name = args[0]
				if err := snapshot.CheckName(o.Name); err != nil {
					return err
				}
			}
			ctx := cmd.Context()
			p, err := compose.Load(ctx, g.Options)
			if err != nil {
				return err
			}
			return onSnapshots(ctx, g, p.Name, "snapshot restore", func(ctx context.Context, api dockerapi.API) error {
				start := time.Now()
				res, err := snapshot.Restore(ctx, api, p, o, g.printer())
				if err != nil {
					return err
				}
				if len(res.Skipped) > 0 {
					fmt.Fprintf(g.stderr, "External volumes %s left as they are (--volume KEY restores one)\n", strings.Join(res.Skipped, ", "))
				}
				var keys []string
				for _, v := range res.Volumes {
					keys = append(keys, v.Key)
				}
				fmt.Fprintf(g.stderr, "Snapshot %s restored into %s in %s\n", res.Manifest.Name, strings.Join(keys, ", "), time.Since(start).Round(time.Millisecond))
				return nil
			})
		},
	}
	cmd.Flags().BoolVar(&o.Latest, "latest", false, "the newest snapshot")
	cmd.Flags().StringArrayVar(&o.Keys, "volume", nil, "restore only this volume (its key under volumes:; repeatable; external ones too)")
	cmd.Flags().DurationVar(&o.WaitTimeout, "wait-timeout", 0, "give up waiting for the restarted containers after this long (0: no limit)")
	return cmd
}
