package convert

import (
	"fmt"
	"sort"
	"strconv"
	"strings"

	"github.com/compose-spec/compose-go/v2/types"
	"github.com/devstack/devstack/internal/version"
	"github.com/docker/docker/api/types/container"
	"github.com/docker/docker/api/types/network"
	ocispec "github.com/opencontainers/image-spec/specs-go/v1"
)

// Spec is everything needed to create one container. Networks beyond the
// first are connected after creation: API 1.41 takes one at create time.
type Spec struct {
	Name     string
	Config   *container.Config
	Host     *container.HostConfig
	Network  *network.NetworkingConfig
	Platform *ocispec.Platform
	Connects map[string]*network.EndpointSettings // network name -> endpoint, connected before start
}

// ContainerSpec converts a service into the engine's container config, as
// docker compose does, for the engine and containers t describes. Bad
// values the engine would refuse are refused here, before anything is
// created. Pure.
func ContainerSpec(p *types.Project, s types.ServiceConfig, number int, imageID, hash string, t Target) (Spec, error) {
	ports, bindings, err := convertPorts(s)
	if err != nil {
		return Spec{}, err
	}
	platform, err := convertPlatform(p, s)
	if err != nil {
		return Spec{}, err
	}
	name := ContainerName(p.Name, s, number)
	binds, mounts := convertMounts(p, s, t.APIVersion)
	cfg := &container.Config{
		Hostname:     s.Hostname,
		User:         s.User,
		Env:          convertEnv(withProxies(t.ProxyEnv, s.Environment)),
		Cmd:          []string(s.Command),
		Entrypoint:   []string(s.Entrypoint),
		Image:        s.Image,
		WorkingDir:   s.WorkingDir,
		Labels:       containerLabels(p, s, number, imageID, hash),
		ExposedPorts: ports,
		Healthcheck:  convertHealth(s.HealthCheck, t.APIVersion),
		Tty:          s.Tty,
		OpenStdin:    s.StdinOpen,
		AttachStdout: true,
		AttachStderr: true,
	}
	host := &container.HostConfig{
		PortBindings:   bindings,
		RestartPolicy:  convertRestart(s),
		ExtraHosts:     s.ExtraHosts.AsList(":"),
		CapAdd:         s.CapAdd,
		CapDrop:        s.CapDrop,
		Privileged:     s.Privileged,
		ReadonlyRootfs: s.ReadOnly,
		DNS:            s.DNS,
		DNSSearch:      s.DNSSearch,
		Sysctls:        s.Sysctls,
		Binds:          binds,
		Mounts:         mounts,
		Tmpfs:          convertTmpfs(s.Tmpfs),
		ShmSize:        int64(s.ShmSize),
		Resources:      convertResources(s),
	}
	if err := checkResources(s, host.Resources); err != nil {
		return Spec{}, err
	}
	applyProcess(s, t.APIVersion, cfg, host)
	if err := convertSecurityOpt(p, s, host, t.ReadFile); err != nil {
		return Spec{}, err
	}
	spec := Spec{Name: name, Config: cfg, Host: host, Platform: platform, Connects: map[string]*network.EndpointSettings{}}
	if err := applyWiring(p, s, number, t, &spec); err != nil {
		return Spec{}, err
	}
	if err := checkConflicts(s, spec); err != nil {
		return Spec{}, err
	}
	return spec, nil
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
	l[LabelVersion] = version.Version
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

// withProxies is env over the proxy variables, in a new map. Pure.
func withProxies(proxies, env types.MappingWithEquals) types.MappingWithEquals {
	if len(proxies) == 0 {
		return env
	}
	out := types.MappingWithEquals{}
	for k, v := range proxies {
		out[k] = v
	}
	for k, v := range env {
		out[k] = v
	}
	return out
}

// ContainerName is container_name if set, else <project>-<service>-<n>.
func ContainerName(project string, s types.ServiceConfig, n int) string {
	if s.ContainerName != "" {
		return s.ContainerName
	}
	return fmt.Sprintf("%s-%s-%d", project, s.Name, n)
}
