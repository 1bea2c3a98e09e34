package stack

import (
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"

	"github.com/docker/docker/api/types/swarm"
)

// Hash is a stable digest of a service spec: what the apply side compares
// with the LabelHash of the service on the swarm to leave an unchanged
// service alone. It leaves out what the engine or the apply side fills in
// (the IDs of secrets and configs, the hash label itself), so it depends
// only on the compose project and the content of its secrets and configs
// (their names carry a digest of it). encoding/json writes map keys sorted,
// and the converter sorts what it builds from maps, so the result does not
// depend on Go's map order.
func Hash(spec swarm.ServiceSpec) string {
	spec.Labels = without(spec.Labels, LabelHash)
	if cs := spec.TaskTemplate.ContainerSpec; cs != nil {
		c := *cs
		c.Secrets = nil
		for _, r := range cs.Secrets {
			r2 := *r
			r2.SecretID = ""
			c.Secrets = append(c.Secrets, &r2)
		}
		c.Configs = nil
		for _, r := range cs.Configs {
			r2 := *r
			r2.ConfigID = ""
			c.Configs = append(c.Configs, &r2)
		}
		spec.TaskTemplate.ContainerSpec = &c
	}
	b, err := json.Marshal(spec)
	if err != nil { // plain data: cannot happen
		panic(err)
	}
	sum := sha256.Sum256(b)
	return hex.EncodeToString(sum[:])
}

func without(m map[string]string, key string) map[string]string {
	if _, ok := m[key]; !ok {
		return m
	}
	out := make(map[string]string, len(m))
	for k, v := range m {
		if k != key {
			out[k] = v
		}
	}
	return out
}
