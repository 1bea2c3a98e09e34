package cli

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"slices"
	"sort"
	"strings"
	"time"

	"github.com/spf13/cobra"

	"github.com/devstack/devstack/internal/dockerapi"
	"github.com/devstack/devstack/internal/logs"
)

func newEventsCmd(g *globals) *cobra.Command {
	var asJSON bool
	cmd := &cobra.Command{
		Use:   "events [SERVICE...]",
		Short: "Stream the engine's events for the stack's containers (until Ctrl-C)",
		RunE: func(cmd *cobra.Command, args []string) error {
			ctx := cmd.Context()
			return g.onProject(ctx, args, "", func(ctx context.Context, api dockerapi.API, name string) error {
				mon := logs.NewMonitor(api, name)
				evs, errs := mon.Subscribe(ctx, func(e logs.ContainerEvent) bool {
					return !e.Oneoff && (len(args) == 0 || slices.Contains(args, e.Service))
				})
				for ev := range evs {
					if err := printEvent(g.stdout, ev, asJSON); err != nil {
						return err
					}
				}
				if err := <-errs; err != nil {
					return err
				}
				return nil // Ctrl-C ends the stream
			})
		},
	}
	cmd.Flags().BoolVar(&asJSON, "json", false, "one JSON object per line")
	return cmd
}

// eventJSON is an event as compose's `events --json` writes it.
type eventJSON struct {
	Time       string            `json:"time"`
	Type       string            `json:"type"`
	Action     string            `json:"action"`
	ID         string            `json:"id"`
	Service    string            `json:"service"`
	Attributes map[string]string `json:"attributes"`
}

func printEvent(w io.Writer, ev logs.ContainerEvent, asJSON bool) error {
	if asJSON {
		b, err := json.Marshal(eventJSON{Time: ev.Time.Format(time.RFC3339Nano), Type: "container", Action: string(ev.Action),
			ID: ev.ID, Service: ev.Service, Attributes: ev.Attributes})
		if err != nil {
			return err
		}
		_, err = fmt.Fprintln(w, string(b))
		return err
	}
	attrs := make([]string, 0, len(ev.Attributes))
	for k, v := range ev.Attributes {
		attrs = append(attrs, k+"="+v)
	}
	sort.Strings(attrs)
	_, err := fmt.Fprintf(w, "%s container %s %s (%s)\n", ev.Time.Format("2006-01-02 15:04:05.000000"), ev.Action, ev.ID, strings.Join(attrs, ", "))
	return err
}
