// Package registryauth finds registry credentials the way the docker CLI and
// docker compose do: docker's configuration directory ($DOCKER_CONFIG or
// ~/.docker) and its config.json (auths, credsStore, credHelpers through the
// credential-helper protocol), and DOCKER_AUTH_CONFIG. Pulls, builds and
// pushes share it. Credentials never appear in its errors.
package registryauth

import "errors"

var (
	// ErrConfig means docker's config.json could not be read or parsed.
	ErrConfig = errors.New("docker configuration")
	// ErrReference means an image reference could not be parsed.
	ErrReference = errors.New("invalid image reference")
	// ErrHelper means a credential helper failed.
	ErrHelper = errors.New("credential helper failed")
)
