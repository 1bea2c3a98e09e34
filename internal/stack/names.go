package stack

import "fmt"

// Swarm's limits on names (swarmkit's controlapi validation): a service or
// network name is a DNS name component (letters, digits, - and _, starting and ending with a
// letter or digit, at most 63 characters); a secret or config name may
// also have dots, at most 64 characters.
const (
	maxServiceName = 63
	maxObjectName  = 64
)

// validName says whether name has at most max characters, starts and ends
// with a letter or digit and has only those and the bytes of inner between.
func validName(name, inner string, max int) bool {
	if name == "" || len(name) > max {
		return false
	}
	alnum := func(b byte) bool {
		return 'a' <= b && b <= 'z' || 'A' <= b && b <= 'Z' || '0' <= b && b <= '9'
	}
	for i := 0; i < len(name); i++ {
		b := name[i]
		edge := i == 0 || i == len(name)-1
		if !alnum(b) && (edge || !containsByte(inner, b)) {
			return false
		}
	}
	return true
}

func containsByte(s string, b byte) bool {
	for i := 0; i < len(s); i++ {
		if s[i] == b {
			return true
		}
	}
	return false
}

func checkServiceName(service, name string) error {
	if !validName(name, "-_", maxServiceName) {
		return fmt.Errorf("%w: service %s: swarm service name %s must have only letters, digits, - and _, start and end with a letter or digit, and be at most %d characters", ErrInvalid, service, name, maxServiceName)
	}
	return nil
}

func checkNetworkName(key, name string) error {
	if !validName(name, "-_", maxServiceName) {
		return fmt.Errorf("%w: network %s: swarm network name %s must have only letters, digits, - and _, start and end with a letter or digit, and be at most %d characters; give it another name: or key", ErrInvalid, key, name, maxServiceName)
	}
	return nil
}

func checkObjectName(kind, key, name string) error {
	if !validName(name, "-_.", maxObjectName) {
		return fmt.Errorf("%w: %s %s: name %s must have only letters, digits, -, _ and ., start and end with a letter or digit, and be at most %d characters; give it another name: or key", ErrInvalid, kind, key, name, maxObjectName)
	}
	return nil
}
