package engine

import (
	"fmt"
	"sort"
	"strconv"
	"strings"
	"time"

	"github.com/compose-spec/compose-go/v2/types"
	"github.com/docker/docker/api/types/container"
	"github.com/docker/docker/api/types/mount"
	"github.com/docker/docker/api/types/network"
	"github.com/docker/go-connections/nat"
)

// Spec is everything needed to create one container. Networks beyond the
// first are connected after creation: API 1.41 takes one at create time.
type Spec struct {
	Name     string
	Config   *container.Config
	Host     *container.HostConfig
	Network  *network.NetworkingConfig
	Connects map[string]*network.EndpointSettings // network name -> endpoint, connected before start
}

// ContainerSpec converts a service into the engine's container config. Pure.
func ContainerSpec(p *types.Project, s types.ServiceConfig, number int, imageID, hash string) (Spec, error) {
	ports, bindings, err := convertPorts(s)
	if err != nil {
		return Spec{}, err
	}
	name := ContainerName(p.Name, s, number)
	cfg := &container.Config{
		Hostname:     s.Hostname,
		User:         s.User,
		Env:          convertEnv(s.Environment),
		Cmd:          []string(s.Command),
		Entrypoint:   []string(s.Entrypoint),
		Image:        s.Image,
		WorkingDir:   s.WorkingDir,
		Labels:       containerLabels(p, s, number, imageID, hash),
		ExposedPorts: ports,
		Healthcheck:  convertHealth(s.HealthCheck),
		StopSignal:   s.StopSignal,
		Tty:          s.Tty,
		OpenStdin:    s.StdinOpen,
		AttachStdout: true,
		AttachStderr: true,
	}
	if s.StopGracePeriod != nil {
		secs := int(time.Duration(*s.StopGracePeriod).Seconds())
		cfg.StopTimeout = &secs
	}
	host := &container.HostConfig{
		PortBindings:   bindings,
		RestartPolicy:  convertRestart(s.Restart),
		ExtraHosts:     s.ExtraHosts.AsList(":"),
		Init:           s.Init,
		CapAdd:         s.CapAdd,
		CapDrop:        s.CapDrop,
		Privileged:     s.Privileged,
		ReadonlyRootfs: s.ReadOnly,
		DNS:            s.DNS,
		DNSSearch:      s.DNSSearch,
		SecurityOpt:    s.SecurityOpt,
		Sysctls:        s.Sysctls,
		Mounts:         convertMounts(p, s),
		Tmpfs:          convertTmpfs(s.Tmpfs),
		ShmSize:        int64(s.ShmSize),
	}
	host.Memory = int64(s.MemLimit)
	spec := Spec{Name: name, Config: cfg, Host: host, Connects: map[string]*network.EndpointSettings{}}
	attachNetworks(p, s, name, &spec)
	return spec, nil
}

func attachNetworks(p *types.Project, s types.ServiceConfig, name string, spec *Spec) {
	if s.NetworkMode != "" {
		spec.Host.NetworkMode = container.NetworkMode(s.NetworkMode)
		return
	}
	for i, key := range s.NetworksByPriority() {
		aliases := []string{s.Name}
		ep := &network.EndpointSettings{}
		if cfg := s.Networks[key]; cfg != nil {
			aliases = append(aliases, cfg.Aliases...)
			if cfg.Ipv4Address != "" || cfg.Ipv6Address != "" {
				ep.IPAMConfig = &network.EndpointIPAMConfig{IPv4Address: cfg.Ipv4Address, IPv6Address: cfg.Ipv6Address}
			}
		}
		ep.Aliases = aliases
		netName := p.Networks[key].Name
		if netName == "" {
			netName = p.Name + "_" + key
		}
		if i == 0 {
			spec.Host.NetworkMode = container.NetworkMode(netName)
			spec.Network = &network.NetworkingConfig{EndpointsConfig: map[string]*network.EndpointSettings{netName: ep}}
			continue
		}
		spec.Connects[netName] = ep
	}
}

func containerLabels(p *types.Project, s types.ServiceConfig, number int, imageID, hash string) map[string]string {
	l := map[string]string{}
	for k, v := range s.Labels {
		l[k] = v
	}
	for k, v := range s.CustomLabels {
		l[k] = v
	}
	l[LabelProject] = p.Name
	l[LabelService] = s.Name
	l[LabelNumber] = strconv.Itoa(number)
	l[LabelOneoff] = "False"
	l[LabelConfigHash] = hash
	l[LabelWorkingDir] = p.WorkingDir
	l[LabelConfigFiles] = strings.Join(p.ComposeFiles, ",")
	l[LabelVersion] = Version
	l[LabelDependsOn] = dependsOnLabel(s)
	if imageID != "" {
		l[LabelImage] = imageID
	}
	return l
}

