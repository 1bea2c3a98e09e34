package apply

import (
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/compose-spec/compose-go/v2/types"
	"github.com/devstack/devstack/internal/convert"
)

func TestServiceFiles(t *testing.T) {
	dir := t.TempDir()
	file := filepath.Join(dir, "pw")
	if err := os.WriteFile(file, []byte("s3cret"), 0o600); err != nil {
		t.Fatal(err)
	}
	mode := types.FileMode(0o400)
	tests := []struct {
		name    string
		secret  types.SecretConfig
		ref     types.ServiceSecretConfig
		ro      bool
		want    convert.File
		wantErr error
		errText string
	}{
		{"environment: copied with uid, gid and mode", types.SecretConfig{Environment: "TOKEN"},
			types.ServiceSecretConfig{Source: "s", UID: "1000", GID: "10", Mode: &mode}, false,
			convert.File{Target: "/run/secrets/s", Content: []byte("tok"), Mode: 0o400, UID: 1000, GID: 10}, nil, ""},
		{"file: bind-mounted, not copied", types.SecretConfig{File: file},
			types.ServiceSecretConfig{Source: "s", Target: "custom"}, false,
			convert.File{Target: "/run/secrets/custom", Mode: 0o444, HostPath: file}, nil, ""},
		{"file: missing", types.SecretConfig{File: filepath.Join(dir, "nope")},
			types.ServiceSecretConfig{Source: "s"}, false, convert.File{}, ErrMountSource, "service web: secrets.s: file "},
		{"environment: unset", types.SecretConfig{Environment: "UNSET"},
			types.ServiceSecretConfig{Source: "s"}, false, convert.File{}, convert.ErrInvalidConfig, "service web: secrets.s: environment variable UNSET is not set"},
		{"uid not a number", types.SecretConfig{Environment: "TOKEN"},
			types.ServiceSecretConfig{Source: "s", UID: "root"}, false, convert.File{}, convert.ErrInvalidConfig, `uid "root" is not a number`},
		{"read_only service: only file ones", types.SecretConfig{Environment: "TOKEN"},
			types.ServiceSecretConfig{Source: "s"}, true, convert.File{}, convert.ErrInvalidConfig, "a read_only service takes only file: secrets"},
		{"read_only service: file one is fine", types.SecretConfig{File: file},
			types.ServiceSecretConfig{Source: "s"}, true, convert.File{Target: "/run/secrets/s", Mode: 0o444, HostPath: file}, nil, ""},
		{"driver needs swarm", types.SecretConfig{File: file, Driver: "vault"},
			types.ServiceSecretConfig{Source: "s"}, false, convert.File{}, convert.ErrInvalidConfig, "driver and template_driver need swarm"},
		{"external needs swarm", types.SecretConfig{External: true},
			types.ServiceSecretConfig{Source: "s"}, false, convert.File{}, convert.ErrInvalidConfig, "external secrets need swarm"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			s := svc("web", func(s *types.ServiceConfig) { s.Secrets = []types.ServiceSecretConfig{tt.ref}; s.ReadOnly = tt.ro })
			p := project(s)
			p.Environment = types.Mapping{"TOKEN": "tok"}
			p.Secrets = types.Secrets{"s": tt.secret}
			got, err := ServiceFiles(p, s)
			if tt.wantErr != nil {
				if !errors.Is(err, tt.wantErr) || !strings.Contains(err.Error(), tt.errText) {
					t.Fatalf("got %v, want %v with %q", err, tt.wantErr, tt.errText)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			eq(t, got, []convert.File{tt.want})
		})
	}
}
