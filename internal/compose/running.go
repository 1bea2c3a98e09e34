package compose

import (
	"context"
	"errors"
	"slices"

	"github.com/compose-spec/compose-go/v2/types"

	"github.com/devstack/devstack/internal/presets"
)

// LoadRunning loads the project as it runs: the compose file's services
// plus the presets that were brought up by name, or those presets alone
// when there is no compose file. running names the project and the
// services that have a container in it; it is asked once the compose file
// was read.
func LoadRunning(ctx context.Context, o Options, running func(ctx context.Context) (project string, services []string, err error)) (*types.Project, error) {
	full, err := Load(ctx, o)
	if err != nil && !errors.Is(err, ErrNoConfig) {
		return nil, err
	}
	name, services, err := running(ctx)
	if err != nil {
		return nil, err
	}
	o.ProjectName = name
	for _, s := range services {
		inFile := full != nil && full.Services[s].Name != ""
		if !inFile && slices.Contains(presets.Names(), s) && !slices.Contains(o.Presets, s) {
			o.Presets = append(o.Presets, s)
		}
	}
	if len(o.Presets) > 0 || full == nil {
		return Load(ctx, o)
	}
	return full, nil
}
