package router

import (
	"fmt"
	"slices"
	"sort"
	"strconv"
)

// Project is what the route table is made from: a project as devstack
// applies it, with the names of its services' running containers.
type Project struct {
	Name     string
	Services []Service
}

// Service is one service: its container TCP ports in the file's order
// (ports:, then expose:), the names x-devstack.domains adds, and the names
// of its containers (which resolve on the networks it shares with the
// router, and survive a restart, as an IP address may not).
type Service struct {
	Name       string
	Ports      []int
	Domains    []Domain
	Containers []string
	// HTTPSRedirect: its http:// names redirect to https:// (x-devstack:
	// {https_redirect: true}); else both serve.
	HTTPSRedirect bool
}

// Domain is one x-devstack.domains entry: a name under .localhost and the
// port it goes to (0: the service's default).
type Domain struct {
	Name string
	Port int
}

// State is one project's part of the router's table, the file devstack
// writes into the router (one file a project, so projects never race).
type State struct {
	Project string  `json:"project"` // as devstack names it
	Label   string  `json:"label"`   // its DNS label
	Down    bool    `json:"down,omitempty"`
	Routes  []Route `json:"routes"`
	// Networks the router joined for the project (engine names).
	Networks []string `json:"networks,omitempty"`
	// HTTPSPort is the router's https port on the host when not 443 (a
	// redirect to https:// names it).
	HTTPSPort int `json:"https_port,omitempty"`
}

// Route is one name: where it goes, and its certificate.
type Route struct {
	Host     string   `json:"host"`
	Service  string   `json:"service"`
	Port     int      `json:"port"`
	Backends []string `json:"backends"` // host:port, tried round-robin
	// HTTPSRedirect: plain http:// answers 307 to https://.
	HTTPSRedirect bool   `json:"https_redirect,omitempty"`
	Cert          string `json:"cert,omitempty"`
	Key           string `json:"key,omitempty"`
}

// nonHTTP are well-known ports of protocols that are not HTTP (databases,
// queues, mail): they get no URL.
var nonHTTP = map[int]bool{
	21: true, 22: true, 25: true, 53: true, 389: true, 587: true, 1025: true, 1433: true,
	1521: true, 2181: true, 3306: true, 4222: true, 5432: true, 5433: true, 5672: true,
	6379: true, 6380: true, 7687: true, 9042: true, 9092: true, 11211: true, 26257: true, 27017: true,
}

// HTTPPorts are the ports of ports that may speak HTTP, in order, without
// duplicates: the first is the service's default.
func HTTPPorts(ports []int) []int {
	var out []int
	for _, p := range ports {
		if p > 0 && !nonHTTP[p] && !slices.Contains(out, p) {
			out = append(out, p)
		}
	}
	return out
}

// Build makes a project's routes: SERVICE.PROJECT.localhost to the first
// HTTP-looking port, PORT.SERVICE.PROJECT.localhost to each such port, and
// the x-devstack.domains names. taken maps names other projects hold to
// their project: such a name is refused. The notes say what was mapped or
// refused, one line each.
func Build(p Project, taken map[string]string) (State, []string) {
	label, mapped := Label(p.Name)
	st := State{Project: p.Name, Label: label}
	var notes []string
	if mapped {
		notes = append(notes, fmt.Sprintf("project name %q is not a DNS label: its URLs use %q", p.Name, label))
	}
	svcs := slices.Clone(p.Services)
	sort.Slice(svcs, func(i, j int) bool { return svcs[i].Name < svcs[j].Name })
	seen := map[string]string{}
	add := func(host string, s Service, port int) {
		if owner, ok := taken[host]; ok && owner != p.Name {
			notes = append(notes, fmt.Sprintf("%s is served for project %s: not for service %s", host, owner, s.Name))
			return
		}
		if other, ok := seen[host]; ok {
			notes = append(notes, fmt.Sprintf("%s is already service %s's: not for service %s", host, other, s.Name))
			return
		}
		seen[host] = s.Name
		st.Routes = append(st.Routes, Route{Host: host, Service: s.Name, Port: port, Backends: backends(s.Containers, port), HTTPSRedirect: s.HTTPSRedirect})
	}
	for _, s := range svcs {
		ports := HTTPPorts(s.Ports)
		sl, m := Label(s.Name)
		if m && (len(ports) > 0 || len(s.Domains) > 0) {
			notes = append(notes, fmt.Sprintf("service name %q is not a DNS label: its URL uses %q", s.Name, sl))
		}
		base := sl + "." + label + "." + Suffix
		if len(ports) > 0 {
			add(base, s, ports[0])
		}
		for _, port := range ports {
			add(strconv.Itoa(port)+"."+base, s, port)
		}
		for _, d := range s.Domains {
			notes = append(notes, domain(d, s, ports, taken, add)...)
		}
	}
	return st, notes
}

// domain adds one x-devstack.domains name. A name under another project's
// label (api.OTHER.localhost, OTHER being up or down) is refused, as is a
// name another project holds.
func domain(d Domain, s Service, ports []int, taken map[string]string, add func(string, Service, int)) []string {
	host := NormalizeHost(d.Name)
	if !ValidName(host) {
		return []string{fmt.Sprintf("x-devstack.domains of %s: %q is not a name under .%s: refused", s.Name, d.Name, Suffix)}
	}
	if zone := ProjectOf(host); zone != "" {
		if owner, ok := taken[zone+"."+Suffix]; ok {
			return []string{fmt.Sprintf("x-devstack.domains of %s: %s is under project %s's names: refused", s.Name, host, owner)}
		}
	}
	port := d.Port
	if port == 0 && len(ports) > 0 {
		port = ports[0]
	}
	if port == 0 {
		return []string{fmt.Sprintf("x-devstack.domains of %s: %s names no port and the service has no HTTP port: refused", s.Name, host)}
	}
	add(host, s, port)
	return nil
}

// Refresh is st with each route's backends made again from the running
// containers of each service (their names): what start, stop, restart or
// scale changed. The names, ports and certificates stay.
func Refresh(st State, running map[string][]string) State {
	out := st
	out.Routes = make([]Route, len(st.Routes))
	for i, r := range st.Routes {
		r.Backends = backends(running[r.Service], r.Port)
		out.Routes[i] = r
	}
	return out
}

func backends(containers []string, port int) []string {
	out := make([]string, 0, len(containers))
	for _, c := range containers {
		out = append(out, c+":"+strconv.Itoa(port))
	}
	sort.Strings(out)
	return out
}

// Taken maps every name of states to its project, but project's own.
func Taken(states []State, project string) map[string]string {
	out := map[string]string{}
	for _, st := range states {
		if st.Project == project {
			continue
		}
		for _, r := range st.Routes {
			out[r.Host] = st.Project
		}
		// A down project keeps its label: nobody else takes its names.
		out[st.Label+"."+Suffix] = st.Project
	}
	return out
}
