package compose

import (
	"context"

	"github.com/compose-spec/compose-go/v2/loader"
)

// LoadModel reads and merges the compose files without interpolating
// variables, as `docker compose config --no-interpolate` does: the result
// is the merged model as a map, ${VAR} references left as written.
func LoadModel(ctx context.Context, o Options) (map[string]any, error) {
	src, err := prepare(ctx, o)
	if err != nil {
		return nil, err
	}
	m, err := loader.LoadModelWithContext(ctx, src.details, src.opts, func(lo *loader.Options) {
		lo.SkipInterpolation = true
	})
	if err != nil {
		return nil, wrapLoadError(withFiles(err, src.paths))
	}
	return m, nil
}
