package doctor

import (
	"context"
	"fmt"

	"github.com/compose-spec/compose-go/v2/types"

	"github.com/devstack/devstack/internal/apply"
	"github.com/devstack/devstack/internal/convert"
	"github.com/devstack/devstack/internal/dockerapi"
	"github.com/devstack/devstack/internal/plan"
)

// PortProbe tells whether a host port is free, and what holds it if not
// (apply.ProbePort and apply.PortHolder; tests pass their own).
type PortProbe struct {
	Free   func(convert.HostPort) error
	Holder func(context.Context, dockerapi.ContainerAPI, convert.HostPort) string
}

// HostPorts is the probe of this machine.
var HostPorts = PortProbe{Free: apply.ProbePort, Holder: apply.PortHolder}

// Ports checks each host port the services publish: free, or held by the
// project's own containers; else it names what holds it.
func Ports(ctx context.Context, api dockerapi.ContainerAPI, p *types.Project, own []plan.Container, probe PortProbe) []Result {
	want, err := convert.PublishedPorts(p)
	if err != nil {
		return []Result{{Check: "port", Status: Fail, Detail: err.Error(), Remedy: "fix the ports of the compose file"}}
	}
	if len(want) == 0 {
		return []Result{ok("port", "no host ports published")}
	}
	mine := map[string]string{}
	for _, c := range own {
		for _, pt := range c.Summary.Ports {
			if pt.PublicPort != 0 {
				mine[convert.PortKey(int(pt.PublicPort), pt.Type)] = c.Name
			}
		}
	}
	var out []Result
	for _, hp := range want {
		what := fmt.Sprintf("%d/%s (%s)", hp.Port, hp.Protocol, hp.Service)
		if name, ok := mine[convert.PortKey(hp.Port, hp.Protocol)]; ok {
			out = append(out, Result{Check: "port", Status: OK, Detail: what + " is held by this project's " + name})
			continue
		}
		if probe.Free(hp) == nil {
			out = append(out, Result{Check: "port", Status: OK, Detail: what + " is free"})
			continue
		}
		out = append(out, Result{Check: "port", Status: Fail, Detail: what + " is " + probe.Holder(ctx, api, hp),
			Remedy: fmt.Sprintf("stop it, or publish %s on another host port", hp.Service)})
	}
	return out
}
