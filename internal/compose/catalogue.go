package compose

import (
	"context"
	"fmt"
	"os"
	"sort"
	"strings"

	"github.com/compose-spec/compose-go/v2/loader"
	"github.com/compose-spec/compose-go/v2/types"

	"github.com/devstack/devstack/internal/presets"
)

// PresetSummary is one line of `devstack presets`.
type PresetSummary struct {
	Name        string
	Image       string
	Ports       []string // host:container
	Description string
}

// Catalogue summarises every preset with its defaults, interpolated with
// the process environment (so MYSQL_VERSION=5.7 shows in the image).
func Catalogue(ctx context.Context) ([]PresetSummary, error) {
	var out []PresetSummary
	for _, name := range presets.Names() {
		p, err := loadPresetAlone(ctx, name)
		if err != nil {
			return nil, err
		}
		s := p.Services[name]
		sum := PresetSummary{Name: name, Image: s.Image}
		for _, pc := range s.Ports {
			sum.Ports = append(sum.Ports, fmt.Sprintf("%s:%d", pc.Published, pc.Target))
		}
		m, err := presets.MetaOf(s.Extensions)
		if err != nil {
			return nil, fmt.Errorf("preset %s: %w", name, err)
		}
		sum.Description = m.Description
		out = append(out, sum)
	}
	return out, nil
}

// loadPresetAlone loads one preset's fragment on its own, as a check and for its defaults.
func loadPresetAlone(ctx context.Context, name string) (*types.Project, error) {
	files, err := presetFiles([]string{name})
	if err != nil {
		return nil, err
	}
	wd, err := os.Getwd()
	if err != nil {
		return nil, err
	}
	env := types.Mapping{}
	for _, kv := range os.Environ() {
		k, v, _ := strings.Cut(kv, "=")
		env[k] = v
	}
	p, err := loader.LoadWithContext(ctx, types.ConfigDetails{
		ConfigFiles: files, WorkingDir: wd, Environment: withDevstackVars(env, "preset", wd),
	}, func(o *loader.Options) { o.SetProjectName("preset", true) })
	if err != nil {
		return nil, fmt.Errorf("preset %s: %w", name, err)
	}
	return p, nil
}

// PresetSource is the raw fragment of a preset and the names of its wiring fragments.
func PresetSource(name string) (string, []string, error) {
	f, ok := presets.Get(name)
	if !ok {
		return "", nil, unknownError(nil, []string{name})
	}
	var with []string
	for other := range f.With {
		with = append(with, other)
	}
	sort.Strings(with)
	return string(f.Compose), with, nil
}
