package dockerapi

import (
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"strings"

	"github.com/docker/cli/cli/config"
	dockercontext "github.com/docker/cli/cli/context"
	"github.com/docker/cli/cli/context/docker"
	"github.com/docker/cli/cli/context/store"
	"github.com/docker/docker/client"
)

// DefaultContext is the docker CLI's context that means DOCKER_HOST (and
// DOCKER_TLS_VERIFY, DOCKER_CERT_PATH) or the local socket.
const DefaultContext = "default"

// Endpoint is the engine devstack talks to, as the docker CLI finds it: the
// context's name, its host URL and the client options that reach it.
type Endpoint struct {
	Context string
	Host    string
	opts    []client.Opt
}

func (e Endpoint) String() string { return fmt.Sprintf("%s (context %q)", e.Host, e.Context) }

// ContextName picks the context as the docker CLI does (resolveContextName):
// the --context flag, then "default" when DOCKER_HOST is set, then
// DOCKER_CONTEXT, then the config file's currentContext, then "default".
func ContextName(flag string, getenv func(string) string, current string) string {
	switch {
	case flag != "":
		return flag
	case getenv(client.EnvOverrideHost) != "":
		return DefaultContext
	case getenv("DOCKER_CONTEXT") != "":
		return getenv("DOCKER_CONTEXT")
	case current != "":
		return current
	}
	return DefaultContext
}

// ResolveEndpoint finds the engine for the --context flag (may be empty) in
// docker's config directory ($DOCKER_CONFIG or ~/.docker).
func ResolveEndpoint(flag string) (Endpoint, error) {
	current := ""
	if flag == "" && os.Getenv(client.EnvOverrideHost) == "" && os.Getenv("DOCKER_CONTEXT") == "" {
		cfg, err := config.Load("")
		if err != nil {
			return Endpoint{}, err
		}
		current = cfg.CurrentContext
	}
	name := ContextName(flag, os.Getenv, current)
	if name == DefaultContext {
		return defaultEndpoint()
	}
	return contextEndpoint(name)
}

// defaultEndpoint is DOCKER_HOST (unix://, tcp:// with DOCKER_TLS_VERIFY and
// DOCKER_CERT_PATH, ssh://) or the platform's local socket, turned into
// client options as docker's context endpoints are: DOCKER_CERT_PATH (or,
// with DOCKER_TLS_VERIFY alone, docker's config directory) holds ca.pem,
// cert.pem and key.pem; without DOCKER_TLS_VERIFY the server's certificate
// is not verified, as the docker CLI does.
func defaultEndpoint() (Endpoint, error) {
	host := os.Getenv(client.EnvOverrideHost)
	if host == "" {
		host = client.DefaultDockerHost
	}
	ep := Endpoint{Context: DefaultContext, Host: host}
	verify := os.Getenv(client.EnvTLSVerify) != ""
	dir := os.Getenv(client.EnvOverrideCertPath)
	if dir == "" && verify {
		dir = config.Dir()
	}
	dockerEP := docker.Endpoint{EndpointMeta: docker.EndpointMeta{Host: host}}
	if dir != "" && usesTLS(host) {
		if err := tlsFilesPresent(dir); err != nil {
			return ep, fmt.Errorf("%w for DOCKER_HOST=%s in %s: %v", ErrTLSMaterial, host, dir, err)
		}
		data, err := dockercontext.TLSDataFromFiles(filepath.Join(dir, "ca.pem"), filepath.Join(dir, "cert.pem"), filepath.Join(dir, "key.pem"))
		if err != nil {
			return ep, fmt.Errorf("%w for DOCKER_HOST=%s in %s: %v", ErrTLSMaterial, host, dir, err)
		}
		dockerEP.TLSData, dockerEP.SkipTLSVerify = data, !verify
	}
	opts, err := dockerEP.ClientOpts()
	if err != nil {
		return ep, fmt.Errorf("DOCKER_HOST=%s: %w", host, err)
	}
	ep.opts = append(opts, client.WithVersionFromEnv(), client.WithAPIVersionNegotiation())
	return ep, nil
}

// usesTLS: TLS material matters for a host reached over the network
// (tcp://), not for a local socket or ssh://.
func usesTLS(host string) bool {
	return !strings.HasPrefix(host, "unix://") && !strings.HasPrefix(host, "npipe://") && !strings.HasPrefix(host, "ssh://")
}

func tlsFilesPresent(dir string) error {
	var missing []string
	for _, f := range []string{"ca.pem", "cert.pem", "key.pem"} {
		if _, err := os.Stat(filepath.Join(dir, f)); err != nil {
			missing = append(missing, f)
		}
	}
	if len(missing) > 0 {
		return fmt.Errorf("missing %s", strings.Join(missing, ", "))
	}
	return nil
}

// contextEndpoint reads a named context from docker's context store, with
// its TLS material.
func contextEndpoint(name string) (Endpoint, error) {
	s := contextStore()
	meta, err := s.GetMetadata(name)
	if err != nil {
		names, _ := store.Names(s)
		names = append(names, DefaultContext)
		slices.Sort(names)
		return Endpoint{}, fmt.Errorf("%w %q (existing: %s; see docker context ls)", ErrUnknownContext, name, strings.Join(names, ", "))
	}
	epMeta, err := docker.EndpointFromContext(meta)
	if err != nil {
		return Endpoint{}, fmt.Errorf("context %q: %w", name, err)
	}
	ep := Endpoint{Context: name, Host: epMeta.Host}
	full, err := docker.WithTLSData(s, name, epMeta)
	if err != nil {
		return ep, fmt.Errorf("%w of context %q: %v", ErrTLSMaterial, name, err)
	}
	if ep.opts, err = full.ClientOpts(); err != nil {
		return ep, fmt.Errorf("context %q (%s): %w", name, ep.Host, err)
	}
	return ep, nil
}

// dockerContext is the context-level metadata (docker's DockerContext)
// devstack does not use; it only has to parse.
type dockerContext struct {
	Description string `json:",omitempty"`
}

func contextStore() *store.ContextStore {
	cfg := store.NewConfig(
		func() any { return &dockerContext{} },
		store.EndpointTypeGetter(docker.DockerEndpoint, func() any { return &docker.EndpointMeta{} }),
	)
	return store.New(config.ContextStoreDir(), cfg)
}
