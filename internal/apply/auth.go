package apply

import (
	"fmt"
	"strings"

	"github.com/containerd/errdefs"
	"github.com/distribution/reference"
)

// encodedAuth is the X-Registry-Auth value for ref ("" without a Registry).
func encodedAuth(auth Registry, ref string) (string, error) {
	if auth == nil {
		return "", nil
	}
	return auth.Encoded(ref)
}

// registryError turns the engine's answer to missing or wrong registry
// credentials into ErrUnauthorized with the docker login to run. Engines up
// to at least 20.10 send these as a plain 500 ("no basic auth credentials",
// "unauthorized: authentication required"), so besides errdefs this looks
// at the registry's error codes in the text. Other errors pass unchanged.
func registryError(ref string, err error) error {
	if !errdefs.IsUnauthorized(err) && !authMessage(err.Error()) {
		return err
	}
	return fmt.Errorf("%w: run %s", ErrUnauthorized, strings.TrimSpace("docker login "+loginHost(ref)))
}

// authMessage reports whether an engine error text is a registry's refusal
// of the credentials. Pure.
func authMessage(msg string) bool {
	msg = strings.ToLower(msg)
	for _, s := range []string{"no basic auth credentials", "unauthorized", "authentication required", "denied: requested access"} {
		if strings.Contains(msg, s) {
			return true
		}
	}
	return false
}

// loginHost is what `docker login` takes for ref's registry: its host[:port],
// nothing for Docker Hub. Pure.
func loginHost(ref string) string {
	named, err := reference.ParseNormalizedNamed(ref)
	if err != nil {
		return ""
	}
	if host := reference.Domain(named); host != "docker.io" {
		return host
	}
	return ""
}

// baseImageError is registryError for a build, whose error does not say
// which image's registry refused.
func baseImageError(err error) error {
	if !errdefs.IsUnauthorized(err) && !authMessage(err.Error()) {
		return err
	}
	return fmt.Errorf("%w (%w): run docker login for the base image's registry", err, ErrUnauthorized)
}
