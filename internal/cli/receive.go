package cli

import (
	"os"

	"github.com/spf13/cobra"

	"github.com/devstack/devstack/internal/watch/receiver"
)

// newReceiveCmd is the receiver that devstack watch installs in a
// container and runs there when it cannot write into the container's root
// itself: it applies the batches it reads on stdin and answers on stdout
// (see receiver.Serve). Not for people: hidden.
func newReceiveCmd(g *globals) *cobra.Command {
	root := "/"
	cmd := &cobra.Command{
		Use:    "receive",
		Short:  "Apply devstack watch's file batches from stdin (runs inside containers)",
		Args:   cobra.NoArgs,
		Hidden: true,
		RunE: func(cmd *cobra.Command, _ []string) error {
			if exe, err := os.Executable(); err == nil {
				receiver.Prune(exe)
			}
			done := make(chan error, 1)
			go func() { done <- receiver.Serve(g.stdin, g.stdout, root) }()
			select { // a signal ends it even while it waits for input
			case err := <-done:
				return err
			case <-cmd.Context().Done():
				return cmd.Context().Err()
			}
		},
	}
	cmd.Flags().StringVar(&root, "root", root, "directory the batches' paths are below")
	return cmd
}
