package deploy

import (
	"context"
	"fmt"
	"strings"

	"github.com/distribution/reference"
	"github.com/docker/docker/api/types/swarm"

	"github.com/devstack/devstack/internal/dockerapi"
	"github.com/devstack/devstack/internal/progress"
	"github.com/devstack/devstack/internal/stack"
)

// The --resolve-image modes, as docker stack deploy's: which services'
// images are pinned to the digest the registry has for their tag, so that
// every node runs the same image.
const (
	ResolveAlways  = "always"  // every service's image, each deploy: a moved tag updates the service
	ResolveChanged = "changed" // only the images of new services and of those whose image changed
	ResolveNever   = "never"   // none: each node gets the tag by itself
)

// ResolveModes are the values --resolve-image takes.
var ResolveModes = []string{ResolveAlways, ResolveChanged, ResolveNever}

// pin is image pinned to the digest its registry has for it, as the engine
// pins it for docker stack deploy: name:tag@digest in its familiar form;
// an image with a digest already stays as it is.
func pin(ctx context.Context, api dockerapi.Distribution, image, auth string) (string, error) {
	named, err := reference.ParseNormalizedNamed(image)
	if err != nil {
		return "", err
	}
	if _, ok := named.(reference.Canonical); ok {
		return image, nil
	}
	tagged, ok := reference.TagNameOnly(named).(reference.NamedTagged)
	if !ok {
		return "", fmt.Errorf("image reference not tagged: %s", image)
	}
	d, err := api.DistributionInspect(ctx, tagged.String(), auth)
	if err != nil {
		return "", err
	}
	pinned, err := reference.WithDigest(tagged, d.Descriptor.Digest)
	if err != nil {
		return "", err
	}
	return reference.FamiliarString(pinned), nil
}

// resolveImages sets the image of each service the plan creates or
// updates as mode says (see ResolveAlways...), with the registry
// credentials of auth (nil: none): pinned by digest, or for a service
// whose image did not change and is not to be resolved, the image the
// swarm has (pinned by an earlier deploy), so that the deploy does not
// unpin it. With ResolveAlways an unchanged service whose tag now names
// another digest is updated. An image no registry gives stays unpinned,
// with a warning, as docker's. Specs are copied, never changed in place.
func resolveImages(ctx context.Context, api dockerapi.Distribution, plan stack.Plan, observed []swarm.Service,
	mode string, auth func(image string) (string, error), out progress.Progress) (stack.Plan, error) {
	pinned := map[string]string{}
	resolve := func(image string) (string, error) {
		if p, ok := pinned[image]; ok {
			return p, nil
		}
		a := ""
		if auth != nil {
			var err error
			if a, err = auth(image); err != nil {
				return "", fmt.Errorf("registry credentials for %s: %w", image, err)
			}
		}
		p, err := pin(ctx, api, image, a)
		if err != nil && ctx.Err() != nil {
			return "", ctx.Err()
		}
		if err != nil {
			out.Event(progress.Event{Kind: progress.KindWarning, Detail: fmt.Sprintf("image %s could not be accessed on a registry to record its digest (%v): each node gets %s by itself, possibly a different version of it", image, err, image)})
			p = image
		}
		pinned[image] = p
		return p, nil
	}
	actions := make([]stack.Action, len(plan.Actions))
	for i, a := range plan.Actions {
		var err error
		if actions[i], err = resolveAction(a, observed, mode, resolve); err != nil {
			return plan, fmt.Errorf("service %s: %w", a.Service.Name, err)
		}
	}
	return stack.Plan{Actions: actions}, nil
}

// resolveAction is resolveImages for one action.
func resolveAction(a stack.Action, observed []swarm.Service, mode string, resolve func(string) (string, error)) (stack.Action, error) {
	cs := a.Service.Spec.TaskTemplate.ContainerSpec
	if a.Kind == stack.Prune || cs == nil {
		return a, nil
	}
	var have *swarm.ContainerSpec // what the swarm runs now
	if a.Observed != nil {
		if s, ok := find(observed, a.Observed.Name); ok {
			have = s.Spec.TaskTemplate.ContainerSpec
		}
	}
	changed := have == nil || a.Observed.Labels[stack.LabelImage] != cs.Image
	image := cs.Image
	switch {
	case a.Kind == stack.Unchanged && mode != ResolveAlways:
		return a, nil
	case mode == ResolveAlways, mode == ResolveChanged && changed:
		p, err := resolve(cs.Image)
		if err != nil {
			return a, err
		}
		image = p
	case !changed:
		image = have.Image
	}
	if a.Kind == stack.Unchanged {
		if have == nil || have.Image == image {
			return a, nil
		}
		a.Kind, a.Reason = stack.Update, "the registry has another image for "+cs.Image
		if !strings.Contains(have.Image, "@") {
			a.Reason = "image pinned to the registry's digest for " + cs.Image
		}
	}
	c := *cs
	c.Image = image
	a.Service.Spec.TaskTemplate.ContainerSpec = &c
	return a, nil
}
