package compose

import (
	"context"
	"fmt"
	"strings"

	"github.com/compose-spec/compose-go/v2/loader"
	"github.com/compose-spec/compose-go/v2/types"
)

// explainRefs runs when loading failed: compose-go turns links,
// volumes_from and network_mode/ipc/pid service:NAME into depends_on
// entries, so a reference to an unknown service fails as "depends on
// undefined service", naming neither the key nor the reference. Loaded
// again without the consistency check, the project shows which key it
// was; that error replaces the original. Nil when it finds none.
//
// Without validation compose-go's decoders may panic on values of the
// wrong type (a bool where healthcheck.test wants strings); the original
// error (the schema's) then stands.
func explainRefs(ctx context.Context, details types.ConfigDetails, opts ...func(*loader.Options)) (err error) {
	defer func() {
		if recover() != nil {
			err = nil
		}
	}()
	p, err := loader.LoadWithContext(ctx, details, append(opts, func(o *loader.Options) {
		o.SkipConsistencyCheck = true
		o.SkipValidation = true
	})...)
	if err != nil {
		return nil
	}
	return DanglingRef(p)
}

// DanglingRef names the first service (in name order) whose links,
// volumes_from or network_mode/ipc/pid names a service the project does
// not have. Pure.
func DanglingRef(p *types.Project) error {
	known := func(name string) bool {
		if _, ok := p.Services[name]; ok {
			return true
		}
		_, ok := p.DisabledServices[name]
		return ok
	}
	for _, name := range p.ServiceNames() {
		s := p.Services[name]
		for _, r := range serviceRefs(s) {
			if !known(r.service) {
				return fmt.Errorf("%w: service %s: %s %q: no service %s in the project", ErrUnknownService, name, r.key, r.value, r.service)
			}
		}
	}
	return nil
}

type ref struct{ key, value, service string }

func serviceRefs(s types.ServiceConfig) []ref {
	var out []ref
	for _, m := range [][2]string{{"network_mode", s.NetworkMode}, {"ipc", s.Ipc}, {"pid", s.Pid}} {
		if name, ok := strings.CutPrefix(m[1], types.ServicePrefix); ok {
			out = append(out, ref{m[0], m[1], name})
		}
	}
	for _, v := range s.VolumesFrom {
		if !strings.HasPrefix(v, types.ContainerPrefix) {
			name, _, _ := strings.Cut(v, ":")
			out = append(out, ref{"volumes_from", v, name})
		}
	}
	for _, l := range s.Links {
		name, _, _ := strings.Cut(l, ":")
		out = append(out, ref{"links", l, name})
	}
	return out
}
