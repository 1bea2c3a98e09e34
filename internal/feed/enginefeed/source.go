// Package enginefeed is the feed's Source on a Docker engine: the project's
// monitor for events, its log follower for lines, inspect and stats calls.
package enginefeed

import (
	"context"
	"encoding/json"
	"errors"
	"sort"
	"strconv"
	"strings"
	"time"

	"github.com/containerd/errdefs"
	"github.com/docker/docker/api/types"
	"github.com/docker/docker/api/types/container"
	"github.com/docker/docker/api/types/network"

	"github.com/devstack/devstack/internal/containers"
	"github.com/devstack/devstack/internal/convert"
	"github.com/devstack/devstack/internal/dockerapi"
	"github.com/devstack/devstack/internal/feed"
	"github.com/devstack/devstack/internal/logs"
	"github.com/devstack/devstack/internal/plan"
)

// API is the part of the Engine API the source calls.
type API interface {
	dockerapi.ContainerAPI
	Ping(ctx context.Context) (types.Ping, error)
}

// Source reads one project from the engine.
type Source struct {
	api     API
	mon     *logs.Monitor
	project string
	logs    *logs.Follower
}

// New is the project's source; logs start at since, or with the last tail
// lines of each container when since is zero.
func New(api API, mon *logs.Monitor, project string, since time.Time, tail int) *Source {
	t := "all"
	if tail > 0 {
		t = strconv.Itoa(tail)
	}
	return &Source{api: api, mon: mon, project: project,
		logs: logs.NewFollower(api, mon, project, logs.FollowOptions{Follow: true, Since: since, Tail: t})}
}

// ContainerEvents passes on the service containers' events from the monitor.
func (s *Source) ContainerEvents(ctx context.Context) (<-chan feed.ContainerEvent, <-chan error) {
	evs, errs := s.mon.Subscribe(ctx, func(e logs.ContainerEvent) bool { return !e.Oneoff })
	out := make(chan feed.ContainerEvent)
	outErrs := make(chan error, 1)
	go func() {
		defer close(outErrs)
		defer close(out)
		for ev := range evs {
			select {
			case out <- feed.ContainerEvent{Time: ev.Time, ID: ev.ID, Name: ev.Name, Service: ev.Service, Number: ev.Number, Action: string(ev.Action), ExitCode: ev.ExitCode}:
			case <-ctx.Done():
			}
		}
		outErrs <- <-errs
	}()
	return out, outErrs
}

// Containers inspects each of the project's containers.
func (s *Source) Containers(ctx context.Context) ([]feed.ContainerState, error) {
	cs, err := containers.Observe(ctx, s.api, s.project)
	if err != nil {
		return nil, err
	}
	out := make([]feed.ContainerState, 0, len(cs))
	for _, c := range cs {
		st, err := s.Inspect(ctx, c.ID)
		if errors.Is(err, feed.ErrGone) {
			continue
		}
		if err != nil {
			return nil, err
		}
		out = append(out, st)
	}
	return out, nil
}

// Inspect reads one container's state.
func (s *Source) Inspect(ctx context.Context, id string) (feed.ContainerState, error) {
	ins, err := s.api.ContainerInspect(ctx, id)
	if errdefs.IsNotFound(err) {
		return feed.ContainerState{ID: id}, feed.ErrGone
	}
	if err != nil {
		return feed.ContainerState{ID: id}, err
	}
	return stateOf(s.project, ins), nil
}

// Logs follows the project's logs with its one follower.
func (s *Source) Logs(ctx context.Context, send func(feed.LogLine)) error {
	return s.logs.Run(ctx, lineSink(send))
}

type lineSink func(feed.LogLine)

func (f lineSink) Begin([]plan.Container)     {}
func (f lineSink) Exited(logs.ContainerEvent) {} // the feed's own events say it
func (f lineSink) Line(l logs.Line) {
	f(feed.LogLine{ContainerID: l.ContainerID, Service: l.Service, Number: l.Number, Time: l.Time, Text: l.Text})
}

// Ping says whether the engine answers.
func (s *Source) Ping(ctx context.Context) error {
	_, err := s.api.Ping(ctx)
	return err
}

