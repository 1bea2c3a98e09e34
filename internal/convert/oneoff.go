package convert

import "github.com/compose-spec/compose-go/v2/types"

// Oneoff is what a one-off container of `run` asks beyond its service.
type Oneoff struct {
	Interactive bool // keep stdin open and attach it
	Detach      bool
	Remove      bool // --rm: the engine removes the container when it exits
	UseAliases  bool // the container gets the service's network aliases
}

// OneoffSpec finishes a one-off container's spec: its labels say one-off
// (compose's fixed labels would say otherwise), stdin is kept open for an
// attached -i run, the engine removes it with --rm, and unless UseAliases
// it is known on its networks by its name only. Pure.
func OneoffSpec(spec *Spec, s types.ServiceConfig, o Oneoff) {
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
