package stack

import (
	"fmt"

	"github.com/compose-spec/compose-go/v2/types"
	"github.com/docker/docker/api/types/swarm"
)

// convertService builds one service's spec, its hash and its dependencies.
func (c *converter) convertService(s types.ServiceConfig) (Service, error) {
	if err := checkServiceName(s.Name, c.scope(s.Name)); err != nil {
		return Service{}, err
	}
	image, err := c.image(s)
	if err != nil {
		return Service{}, err
	}
	cs, err := c.containerSpec(s, image)
	if err != nil {
		return Service{}, err
	}
	spec := swarm.ServiceSpec{
		Annotations: swarm.Annotations{Name: c.scope(s.Name), Labels: c.stackLabels(deployLabels(s))},
		TaskTemplate: swarm.TaskSpec{
			ContainerSpec: cs,
			Networks:      c.attachments(s),
			LogDriver:     logDriver(s),
		},
	}
	spec.Labels[LabelImage] = image
	job, err := c.deploy(s, &spec)
	if err != nil {
		return Service{}, err
	}
	c.serviceWarnings(s)
	c.fitAPI(s.Name, &spec)
	out := Service{Name: s.Name, Spec: spec, DependsOn: dependencies(s), Job: job}
	out.Hash = Hash(spec)
	out.Spec.Labels[LabelHash] = out.Hash
	return out, nil
}

// image is the service's image: image:, else for a service that builds the
// name compose gives it (PROJECT-SERVICE, as engine.DefaultImageNames), which
// `devstack build --push` or a local build on a one-node swarm provides.
func (c *converter) image(s types.ServiceConfig) (string, error) {
	switch {
	case s.Image != "":
		if s.Build != nil {
			c.warn(s.Name, "build", "has no meaning on swarm (the image "+s.Image+" must be built and pushed beforehand); ignored")
		}
		return s.Image, nil
	case s.Build != nil:
		image := c.p.Name + "-" + s.Name
		c.warn(s.Name, "build", "has no meaning on swarm; the service runs image "+image+", which must exist on every node (build and push it beforehand)")
		return image, nil
	}
	return "", fmt.Errorf("%w: service %s has neither image nor build", ErrNoImage, s.Name)
}

func deployLabels(s types.ServiceConfig) map[string]string {
	if s.Deploy == nil {
		return nil
	}
	return s.Deploy.Labels
}

func dependencies(s types.ServiceConfig) map[string]Dependency {
	if len(s.DependsOn) == 0 {
		return nil
	}
	out := make(map[string]Dependency, len(s.DependsOn))
	for name, d := range s.DependsOn {
		cond := d.Condition
		if cond == "" {
			cond = types.ServiceConditionStarted
		}
		out[name] = Dependency{Condition: cond, Required: d.Required}
	}
	return out
}
