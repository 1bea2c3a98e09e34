package cli

import (
	"context"
	"errors"
	"strings"

	"github.com/spf13/cobra"

	"github.com/devstack/devstack/internal/containers"
	"github.com/devstack/devstack/internal/dockerapi"
)

func newCpCmd(g *globals) *cobra.Command {
	var o containers.CopyOptions
	cmd := &cobra.Command{
		Use:   "cp [flags] SERVICE:SRC_PATH DEST_PATH|-\n  devstack cp [flags] SRC_PATH|- SERVICE:DEST_PATH",
		Short: "Copy files between a service container and the host",
		Args:  cobra.ExactArgs(2),
		RunE: func(cmd *cobra.Command, args []string) error {
			ctx := cmd.Context()
			fromSvc, fromPath := splitCpArg(args[0])
			toSvc, toPath := splitCpArg(args[1])
			switch {
			case fromSvc != "" && toSvc != "":
				return errors.New("cp copies between a service container and the host, not between two services")
			case fromSvc == "" && toSvc == "":
				return errors.New("cp needs one SERVICE:PATH argument (the container side)")
			}
			o.Service = fromSvc + toSvc
			return g.onProject(ctx, []string{o.Service}, "", func(ctx context.Context, api dockerapi.API, name string) error {
				if fromSvc != "" {
					return containers.CopyFrom(ctx, api, name, o, fromPath, toPath, g.stdout)
				}
				return containers.CopyTo(ctx, api, name, o, fromPath, toPath, g.stdin)
			})
		},
	}
	cmd.Flags().IntVar(&o.Index, "index", 1, "replica number when the service has several")
	cmd.Flags().BoolVarP(&o.Archive, "archive", "a", false, "keep uid/gid of the copied files")
	cmd.Flags().BoolVarP(&o.FollowLink, "follow-link", "L", false, "follow a symbolic link in SRC_PATH")
	return cmd
}

// splitCpArg splits SERVICE:PATH; a path starting with / or . (or -) is
// the host's, as docker cp reads it.
func splitCpArg(arg string) (service, path string) {
	if strings.HasPrefix(arg, "/") || strings.HasPrefix(arg, ".") || arg == "-" {
		return "", arg
	}
	svc, p, ok := strings.Cut(arg, ":")
	if !ok || strings.Contains(svc, "/") {
		return "", arg
	}
	return svc, p
}
