package stack

import (
	"cmp"
	"fmt"
	"os"
	"slices"

	"github.com/compose-spec/compose-go/v2/types"
)

// converter carries what one Convert call shares between its steps.
type converter struct {
	p          *types.Project
	ns         string
	readFile   func(string) ([]byte, error)
	apiVersion string
	networks   map[string]Network // by compose key
	secrets    map[string]Secret
	configs    map[string]Config
	volumes    map[string]Volume
	warnings   []Warning
}

// Convert turns a loaded project (as compose.Load returns it: .env,
// env_file, profiles, include and extends resolved) into a Stack. Keys
// that have no meaning on a swarm are returned as warnings, one per
// service and key. Pure but for reading the file: of secrets and configs
// through opts.ReadFile.
func Convert(p *types.Project, opts Options) (*Stack, []Warning, error) {
	c := &converter{p: p, ns: opts.Namespace, readFile: opts.ReadFile, apiVersion: opts.APIVersion,
		secrets: map[string]Secret{}, configs: map[string]Config{}, volumes: map[string]Volume{}}
	if c.ns == "" {
		c.ns = p.Name
	}
	if c.readFile == nil {
		c.readFile = os.ReadFile
	}
	st := &Stack{Namespace: c.ns}
	var err error
	if st.Networks, err = c.convertNetworks(); err != nil {
		return nil, nil, err
	}
	for _, name := range sortedKeys(p.Services) {
		s, err := c.convertService(p.Services[name])
		if err != nil {
			return nil, nil, err
		}
		st.Services = append(st.Services, s)
	}
	c.topLevelWarnings()
	st.Secrets = sortedValues(c.secrets, func(s Secret) string { return s.Name })
	st.Configs = sortedValues(c.configs, func(s Config) string { return s.Name })
	st.Volumes = sortedValues(c.volumes, func(v Volume) string { return v.Name })
	return st, c.warnings, nil
}

// scope is docker stack's NAMESPACE_NAME.
func (c *converter) scope(name string) string {
	return c.ns + "_" + name
}

// objectName is the full name of a network, volume, secret or config:
// compose-go names an unnamed one PROJECT_KEY, which becomes
// NAMESPACE_KEY; an explicit name: or an external one is kept.
func (c *converter) objectName(key, name string, external bool) string {
	if external && name != "" {
		return name
	}
	if name == "" || name == fmt.Sprintf("%s_%s", c.p.Name, key) {
		return c.scope(key)
	}
	return name
}

// stackLabels returns labels plus the namespace label, as a new map.
func (c *converter) stackLabels(labels map[string]string) map[string]string {
	out := make(map[string]string, len(labels)+1)
	for k, v := range labels {
		out[k] = v
	}
	out[LabelNamespace] = c.ns
	return out
}

func sortedValues[V any](m map[string]V, name func(V) string) []V {
	out := make([]V, 0, len(m))
	for _, v := range m {
		out = append(out, v)
	}
	slices.SortFunc(out, func(a, b V) int { return cmp.Compare(name(a), name(b)) })
	return out
}

func sortedKeys[V any](m map[string]V) []string {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	slices.Sort(keys)
	return keys
}
