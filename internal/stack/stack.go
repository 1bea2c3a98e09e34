// Package stack converts a loaded compose project into what `docker stack
// deploy` would send to a swarm: service, network, secret and config specs
// with the stack's labels. It is pure: no engine calls. The deploy package
// applies a Stack; Order gives its services in depends_on order.
//
// Names follow docker stack: the service web of namespace shop is the swarm
// service shop_web, the network default is shop_default (an explicit name:
// or an external network keeps its name). Secrets and configs are named by
// content, NAMESPACE_KEY-<first 10 hex of its SHA-256>, so a changed file
// makes a new object and rolls the services that use it.
//
// Applying a Stack, in this order: create the networks that are not
// external (and check that the external ones exist); create each secret
// and config that does not exist by name (an existing one of the same
// name has the same content); fill in the SecretID/ConfigID of every
// service's references by name; Diff the services against those on the
// swarm with the stack's LabelNamespace and create or update them in
// Levels order; then remove StaleObjects, and with --prune the services
// Diff marks Prune. Checked by hand against a one-node swarm of the
// engine 20.10: every key of the conversion tests is accepted and works.
package stack

import (
	"github.com/docker/docker/api/types/network"
	"github.com/docker/docker/api/types/swarm"
)

// The labels docker stack deploy sets (ls/ps/rm find a stack by the
// first), and devstack's own for recognising an unchanged service.
const (
	// LabelNamespace is on services, their containers, networks, secrets and configs.
	LabelNamespace = "com.docker.stack.namespace"
	// LabelImage is on the service: the image as written in the compose file.
	LabelImage = "com.docker.stack.image"
	// LabelHash is on the service: Service.Hash, the digest of its spec.
	LabelHash = "com.devstack.deploy.hash"
)

// Stack is everything a deploy creates or refers to, sorted by name.
type Stack struct {
	Namespace string
	Services  []Service
	Networks  []Network
	Secrets   []Secret
	Configs   []Config
	Volumes   []Volume
}

// Service is one swarm service. Spec is complete but for the IDs of its
// secrets and configs (SecretReference.SecretID, ConfigReference.ConfigID):
// the engine assigns those, so the apply side looks them up by SecretName /
// ConfigName once the objects exist. Hash leaves them out.
type Service struct {
	Name      string // the compose service name; Spec.Name is NAMESPACE_NAME
	Spec      swarm.ServiceSpec
	DependsOn map[string]Dependency // by compose service name
	Hash      string                // also in Spec.Labels[LabelHash]
	Job       bool                  // mode replicated-job or global-job: runs to completion
}

// Dependency is one depends_on entry.
type Dependency struct {
	Condition string // service_started, service_healthy or service_completed_successfully
	Required  bool
}

// Network is a network the stack's services attach to. External ones must
// exist; the others are created with Create (overlay unless a driver is set).
type Network struct {
	Name     string // full name, namespaced unless external or named
	Key      string // the key under networks: in the compose file
	External bool
	Create   network.CreateOptions
}

// Secret is a secret the services use. External ones must exist (Spec has
// only the name); the others are created from Spec, Data included.
type Secret struct {
	Name     string // NAMESPACE_KEY-<hash>, or the external name
	Key      string // the key under secrets:
	External bool
	Spec     swarm.SecretSpec
}

// Config is a config the services use, as Secret.
type Config struct {
	Name     string
	Key      string
	External bool
	Spec     swarm.ConfigSpec
}

// Volume is a named volume the services mount. Swarm creates it on each
// node when a task first mounts it, from the mount's driver and options;
// it is listed here for output and pruning.
type Volume struct {
	Name       string // namespaced unless external or named
	Key        string
	External   bool
	Driver     string
	DriverOpts map[string]string
}

// Options changes how a project is converted.
type Options struct {
	// Namespace is the stack's name; empty means the project's name.
	Namespace string
	// ReadFile reads the file: of a secret or config; nil means os.ReadFile.
	ReadFile func(path string) ([]byte, error)
	// APIVersion is the engine API version negotiated with the swarm's
	// manager: fields it cannot carry are dropped with a warning. Empty
	// means every field.
	APIVersion string
}