// dependsOnLabel writes depends_on as compose does: service:condition:restart, comma-joined.
func dependsOnLabel(s types.ServiceConfig) string {
	var parts []string
	for name, d := range s.DependsOn {
		parts = append(parts, fmt.Sprintf("%s:%s:%t", name, d.Condition, d.Restart))
	}
	sort.Strings(parts)
	return strings.Join(parts, ",")
}

func convertEnv(env types.MappingWithEquals) []string {
	out := make([]string, 0, len(env))
	for k, v := range env {
		if v != nil {
			out = append(out, k+"="+*v)
		}
	}
	sort.Strings(out)
	return out
}

func convertHealth(h *types.HealthCheckConfig) *container.HealthConfig {
	if h == nil {
		return nil
	}
	if h.Disable {
		return &container.HealthConfig{Test: []string{"NONE"}}
	}
	hc := &container.HealthConfig{Test: h.Test}
	if h.Interval != nil {
		hc.Interval = time.Duration(*h.Interval)
	}
	if h.Timeout != nil {
		hc.Timeout = time.Duration(*h.Timeout)
	}
	if h.StartPeriod != nil {
		hc.StartPeriod = time.Duration(*h.StartPeriod)
	}
	if h.Retries != nil {
		hc.Retries = int(*h.Retries)
	}
	return hc
}

func convertRestart(r string) container.RestartPolicy {
	if r == "" {
		return container.RestartPolicy{Name: container.RestartPolicyDisabled}
	}
	name, count, _ := strings.Cut(r, ":")
	rp := container.RestartPolicy{Name: container.RestartPolicyMode(name)}
	if n, err := strconv.Atoi(count); err == nil {
		rp.MaximumRetryCount = n
	}
	return rp
}

func convertPorts(s types.ServiceConfig) (nat.PortSet, nat.PortMap, error) {
	set, bindings := nat.PortSet{}, nat.PortMap{}
	for _, e := range s.Expose {
		p, err := nat.NewPort("tcp", e)
		if err != nil {
			return nil, nil, fmt.Errorf("service %s: expose %q: %w", s.Name, e, err)
		}
		set[p] = struct{}{}
	}
	for _, pc := range s.Ports {
		proto := pc.Protocol
		if proto == "" {
			proto = "tcp"
		}
		p, err := nat.NewPort(proto, strconv.Itoa(int(pc.Target)))
		if err != nil {
			return nil, nil, fmt.Errorf("service %s: port %d: %w", s.Name, pc.Target, err)
		}
		set[p] = struct{}{}
		bindings[p] = append(bindings[p], nat.PortBinding{HostIP: pc.HostIP, HostPort: pc.Published})
	}
	return set, bindings, nil
}

func convertMounts(p *types.Project, s types.ServiceConfig) []mount.Mount {
	var out []mount.Mount
	for _, v := range s.Volumes {
		m := mount.Mount{Type: mount.Type(v.Type), Source: v.Source, Target: v.Target, ReadOnly: v.ReadOnly}
		switch v.Type {
		case types.VolumeTypeVolume:
			if v.Source != "" {
				if vol, ok := p.Volumes[v.Source]; ok && vol.Name != "" {
					m.Source = vol.Name
				} else {
					m.Source = p.Name + "_" + v.Source
				}
			}
			if v.Volume != nil {
				m.VolumeOptions = &mount.VolumeOptions{NoCopy: v.Volume.NoCopy, Subpath: v.Volume.Subpath}
			}
		case types.VolumeTypeBind:
			if v.Bind != nil && v.Bind.Propagation != "" {
				m.BindOptions = &mount.BindOptions{Propagation: mount.Propagation(v.Bind.Propagation)}
			}
		case types.VolumeTypeTmpfs:
			if v.Tmpfs != nil {
				m.TmpfsOptions = &mount.TmpfsOptions{SizeBytes: int64(v.Tmpfs.Size)}
			}
		}
		out = append(out, m)
	}
	return out
}

func convertTmpfs(list types.StringList) map[string]string {
	if len(list) == 0 {
		return nil
	}
	out := map[string]string{}
	for _, t := range list {
		path, opts, _ := strings.Cut(t, ":")
		out[path] = opts
	}
	return out
}
