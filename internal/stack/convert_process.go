package stack

import (
	"slices"
	"time"

	"github.com/compose-spec/compose-go/v2/types"
	"github.com/docker/docker/api/types/container"
	"github.com/docker/docker/api/types/swarm"

	"github.com/devstack/devstack/internal/convert"
)

// containerSpec maps the keys about the process: what runs, as whom, with
// which environment, limits and name resolution. Slices that come from
// maps are sorted, so the spec (and its hash) does not depend on map order.
func (c *converter) containerSpec(s types.ServiceConfig, image string) (*swarm.ContainerSpec, error) {
	cs := &swarm.ContainerSpec{
		Image:           image,
		Labels:          c.stackLabels(s.Labels),
		Command:         s.Entrypoint,
		Args:            s.Command,
		Hostname:        s.Hostname,
		Env:             environment(s.Environment),
		Dir:             s.WorkingDir,
		User:            s.User,
		Groups:          s.GroupAdd,
		Init:            s.Init,
		StopSignal:      s.StopSignal,
		StopGracePeriod: duration(s.StopGracePeriod),
		TTY:             s.Tty,
		OpenStdin:       s.StdinOpen,
		ReadOnly:        s.ReadOnly,
		Healthcheck:     convert.Health(s.HealthCheck),
		Hosts:           hosts(s.ExtraHosts),
		DNSConfig:       dnsConfig(s),
		Isolation:       container.Isolation(s.Isolation),
		Sysctls:         s.Sysctls,
		CapabilityAdd:   s.CapAdd,
		CapabilityDrop:  s.CapDrop,
		Ulimits:         ulimits(s.Ulimits),
		OomScoreAdj:     s.OomScoreAdj,
	}
	var err error
	if cs.Mounts, err = c.mounts(s); err != nil {
		return nil, err
	}
	if cs.Secrets, err = c.secretRefs(s); err != nil {
		return nil, err
	}
	if cs.Configs, err = c.configRefs(s); err != nil {
		return nil, err
	}
	cs.Privileges = c.privileges(s)
	return cs, nil
}

// privileges carries credential_spec's file and registry (Windows); its
// config form names a config by ID, which this conversion does not know.
func (c *converter) privileges(s types.ServiceConfig) *swarm.Privileges {
	cred := s.CredentialSpec
	if cred == nil {
		return nil
	}
	if cred.Config != "" {
		c.warn(s.Name, "credential_spec.config", "is not supported by devstack deploy; ignored")
	}
	if cred.File == "" && cred.Registry == "" {
		return nil
	}
	return &swarm.Privileges{CredentialSpec: &swarm.CredentialSpec{File: cred.File, Registry: cred.Registry}}
}

// logDriver is logging: (driver and options), as the task's log driver.
func logDriver(s types.ServiceConfig) *swarm.Driver {
	if s.Logging == nil || (s.Logging.Driver == "" && len(s.Logging.Options) == 0) {
		return nil
	}
	return &swarm.Driver{Name: s.Logging.Driver, Options: s.Logging.Options}
}

// environment is KEY=VALUE sorted; a variable left without a value (KEY
// alone, unset when loading) stays KEY, as docker stack sends it.
func environment(env types.MappingWithEquals) []string {
	var out []string
	for k, v := range env {
		if v == nil {
			out = append(out, k)
			continue
		}
		out = append(out, k+"="+*v)
	}
	slices.Sort(out)
	return out
}

func duration(d *types.Duration) *time.Duration {
	if d == nil {
		return nil
	}
	v := time.Duration(*d)
	return &v
}

// hosts are extra_hosts in /etc/hosts form ("IP NAME"), which swarm takes.
func hosts(h types.HostsList) []string {
	var out []string
	for name, ips := range h {
		for _, ip := range ips {
			out = append(out, ip+" "+name)
		}
	}
	slices.Sort(out)
	return out
}

func dnsConfig(s types.ServiceConfig) *swarm.DNSConfig {
	if len(s.DNS) == 0 && len(s.DNSSearch) == 0 && len(s.DNSOpts) == 0 {
		return nil
	}
	return &swarm.DNSConfig{Nameservers: s.DNS, Search: s.DNSSearch, Options: s.DNSOpts}
}

// ulimits sorted by name; a single value is both soft and hard.
func ulimits(u map[string]*types.UlimitsConfig) []*container.Ulimit {
	var out []*container.Ulimit
	for _, name := range sortedKeys(u) {
		l := u[name]
		if l == nil {
			continue
		}
		soft, hard := l.Soft, l.Hard
		if l.Single != 0 {
			soft, hard = l.Single, l.Single
		}
		out = append(out, &container.Ulimit{Name: name, Soft: int64(soft), Hard: int64(hard)})
	}
	return out
}
