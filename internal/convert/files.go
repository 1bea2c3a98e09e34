package convert

import (
	"crypto/sha256"
	"encoding/hex"
	"fmt"

	"github.com/compose-spec/compose-go/v2/types"
)

// File is a config or secret put into a container before it starts.
type File struct {
	Target   string
	Content  []byte
	Mode     int64
	UID, GID int
	HostPath string // file: source, bind-mounted rather than copied
}

// FileWarnings names the uid, gid and mode set on references to file-based
// secrets and configs: they are bind-mounted as they are, so these are
// ignored, as docker compose ignores them outside swarm. Pure.
func FileWarnings(p *types.Project) []string {
	var out []string
	for _, name := range p.ServiceNames() {
		s := p.Services[name]
		for _, ref := range s.Secrets {
			out = append(out, ignoredOwnership(name, "secrets", types.FileReferenceConfig(ref), types.FileObjectConfig(p.Secrets[ref.Source]))...)
		}
		for _, ref := range s.Configs {
			out = append(out, ignoredOwnership(name, "configs", types.FileReferenceConfig(ref), types.FileObjectConfig(p.Configs[ref.Source]))...)
		}
	}
	return out
}

func ignoredOwnership(service, kind string, ref types.FileReferenceConfig, obj types.FileObjectConfig) []string {
	if !isFileObject(obj) {
		return nil
	}
	var out []string
	for _, o := range []struct {
		field string
		set   bool
	}{{"uid", ref.UID != ""}, {"gid", ref.GID != ""}, {"mode", ref.Mode != nil}} {
		if o.set {
			out = append(out, fmt.Sprintf("service %s: %s.%s.%s is not supported outside swarm mode (the file is bind-mounted as it is); ignored", service, kind, ref.Source, o.field))
		}
	}
	return out
}

// filesDigest feeds into the config hash, so a changed config recreates the container.
func filesDigest(files []File) string {
	if len(files) == 0 {
		return ""
	}
	h := sha256.New()
	for _, f := range files {
		fmt.Fprintf(h, "%s %o %d %d %d %s\n", f.Target, f.Mode, f.UID, f.GID, len(f.Content), f.HostPath)
		h.Write(f.Content)
	}
	return hex.EncodeToString(h.Sum(nil))
}
