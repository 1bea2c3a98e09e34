package routerctl

import (
	"fmt"
	"sort"
	"strconv"
	"strings"

	"github.com/compose-spec/compose-go/v2/types"

	"github.com/devstack/devstack/internal/plan"
	"github.com/devstack/devstack/internal/presets"
	"github.com/devstack/devstack/internal/router"
)

// RouteProject is what the route table is made from: each service's
// container TCP ports (ports:, then expose:), its x-devstack.domains, and
// its running containers' names (cs: the project's containers).
func RouteProject(p *types.Project, cs []plan.Container) (router.Project, []string) {
	running := Backends(cs)
	rp := router.Project{Name: p.Name}
	var notes []string
	for _, name := range p.ServiceNames() {
		s := p.Services[name]
		if strings.HasPrefix(s.NetworkMode, "host") || strings.HasPrefix(s.NetworkMode, "service:") || strings.HasPrefix(s.NetworkMode, "container:") || s.NetworkMode == "none" {
			continue // not on a network the router can join
		}
		rs := router.Service{Name: name, Ports: containerPorts(s), Containers: running[name]}
		domains, err := presets.DomainsOf(s.Extensions)
		if err != nil {
			notes = append(notes, fmt.Sprintf("service %s: %v", name, err))
		}
		if rs.HTTPSRedirect, err = presets.HTTPSRedirectOf(s.Extensions); err != nil {
			notes = append(notes, fmt.Sprintf("service %s: %v", name, err))
		}
		for _, d := range domains {
			host, port, _ := strings.Cut(d, ":")
			n, _ := strconv.Atoi(port)
			rs.Domains = append(rs.Domains, router.Domain{Name: host, Port: n})
		}
		rp.Services = append(rp.Services, rs)
	}
	return rp, notes
}

// Backends are each service's containers that take requests: the running
// ones (not run's one-off containers), and of those the ones whose health
// check does not say unhealthy or starting when there are any such;
// requests go round-robin over them.
func Backends(cs []plan.Container) map[string][]string {
	all, ready := map[string][]string{}, map[string][]string{}
	for _, c := range cs {
		if !c.Running() || c.Oneoff {
			continue
		}
		all[c.Service] = append(all[c.Service], c.Name)
		if !strings.Contains(c.Status, "(unhealthy)") && !strings.Contains(c.Status, "(health: starting)") {
			ready[c.Service] = append(ready[c.Service], c.Name)
		}
	}
	for svc, names := range ready {
		all[svc] = names
	}
	return all
}

func containerPorts(s types.ServiceConfig) []int {
	var out []int
	for _, p := range s.Ports {
		if p.Protocol == "" || p.Protocol == "tcp" {
			out = append(out, int(p.Target))
		}
	}
	for _, e := range s.Expose {
		port, proto, _ := strings.Cut(e, "/")
		if proto != "" && proto != "tcp" {
			continue
		}
		lo, _, _ := strings.Cut(port, "-") // a range: its first port
		a, err := strconv.Atoi(lo)
		if err != nil {
			continue
		}
		out = append(out, a)
	}
	return out
}

// Networks are the engine names of the networks the routed services are
// on, sorted: the router joins them.
func Networks(p *types.Project, st router.State) []string {
	routed := map[string]bool{}
	for _, r := range st.Routes {
		routed[r.Service] = true
	}
	set := map[string]bool{}
	for name := range routed {
		s, ok := p.Services[name]
		if !ok {
			continue
		}
		keys := make([]string, 0, len(s.Networks))
		for k := range s.Networks {
			keys = append(keys, k)
		}
		if len(keys) == 0 {
			keys = []string{"default"}
		}
		for _, k := range keys {
			if n, ok := p.Networks[k]; ok && n.Name != "" {
				set[n.Name] = true
			}
		}
	}
	out := make([]string, 0, len(set))
	for n := range set {
		out = append(out, n)
	}
	sort.Strings(out)
	return out
}
