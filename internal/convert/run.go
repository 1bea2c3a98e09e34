package convert

import (
	"fmt"
	"path/filepath"
	"strings"

	"github.com/compose-spec/compose-go/v2/format"
	"github.com/compose-spec/compose-go/v2/types"
)

// RunOptions are what `devstack run` changes of the service and its container.
type RunOptions struct {
	Service     string
	Cmd         []string  // replaces the service's command when set
	Entrypoint  *[]string // replaces the entrypoint when set (and then the command, unless Cmd is set)
	Env         []string  // KEY=VALUE, or KEY to take it from the environment
	Labels      []string  // KEY=VALUE
	Volumes     []string  // compose short syntax SRC:DST[:MODE]
	Publish     []string  // docker run -p syntax
	User        string
	WorkDir     string
	Name        string // container name (default <project>-<service>-run-<id>)
	TTY         bool
	Interactive bool // keep stdin open and attach it
	Detach      bool
	Remove      bool // --rm: the engine removes the container when it exits
	// ServicePorts publishes the service's ports; UseAliases gives the
	// container the service's network aliases.
	ServicePorts, UseAliases bool
}

// RunService is the service as a one-off container runs it, with the
// run's options applied, as compose's run does: no ports unless asked (or
// given with -p), no restart policy, one replica, the one-off labels and
// the name <project>-<service>-run-<first 12 of slug>. Pure.
func RunService(p *types.Project, o RunOptions, slug string) (types.ServiceConfig, error) {
	s, ok := p.Services[o.Service]
	if !ok {
		return s, fmt.Errorf("no such service: %s", o.Service)
	}
	s = copyService(s)
	s.Tty, s.StdinOpen = o.TTY, o.Interactive
	s.ContainerName = o.Name
	if s.ContainerName == "" {
		s.ContainerName = fmt.Sprintf("%s-%s-run-%s", p.Name, s.Name, slug[:min(12, len(slug))])
	}
	if len(o.Cmd) > 0 {
		s.Command = o.Cmd
	}
	if o.Entrypoint != nil {
		s.Entrypoint = *o.Entrypoint
		if len(o.Cmd) == 0 {
			s.Command = types.ShellCommand{}
		}
	}
	if o.User != "" {
		s.User = o.User
	}
	if o.WorkDir != "" {
		s.WorkingDir = o.WorkDir
	}
	if err := runEnvAndLabels(p, &s, o); err != nil {
		return s, err
	}
	if !o.ServicePorts {
		s.Ports = nil
	}
	for _, v := range o.Publish {
		ports, err := types.ParsePortConfig(v)
		if err != nil {
			return s, fmt.Errorf("--publish %s: %w", v, err)
		}
		s.Ports = append(s.Ports, ports...)
	}
	for _, v := range o.Volumes {
		vol, err := format.ParseVolume(v)
		if err != nil {
			return s, fmt.Errorf("--volume %s: %w", v, err)
		}
		if vol.Type == types.VolumeTypeBind && !filepath.IsAbs(vol.Source) {
			vol.Source = filepath.Join(p.WorkingDir, vol.Source)
		}
		s.Volumes = append(s.Volumes, vol)
	}
	one := 1
	s.Scale = &one
	s.Restart = ""
	if s.Deploy != nil {
		d := *s.Deploy
		d.RestartPolicy, d.Replicas = nil, nil
		s.Deploy = &d
	}
	s.CustomLabels = s.CustomLabels.Add(LabelOneoff, "True").Add(LabelSlug, slug)
	return s, nil
}

// runEnvAndLabels puts -e over the service's environment (a bare KEY takes
// the project environment's value, and is left out without one) and -l
// over its labels.
func runEnvAndLabels(p *types.Project, s *types.ServiceConfig, o RunOptions) error {
	if len(o.Env) > 0 {
		env := types.NewMappingWithEquals(o.Env).Resolve(func(k string) (string, bool) {
			v, ok := p.Environment[k]
			return v, ok
		}).RemoveEmpty()
		s.Environment = types.MappingWithEquals{}.OverrideBy(s.Environment).OverrideBy(env)
	}
	if len(o.Labels) > 0 {
		labels := types.Labels{}
		for k, v := range s.Labels {
			labels[k] = v
		}
		for _, l := range o.Labels {
			k, v, ok := strings.Cut(l, "=")
			if !ok || k == "" {
				return fmt.Errorf("--label %q: want KEY=VALUE", l)
			}
			labels[k] = v
		}
		s.Labels = labels
	}
	return nil
}

// copyService copies the maps and slices RunService changes.
func copyService(s types.ServiceConfig) types.ServiceConfig {
	s.Ports = append([]types.ServicePortConfig(nil), s.Ports...)
	s.Volumes = append([]types.ServiceVolumeConfig(nil), s.Volumes...)
	custom := types.Labels{}
	for k, v := range s.CustomLabels {
		custom[k] = v
	}
	s.CustomLabels = custom
	return s
}

// OneoffSpec finishes a one-off container's spec: its labels say one-off
// (compose's fixed labels would say otherwise), stdin is kept open for an
// attached -i run, the engine removes it with --rm, and unless UseAliases
// it is known on its networks by its name only. Pure.
func OneoffSpec(spec *Spec, s types.ServiceConfig, o RunOptions) {
	spec.Config.Labels[LabelOneoff] = "True"
	spec.Config.Labels[LabelSlug] = s.CustomLabels[LabelSlug]
	spec.Config.OpenStdin = o.Interactive
	spec.Config.StdinOnce = o.Interactive && !o.Detach
	spec.Config.AttachStdin = o.Interactive && !o.Detach
	spec.Host.AutoRemove = o.Remove
	if o.UseAliases {
		return
	}
	if spec.Network != nil {
		for _, ep := range spec.Network.EndpointsConfig {
			ep.Aliases = ep.Aliases[:min(1, len(ep.Aliases))]
		}
	}
	for _, ep := range spec.Connects {
		ep.Aliases = ep.Aliases[:min(1, len(ep.Aliases))]
	}
}
