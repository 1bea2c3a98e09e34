package kube

import (
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"strings"

	"github.com/compose-spec/compose-go/v2/types"

	"github.com/devstack/devstack/internal/kube/wire"
)

// MaxFile is the largest project file a bind mount takes along as a
// ConfigMap (the API server stores an object up to about 1 MiB).
const MaxFile = 512 << 10

// ProjectRequest is a request for op on the resolved project p: the
// project as JSON, and the contents of the configs and secrets its
// services use and of the small project files they bind-mount.
func ProjectRequest(op string, p *types.Project) (wire.Request, error) {
	b, err := json.Marshal(p)
	if err != nil {
		return wire.Request{}, err
	}
	req := wire.Request{Op: op, Project: b, ProjectName: p.Name, Files: map[string][]byte{}, Unread: map[string]string{}}
	for _, s := range p.Services {
		for _, c := range s.Configs {
			readObject(req, "config", c.Source, types.FileObjectConfig(p.Configs[c.Source]), p.Environment)
		}
		for _, c := range s.Secrets {
			readObject(req, "secret", c.Source, types.FileObjectConfig(p.Secrets[c.Source]), p.Environment)
		}
		for _, v := range s.Volumes {
			if v.Type == types.VolumeTypeBind {
				readBind(req, p.WorkingDir, v.Source)
			}
		}
	}
	return req, nil
}

// readObject reads a config's or secret's content: a file, a variable
// of the project's environment, or inline content.
func readObject(req wire.Request, kind, name string, f types.FileObjectConfig, env types.Mapping) {
	key := wire.FileKey(kind, name)
	switch {
	case bool(f.External):
	case f.Environment != "":
		if v, ok := env[f.Environment]; ok {
			req.Files[key] = []byte(v)
		} else {
			req.Unread[key] = "variable " + f.Environment + " is not set"
		}
	case f.File != "":
		b, err := os.ReadFile(f.File)
		if err != nil {
			req.Unread[key] = err.Error()
			return
		}
		req.Files[key] = b
	default:
		req.Files[key] = []byte(f.Content)
	}
}

// readBind reads a bind mount's source when it is a small regular file of
// the project directory; otherwise it says why not.
func readBind(req wire.Request, dir, src string) {
	key := wire.FileKey("bind", src)
	rel, err := filepath.Rel(dir, src)
	if dir == "" || err != nil || rel == ".." || strings.HasPrefix(rel, ".."+string(filepath.Separator)) {
		req.Unread[key] = "outside the project directory"
		return
	}
	fi, err := os.Stat(src)
	switch {
	case err != nil:
		req.Unread[key] = err.Error()
	case fi.IsDir():
		req.Unread[key] = "a directory"
	case !fi.Mode().IsRegular():
		req.Unread[key] = "not a regular file"
	case fi.Size() > MaxFile:
		req.Unread[key] = fmt.Sprintf("%d KiB, more than a ConfigMap should hold (%d KiB)", fi.Size()>>10, MaxFile>>10)
	default:
		b, err := os.ReadFile(src)
		if err != nil {
			req.Unread[key] = err.Error()
			return
		}
		req.Files[key] = b
	}
}
