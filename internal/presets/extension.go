package presets

import (
	"fmt"

	"github.com/compose-spec/compose-go/v2/types"
)

// The service extensions a preset's fragment carries. Only this file spells
// them; the other packages read them through the accessors below.
const (
	// Extension carries what `devstack presets` and `devstack info` show;
	// a service that has it comes from the catalogue.
	Extension = "x-devstack"
	// WatchExtension lists a preset's default develop.watch triggers.
	WatchExtension = "x-devstack-watch"
)

// Meta is a preset service's x-devstack extension.
type Meta struct {
	Description string            `mapstructure:"description"`
	Info        []string          `mapstructure:"info"` // Go templates: {{port 3306}}, {{env "KEY"}}, {{project}}, {{service}}
	Env         map[string]string `mapstructure:"env"`  // app setting -> Go template
}

// WatchDefault is one entry of x-devstack-watch: a trigger that applies to
// the preset's service, when it sets no develop section, once Path (relative
// to the project directory) exists; Hint says how to enable it otherwise.
type WatchDefault struct {
	Path   string   `mapstructure:"path"`
	Action string   `mapstructure:"action"`
	Target string   `mapstructure:"target"`
	Exec   []string `mapstructure:"exec"`
	Hint   string   `mapstructure:"hint"`
}

// IsPreset is true for a service that comes from the catalogue (it carries
// the x-devstack extension).
// Keys for the router alone (x-devstack: {domains: [...]}) do not count.
func IsPreset(ext types.Extensions) bool {
	v, ok := ext[Extension]
	if !ok {
		return false
	}
	if m, isMap := v.(map[string]any); isMap && len(m) > 0 {
		for k := range m {
			if !routerKeys[k] {
				return true
			}
		}
		return false
	}
	return true
}

// MetaOf decodes a service's x-devstack extension; a service without one
// has the zero Meta. The error names the key.
func MetaOf(ext types.Extensions) (Meta, error) {
	var m Meta
	if !IsPreset(ext) {
		return m, nil
	}
	if _, err := ext.Get(Extension, &m); err != nil {
		return Meta{}, fmt.Errorf("%s: %w", Extension, err)
	}
	return m, nil
}

// WatchDefaults decodes a service's x-devstack-watch extension (none when
// absent). The error names the key.
func WatchDefaults(ext types.Extensions) ([]WatchDefault, error) {
	var out []WatchDefault
	if _, ok := ext[WatchExtension]; !ok {
		return nil, nil
	}
	if _, err := ext.Get(WatchExtension, &out); err != nil {
		return nil, fmt.Errorf("%s: %w", WatchExtension, err)
	}
	return out, nil
}

// routerKeys are the x-devstack keys any service may carry for the router;
// they alone do not make a service a preset's.
var routerKeys = map[string]bool{"domains": true, "ca": true, "https_redirect": true}

// DomainsOf is a service's x-devstack.domains: names under .localhost the
// router adds for it, each NAME or NAME:PORT.
func DomainsOf(ext types.Extensions) ([]string, error) {
	var v struct {
		Domains []string `mapstructure:"domains"`
	}
	if _, ok := ext[Extension]; !ok {
		return nil, nil
	}
	if _, err := ext.Get(Extension, &v); err != nil {
		return nil, fmt.Errorf("%s.domains: %w", Extension, err)
	}
	return v.Domains, nil
}

// CAOf is a service's x-devstack.ca: whether the router's CA is offered to
// its containers (true unless set to false).
func CAOf(ext types.Extensions) (bool, error) {
	v := struct {
		CA *bool `mapstructure:"ca"`
	}{}
	if _, ok := ext[Extension]; !ok {
		return true, nil
	}
	if _, err := ext.Get(Extension, &v); err != nil {
		return false, fmt.Errorf("%s.ca: %w", Extension, err)
	}
	return v.CA == nil || *v.CA, nil
}

// HTTPSRedirectOf is a service's x-devstack.https_redirect: its plain
// http:// names answer a redirect to https:// (307) instead of serving.
func HTTPSRedirectOf(ext types.Extensions) (bool, error) {
	var v struct {
		Redirect bool `mapstructure:"https_redirect"`
	}
	if _, ok := ext[Extension]; !ok {
		return false, nil
	}
	if _, err := ext.Get(Extension, &v); err != nil {
		return false, fmt.Errorf("%s.https_redirect: %w", Extension, err)
	}
	return v.Redirect, nil
}

// ProjectRouterOf is the compose file's top-level x-devstack.router: up
// gives the project its router names (https://SERVICE.PROJECT.localhost)
// unless it is false; a value that is no boolean is an error (and off).
func ProjectRouterOf(ext types.Extensions) (bool, error) {
	var v struct {
		Router *bool `mapstructure:"router"`
	}
	if _, ok := ext[Extension]; !ok {
		return true, nil
	}
	if _, err := ext.Get(Extension, &v); err != nil {
		return false, fmt.Errorf("%s.router: %w", Extension, err)
	}
	return v.Router == nil || *v.Router, nil
}
