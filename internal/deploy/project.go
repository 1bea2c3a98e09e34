package deploy

import (
	"context"

	"github.com/compose-spec/compose-go/v2/types"

	"github.com/devstack/devstack/internal/progress"
	"github.com/devstack/devstack/internal/stack"
)

// DeployProject deploys a compose project as a stack: it converts it
// (stack.Convert), says as warnings what the stack leaves out (not the
// build sections when built is set: their images were built and pushed
// already), and deploys it.
func DeployProject(ctx context.Context, api API, p *types.Project, built bool, o Options, out progress.Progress) error {
	st, warnings, err := stack.Convert(p, stack.Options{})
	if err != nil {
		return err
	}
	for _, w := range warnings {
		if built && w.Key == "build" {
			continue
		}
		out.Event(progress.Event{Kind: progress.KindWarning, Detail: w.String()})
	}
	return Deploy(ctx, api, st, o, out)
}
