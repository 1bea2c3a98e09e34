package stack

import "fmt"

// Warning is a compose key that has no meaning on a swarm and is ignored,
// once per service and key. Service is empty for top-level keys.
type Warning struct {
	Service, Key, Message string
}

func (w Warning) String() string {
	if w.Service == "" {
		return fmt.Sprintf("%s: %s", w.Key, w.Message)
	}
	return fmt.Sprintf("service %s: key %s %s", w.Service, w.Key, w.Message)
}

const ignored = "has no meaning on swarm; ignored"

func (c *converter) warn(service, key, message string) {
	c.warnings = append(c.warnings, Warning{Service: service, Key: key, Message: message})
}
