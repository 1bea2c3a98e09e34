package stack

import (
	"fmt"
	"os"

	"github.com/compose-spec/compose-go/v2/types"
	"github.com/docker/docker/api/types/swarm"
)

// secretRefs converts the service's secrets:, converting each top-level
// secret the first time a service uses it. SecretID is left for the apply
// side (see Service).
func (c *converter) secretRefs(s types.ServiceConfig) ([]*swarm.SecretReference, error) {
	var out []*swarm.SecretReference
	for _, ref := range s.Secrets {
		sec, ok := c.secrets[ref.Source]
		if !ok {
			def, defined := c.p.Secrets[ref.Source]
			o, err := c.refObject("secret", s.Name, ref.Source, types.FileObjectConfig(def), defined)
			if err != nil {
				return nil, err
			}
			sec = Secret{Name: o.name, Key: ref.Source, External: o.external,
				Spec: swarm.SecretSpec{Annotations: o.ann, Data: o.data, Driver: o.driver, Templating: o.template}}
			c.secrets[ref.Source] = sec
		}
		name, uid, gid, mode := fileTarget(types.FileReferenceConfig(ref), "/run/secrets/")
		out = append(out, &swarm.SecretReference{
			SecretName: sec.Name,
			File:       &swarm.SecretReferenceFileTarget{Name: name, UID: uid, GID: gid, Mode: os.FileMode(mode)},
		})
	}
	return out, nil
}

// configRefs does the same for configs:; a config's target defaults to
// /SOURCE.
func (c *converter) configRefs(s types.ServiceConfig) ([]*swarm.ConfigReference, error) {
	var out []*swarm.ConfigReference
	for _, ref := range s.Configs {
		cfg, ok := c.configs[ref.Source]
		if !ok {
			def, defined := c.p.Configs[ref.Source]
			o, err := c.refObject("config", s.Name, ref.Source, types.FileObjectConfig(def), defined)
			if err != nil {
				return nil, err
			}
			cfg = Config{Name: o.name, Key: ref.Source, External: o.external,
				Spec: swarm.ConfigSpec{Annotations: o.ann, Data: o.data, Templating: o.template}}
			if o.driver != nil {
				c.warn("", "configs."+ref.Source+".driver", "configs take no driver on swarm; ignored")
			}
			c.configs[ref.Source] = cfg
		}
		name, uid, gid, mode := fileTarget(types.FileReferenceConfig(ref), "/")
		out = append(out, &swarm.ConfigReference{
			ConfigName: cfg.Name,
			File:       &swarm.ConfigReferenceFileTarget{Name: name, UID: uid, GID: gid, Mode: os.FileMode(mode)},
		})
	}
	return out, nil
}

// refObject converts the top-level secret or config (kind) KEY that
// service refers to the first time one does; defined says whether the
// project defines it.
func (c *converter) refObject(kind, service, key string, def types.FileObjectConfig, defined bool) (object, error) {
	if !defined {
		return object{}, fmt.Errorf("%w: service %s: %s %s is not defined under %ss:", ErrInvalid, service, kind, key, kind)
	}
	o, err := c.convertObject(kind, key, def)
	if err != nil {
		return object{}, fmt.Errorf("service %s: %w", service, err)
	}
	return o, nil
}
