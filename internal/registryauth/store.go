package registryauth

import (
	"fmt"
	"sync"

	"github.com/distribution/reference"
	"github.com/docker/cli/cli/config"
	"github.com/docker/cli/cli/config/configfile"
	"github.com/docker/cli/cli/config/credentials"
	clitypes "github.com/docker/cli/cli/config/types"
	"github.com/docker/docker/api/types/registry"
)

// IndexServer is the key docker uses for Docker Hub's credentials.
const IndexServer = "https://index.docker.io/v1/"

// Store looks credentials up in one docker configuration directory. The
// directory's config.json is read once, on first use.
type Store struct {
	dir  string
	once sync.Once
	cfg  *configfile.ConfigFile
	err  error
}

// New reads docker's configuration from dir; "" means docker's own choice:
// $DOCKER_CONFIG, else ~/.docker.
func New(dir string) *Store { return &Store{dir: dir} }

// ConfigFile is the parsed config.json (with the platform's default
// credential store when the file names none and holds no auths, as the
// docker CLI does), for BuildKit's auth provider.
func (s *Store) ConfigFile() (*configfile.ConfigFile, error) {
	s.once.Do(func() {
		dir := s.dir
		if dir == "" {
			dir = config.Dir()
		}
		s.cfg, s.err = config.Load(dir)
		if s.err != nil {
			s.err = fmt.Errorf("%w: %v", ErrConfig, s.err)
			return
		}
		if !s.cfg.ContainsAuth() {
			s.cfg.CredentialsStore = credentials.DetectDefaultStore(s.cfg.CredentialsStore)
		}
	})
	return s.cfg, s.err
}

// Key is the name docker files an image's registry credentials under: the
// registry's host[:port], or IndexServer for Docker Hub. Pure.
func Key(ref string) (string, error) {
	named, err := reference.ParseNormalizedNamed(ref)
	if err != nil {
		return "", fmt.Errorf("%w %q: %v", ErrReference, ref, err)
	}
	host := reference.Domain(named)
	if host == "docker.io" || host == "index.docker.io" || host == "registry-1.docker.io" {
		return IndexServer, nil
	}
	return host, nil
}

// ForImage returns the credentials for the registry of the image ref; an
// empty AuthConfig when there are none.
func (s *Store) ForImage(ref string) (registry.AuthConfig, error) {
	key, err := Key(ref)
	if err != nil {
		return registry.AuthConfig{}, err
	}
	return s.ForRegistry(key)
}

// ForRegistry returns the credentials filed under key (see Key).
func (s *Store) ForRegistry(key string) (registry.AuthConfig, error) {
	cfg, err := s.ConfigFile()
	if err != nil {
		return registry.AuthConfig{}, err
	}
	ac, err := cfg.GetAuthConfig(key)
	if err != nil {
		return registry.AuthConfig{}, fmt.Errorf("%w: registry %s: %v", ErrHelper, key, err)
	}
	return convert(ac, key), nil
}

// Encoded is ForImage encoded for the Engine API's X-Registry-Auth header
// (ImagePull, ImagePush); "" when there are no credentials.
func (s *Store) Encoded(ref string) (string, error) {
	ac, err := s.ForImage(ref)
	if err != nil || ac == (registry.AuthConfig{ServerAddress: ac.ServerAddress}) {
		return "", err
	}
	return registry.EncodeAuthConfig(ac)
}

// All returns every registry's credentials, keyed as Key names them, for
// the classic builder's ImageBuildOptions.AuthConfigs (which the engine
// picks from per FROM image), as `docker build` sends them.
func (s *Store) All() (map[string]registry.AuthConfig, error) {
	cfg, err := s.ConfigFile()
	if err != nil {
		return nil, err
	}
	all, err := cfg.GetAllCredentials()
	if err != nil {
		return nil, fmt.Errorf("%w: %v", ErrHelper, err)
	}
	out := make(map[string]registry.AuthConfig, len(all))
	for k, ac := range all {
		out[k] = convert(ac, k)
	}
	return out, nil
}

func convert(ac clitypes.AuthConfig, key string) registry.AuthConfig {
	addr := ac.ServerAddress
	if addr == "" {
		addr = key
	}
	return registry.AuthConfig{
		Username:      ac.Username,
		Password:      ac.Password,
		Auth:          ac.Auth,
		ServerAddress: addr,
		IdentityToken: ac.IdentityToken,
		RegistryToken: ac.RegistryToken,
	}
}
