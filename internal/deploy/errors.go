package deploy

import (
	"errors"
)

var (
	// ErrNotManager means the engine cannot manage a swarm.
	ErrNotManager = errors.New("this engine is not a swarm manager: run docker swarm init, or point DOCKER_HOST at a manager")
	// ErrNoNode means a service's placement constraints match no node.
	ErrNoNode = errors.New("no node satisfies the constraints")
	// ErrImage means no node can get a service's image.
	ErrImage = errors.New("image cannot be pulled")
	// ErrRolledBack means the engine rolled a service's update back.
	ErrRolledBack = errors.New("update rolled back")
	// ErrTasksFail means a service's tasks keep failing.
	ErrTasksFail = errors.New("tasks keep failing")
	// ErrMissing means an external network, secret or config does not exist.
	ErrMissing = errors.New("not found on the swarm")
	// ErrNoStack means no service, network, secret or config has the namespace.
	ErrNoStack = errors.New("no such stack")
)