// Stats follows one container's stats stream (one sample a second from
// the engine) until ctx ends or the container stops.
func (s *Source) Stats(ctx context.Context, id string, send func(feed.Stats)) {
	resp, err := s.api.ContainerStats(ctx, id, true)
	if err != nil {
		return
	}
	defer resp.Body.Close()
	dec := json.NewDecoder(resp.Body)
	for ctx.Err() == nil {
		var st container.StatsResponse
		if err := dec.Decode(&st); err != nil {
			return
		}
		if st.Read.IsZero() || st.Read.Before(time.Unix(1, 0)) {
			continue // a stopped container's stream sends empty samples
		}
		send(StatsOf(id, st))
	}
}

// StatsOf computes CPU% and memory the way `docker stats` does (and
// `devstack stats`: engine.StatsFrom).
func StatsOf(id string, s container.StatsResponse) feed.Stats {
	r := containers.StatsFrom(id, "", s)
	return feed.Stats{ContainerID: id, CPUPercent: r.CPUPerc, MemBytes: r.MemUsage, MemLimit: r.MemLimit}
}

// stateOf turns an inspect answer into a feed.ContainerState.
func stateOf(project string, ins container.InspectResponse) feed.ContainerState {
	st := feed.ContainerState{ID: ins.ID, Name: strings.TrimPrefix(ins.Name, "/")}
	if ins.Config != nil {
		st.Service = ins.Config.Labels[convert.LabelService]
		st.Number, _ = strconv.Atoi(ins.Config.Labels[convert.LabelNumber])
		st.TTY = ins.Config.Tty
		st.DependsOn = dependsOn(ins.Config.Labels[convert.LabelDependsOn])
	}
	if s := ins.State; s != nil {
		st.State, st.ExitCode = s.Status, s.ExitCode
		st.StartedAt, _ = time.Parse(time.RFC3339Nano, s.StartedAt)
		st.FinishedAt, _ = time.Parse(time.RFC3339Nano, s.FinishedAt)
		if s.Health != nil {
			st.Health = string(s.Health.Status)
			st.Probes = probes(s.Health.Log)
		}
	}
	if ins.ContainerJSONBase != nil {
		st.RestartCount = ins.RestartCount
	}
	if ns := ins.NetworkSettings; ns != nil {
		st.IPs = networkIPs(project, ns.Networks)
		st.Ports = portBindings(ns)
	}
	return st
}

// dependsOn reads the depends_on label: "db:service_healthy:false,...".
func dependsOn(label string) []feed.Dependency {
	var out []feed.Dependency
	for _, d := range strings.Split(label, ",") {
		name, rest, _ := strings.Cut(d, ":")
		cond, _, _ := strings.Cut(rest, ":")
		if name != "" {
			out = append(out, feed.Dependency{Service: name, Condition: cond})
		}
	}
	return out
}

func probes(log []*container.HealthcheckResult) []feed.Probe {
	out := make([]feed.Probe, 0, len(log))
	for _, r := range log {
		if r != nil {
			out = append(out, feed.Probe{Start: r.Start, ExitCode: r.ExitCode, Output: strings.TrimSpace(r.Output)})
		}
	}
	return out
}

func networkIPs(project string, nets map[string]*network.EndpointSettings) []feed.NetworkIP {
	out := []feed.NetworkIP{}
	for _, n := range containers.NetworkIPs(project, nets) {
		out = append(out, feed.NetworkIP{Network: n.Network, IP: n.IP})
	}
	return out
}

func portBindings(ns *container.NetworkSettings) []feed.PortBinding {
	out := []feed.PortBinding{}
	seen := map[feed.PortBinding]bool{}
	for port, binds := range ns.Ports {
		for _, b := range binds {
			hp, err := strconv.Atoi(b.HostPort)
			if err != nil || hp == 0 {
				continue
			}
			pb := feed.PortBinding{HostIP: b.HostIP, HostPort: hp, ContainerPort: port.Int(), Proto: port.Proto()}
			if !seen[pb] {
				seen[pb] = true
				out = append(out, pb)
			}
		}
	}
	sort.Slice(out, func(i, j int) bool {
		if out[i].ContainerPort != out[j].ContainerPort {
			return out[i].ContainerPort < out[j].ContainerPort
		}
		return out[i].HostIP < out[j].HostIP
	})
	return out
}
