package engine

import (
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"

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
