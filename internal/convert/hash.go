package convert

import (
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"strings"

	"github.com/compose-spec/compose-go/v2/types"
)

// ConfigHash is ServiceHash, plus the content of the configs and secrets
// put into the container (they are not in the service's own model).
func ConfigHash(s types.ServiceConfig, files []File) string {
	h := ServiceHash(s)
	if d := filesDigest(files); d != "" {
		sum := sha256.Sum256([]byte(h + d))
		return hex.EncodeToString(sum[:])
	}
	return h
}

// ServiceHash digests what, when changed, needs the service's containers
// recreated. Like compose it leaves out how the image is obtained, the
// replica count, the ordering and the watch rules.
func ServiceHash(s types.ServiceConfig) string {
	s.Build = nil
	s.PullPolicy = ""
	s.Scale = nil
	s.DependsOn = nil
	s.Develop = nil
	s.Profiles = nil
	if s.Deploy != nil {
		d := *s.Deploy
		d.Replicas = nil
		s.Deploy = &d
	}
	b, err := json.Marshal(s)
	if err != nil { // the model is plain data; this cannot happen
		panic(err)
	}
	sum := sha256.Sum256(b)
	return hex.EncodeToString(sum[:])
}

// ResolvedService is s with its references to other services' containers
// by ID (network_mode, ipc and pid service:NAME, volumes_from) written as
// the engine gets them, so that its config hash changes when such a
// container is replaced, as docker compose's does. A reference with no
// container yet stays as written. Pure.
func ResolvedService(s types.ServiceConfig, refs map[string][]Ref) types.ServiceConfig {
	id := func(name string) (string, bool) {
		c, err := firstContainer(s, "", name, refs)
		return c.ID, err == nil
	}
	for _, mode := range []*string{&s.NetworkMode, &s.Ipc, &s.Pid} {
		if name, ok := strings.CutPrefix(*mode, types.ServicePrefix); ok {
			if v, ok := id(name); ok {
				*mode = types.ContainerPrefix + v
			}
		}
	}
	if len(s.VolumesFrom) > 0 {
		vf := make([]string, len(s.VolumesFrom))
		for i, v := range s.VolumesFrom {
			vf[i] = v
			if strings.HasPrefix(v, types.ContainerPrefix) {
				continue
			}
			name, access, _ := strings.Cut(v, ":")
			if cid, ok := id(name); ok {
				vf[i] = types.ContainerPrefix + cid
				if access != "" {
					vf[i] += ":" + access
				}
			}
		}
		s.VolumesFrom = vf
	}
	return s
}
