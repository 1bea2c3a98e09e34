package compose

import (
	"context"

	"github.com/compose-spec/compose-go/v2/loader"
	"github.com/compose-spec/compose-go/v2/types"
)

// loadProject is loader.LoadWithContext in its two steps (the merged
// model, then the project), with devstack's defaults for develop.watch
// rules put into the model between them.
func loadProject(ctx context.Context, src source) (*types.Project, error) {
	dict, err := loader.LoadModelWithContext(ctx, src.details, src.opts)
	if err != nil {
		return nil, err
	}
	watchDefaults(dict)
	// Loading the model settled the project's name; it left it in the
	// environment, as compose-go's own two steps do.
	name := src.details.Environment["COMPOSE_PROJECT_NAME"]
	details := src.details
	opts := loader.ToOptions(&details, []func(*loader.Options){src.opts, func(lo *loader.Options) {
		if name != "" {
			lo.SetProjectName(name, true)
		}
	}})
	return loader.ModelToProject(dict, opts, details)
}

// watchDefaults gives every develop.watch rule that does not set
// initial_sync devstack's default, true: watch catches the container up
// with the host's files when it starts. compose's default is false, and
// compose-go's types cannot tell a rule that says false from one that says
// nothing, so the default goes into the model.
func watchDefaults(dict map[string]any) {
	services, _ := dict["services"].(map[string]any)
	for _, s := range services {
		svc, _ := s.(map[string]any)
		develop, _ := svc["develop"].(map[string]any)
		rules, _ := develop["watch"].([]any)
		for _, r := range rules {
			if rule, ok := r.(map[string]any); ok {
				if _, set := rule["initial_sync"]; !set {
					rule["initial_sync"] = true
				}
			}
		}
	}
}
