package worker

import (
	"context"
	"fmt"
	"os"
	"path/filepath"

	"github.com/docker/cli/cli/config/configfile"
	"github.com/moby/buildkit/session"
	"github.com/moby/buildkit/session/auth/authprovider"
	"github.com/moby/buildkit/session/filesync"
	"github.com/moby/buildkit/session/secrets"
	"github.com/moby/buildkit/session/secrets/secretsprovider"
	"github.com/moby/buildkit/session/sshforward/sshprovider"
	"github.com/tonistiigi/fsutil"
	fstypes "github.com/tonistiigi/fsutil/types"

	"github.com/devstack/devstack/internal/buildkit"
)

// attachables are what the session serves the engine for one plan: the
// context and Dockerfile directories, registry credentials, secrets and ssh.
func attachables(service string, p buildkit.Plan, dockerfileDir string, cfg *configfile.ConfigFile) ([]session.Attachable, error) {
	var out []session.Attachable
	dirs := filesync.StaticDirSource{}
	if p.ContextDir != "" {
		fs, err := fsutil.NewFS(p.ContextDir)
		if err != nil {
			return nil, fmt.Errorf("service %s: build context %s: %w", service, p.ContextDir, err)
		}
		// Files go in owned by root, as the docker CLI sends them.
		if fs, err = fsutil.NewFilterFS(fs, &fsutil.FilterOpt{Map: rootOwned}); err != nil {
			return nil, err
		}
		dirs["context"] = fs
	}
	if dockerfileDir != "" {
		fs, err := fsutil.NewFS(dockerfileDir)
		if err != nil {
			return nil, fmt.Errorf("service %s: dockerfile directory %s: %w", service, dockerfileDir, err)
		}
		dirs["dockerfile"] = fs
	}
	if len(dirs) > 0 {
		out = append(out, filesync.NewFSSyncProvider(dirs))
	}
	out = append(out, authprovider.NewDockerAuthProvider(authprovider.DockerAuthProviderConfig{ConfigFile: cfg}))
	if len(p.Secrets) > 0 {
		store, err := newSecretStore(service, p.Secrets)
		if err != nil {
			return nil, err
		}
		out = append(out, secretsprovider.NewSecretProvider(store))
	}
	if len(p.SSH) > 0 {
		confs := make([]sshprovider.AgentConfig, len(p.SSH))
		for i, s := range p.SSH {
			if len(s.Paths) == 0 && os.Getenv("SSH_AUTH_SOCK") == "" {
				return nil, fmt.Errorf("%w: service %s: build ssh %s: SSH_AUTH_SOCK is not set: start an ssh-agent, or name a key file (%s=PATH)", buildkit.ErrSSH, service, s.ID, s.ID)
			}
			confs[i] = sshprovider.AgentConfig{ID: s.ID, Paths: s.Paths}
		}
		a, err := sshprovider.NewSSHAgentProvider(confs)
		if err != nil {
			return nil, fmt.Errorf("%w: service %s: %v", buildkit.ErrSSH, service, err)
		}
		out = append(out, a)
	}
	return out, nil
}

func rootOwned(_ string, s *fstypes.Stat) fsutil.MapResult {
	s.Uid, s.Gid = 0, 0
	return fsutil.MapResultKeep
}

// secretStore serves build secrets: files read when the build asks for
// them, values from the environment.
type secretStore map[string]buildkit.Secret

// newSecretStore checks that every secret file is there before the build
// starts, so a missing one fails with its name and nothing built.
func newSecretStore(service string, list []buildkit.Secret) (secretStore, error) {
	st := secretStore{}
	for _, s := range list {
		if s.File != "" {
			fi, err := os.Stat(s.File)
			if err != nil {
				return nil, fmt.Errorf("%w: service %s: build secret %s: file %s: %v", buildkit.ErrSecret, service, s.Name, s.File, errNotExist(err))
			}
			if fi.IsDir() {
				return nil, fmt.Errorf("%w: service %s: build secret %s: %s is a directory", buildkit.ErrSecret, service, s.Name, s.File)
			}
		}
		st[s.ID] = s
	}
	return st, nil
}

func errNotExist(err error) error {
	if os.IsNotExist(err) {
		return os.ErrNotExist
	}
	return err
}

func (st secretStore) GetSecret(_ context.Context, id string) ([]byte, error) {
	s, ok := st[id]
	if !ok {
		return nil, fmt.Errorf("secret %s: %w", id, secrets.ErrNotFound)
	}
	if s.File == "" {
		return s.Value, nil
	}
	return os.ReadFile(filepath.Clean(s.File))
}

// newSession makes the build's session with its attachables.
func newSession(ctx context.Context, key string, as []session.Attachable) (*session.Session, error) {
	s, err := session.NewSession(ctx, key)
	if err != nil {
		return nil, err
	}
	for _, a := range as {
		s.Allow(a)
	}
	return s, nil
}
