package cli

import (
	"context"
	"fmt"
	"strings"
	"text/tabwriter"

	"github.com/spf13/cobra"

	"github.com/devstack/devstack/internal/engine"
)

func newKillCmd(g *globals) *cobra.Command {
	var signal string
	cmd := &cobra.Command{
		Use:   "kill [SERVICE...]",
		Short: "Send a signal (default SIGKILL) to the running containers",
		RunE: func(cmd *cobra.Command, args []string) error {
			ctx := cmd.Context()
			if _, err := engine.ParseSignal(signal); err != nil {
				return err
			}
			return g.onProject(ctx, args, "kill", func(ctx context.Context, api engine.API, name string) error {
				return engine.KillServices(ctx, api, name, args, signal, g.printer())
			})
		},
	}
	cmd.Flags().StringVarP(&signal, "signal", "s", "SIGKILL", "signal to send: a name (SIGHUP, HUP) or a number")
	return cmd
}

func newRmCmd(g *globals) *cobra.Command {
	var o engine.RmOptions
	var force bool
	cmd := &cobra.Command{
		Use:   "rm [SERVICE...]",
		Short: "Remove stopped containers (-s: stop them first); named volumes are never removed",
		RunE: func(cmd *cobra.Command, args []string) error {
			ctx := cmd.Context()
			return g.onProject(ctx, args, "rm", func(ctx context.Context, api engine.API, name string) error {
				o.Services = args
				return engine.Rm(ctx, api, name, o, g.printer())
			})
		},
	}
	fl := cmd.Flags()
	fl.BoolVarP(&force, "force", "f", false, "don't ask to confirm (devstack never asks)")
	fl.BoolVarP(&o.Stop, "stop", "s", false, "stop the containers first if they run")
	fl.BoolVarP(&o.Volumes, "volumes", "v", false, "also remove the containers' anonymous volumes (named volumes stay: down -v)")
	return cmd
}

func newPauseCmd(g *globals, pause bool) *cobra.Command {
	use, short, fn := "pause", "Pause the running containers", engine.Pause
	if !pause {
		use, short, fn = "unpause", "Resume paused containers", engine.Unpause
	}
	return &cobra.Command{
		Use:   use + " [SERVICE...]",
		Short: short,
		RunE: func(cmd *cobra.Command, args []string) error {
			ctx := cmd.Context()
			return g.onProject(ctx, args, use, func(ctx context.Context, api engine.API, name string) error {
				return fn(ctx, api, name, args, g.printer())
			})
		},
	}
}

func newPortCmd(g *globals) *cobra.Command {
	var protocol string
	var index int
	cmd := &cobra.Command{
		Use:   "port SERVICE PRIVATE_PORT",
		Short: "Print the host address a service's container port is published on",
		Args:  cobra.ExactArgs(2),
		RunE: func(cmd *cobra.Command, args []string) error {
			ctx := cmd.Context()
			port, proto, err := engine.ParsePort(args[1], protocol)
			if err != nil {
				return err
			}
			return g.onProject(ctx, args[:1], "", func(ctx context.Context, api engine.API, name string) error {
				addr, err := engine.Port(ctx, api, name, args[0], index, port, proto)
				if err != nil {
					return err
				}
				fmt.Fprintln(g.stdout, addr)
				return nil
			})
		},
	}
	cmd.Flags().StringVar(&protocol, "protocol", "tcp", "tcp, udp or sctp")
	cmd.Flags().IntVar(&index, "index", 1, "the replica, when the service has several")
	return cmd
}

func newTopCmd(g *globals) *cobra.Command {
	return &cobra.Command{
		Use:   "top [SERVICE...]",
		Short: "Show the processes running in the containers",
		RunE: func(cmd *cobra.Command, args []string) error {
			ctx := cmd.Context()
			return g.onProject(ctx, args, "", func(ctx context.Context, api engine.API, name string) error {
				tops, err := engine.Top(ctx, api, name, args)
				if err != nil {
					return err
				}
				for i, t := range tops {
					if i > 0 {
						fmt.Fprintln(g.stdout)
					}
					fmt.Fprintln(g.stdout, t.Name)
					tw := tabwriter.NewWriter(g.stdout, 0, 0, 3, ' ', 0)
					fmt.Fprintln(tw, strings.Join(t.Titles, "\t"))
					for _, p := range t.Processes {
						fmt.Fprintln(tw, strings.Join(p, "\t"))
					}
					if err := tw.Flush(); err != nil {
						return err
					}
				}
				return nil
			})
		},
	}
}
