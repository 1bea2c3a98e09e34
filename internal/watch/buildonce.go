package watch

import (
	"path/filepath"
	"strings"

	"github.com/compose-spec/compose-go/v2/types"
)

// Step is what one batch does at a time: one service's reload, or the
// rebuilds of services that share an image and its build (built once,
// then each service recreated, compose #11079).
type Step struct {
	Reloads []Reload
}

// Shared reports whether the step builds one image for several services.
func (s Step) Shared() bool { return len(s.Reloads) > 1 }

// PlanSteps orders a batch's reloads (as PlanBatch sorts them) into steps:
// the rebuilds whose services have the same non-empty build key form one
// step, at the place of the first of them; every other reload is a step
// of its own. keys maps a service to its build key (BuildKey). Pure.
func PlanSteps(reloads []Reload, keys map[string]string) []Step {
	var out []Step
	at := map[string]int{} // build key -> its step
	for _, rl := range reloads {
		key := keys[rl.Service]
		if !rl.Rebuild || key == "" {
			out = append(out, Step{Reloads: []Reload{rl}})
			continue
		}
		if i, ok := at[key]; ok {
			out[i].Reloads = append(out[i].Reloads, rl)
			continue
		}
		at[key] = len(out)
		out = append(out, Step{Reloads: []Reload{rl}})
	}
	return out
}

// BuildKey is what makes two services' builds one: the image they name
// and the build's context, Dockerfile and target. A service without a build
// or an image name has none ("").
func BuildKey(s types.ServiceConfig) string {
	if s.Build == nil || s.Image == "" {
		return ""
	}
	dockerfile := s.Build.Dockerfile
	if dockerfile == "" {
		dockerfile = "Dockerfile"
	}
	if s.Build.DockerfileInline != "" {
		dockerfile = "inline:" + s.Build.DockerfileInline
	}
	return strings.Join([]string{s.Image, filepath.Clean(s.Build.Context), dockerfile, s.Build.Target}, "\x00")
}

// buildKeys are the build keys of the project's services that name their
// image (images devstack names itself are one per service).
func buildKeys(p *types.Project) map[string]string {
	out := map[string]string{}
	for name, s := range p.Services {
		if k := BuildKey(s); k != "" {
			out[name] = k
		}
	}
	return out
}
