package stack

import (
	"testing"

	"github.com/docker/docker/api/types/swarm"
)

func TestHash(t *testing.T) {
	base := webYAML(`environment: {A: "1", B: "2", C: "3"}
labels: {x: "1", y: "2"}
sysctls: {a.b: "1", c.d: "2"}
secrets: [k]
networks: [n1, n2]`, "secrets:\n  k: {file: ./k.txt}\nnetworks:\n  n1: {}\n  n2: {}\n")
	reordered := webYAML(`networks: [n2, n1]
secrets: [k]
sysctls: {c.d: "2", a.b: "1"}
labels: {y: "2", x: "1"}
environment: {C: "3", A: "1", B: "2"}`, "networks:\n  n2: {}\n  n1: {}\nsecrets:\n  k: {file: ./k.txt}\n")
	hash := func(yaml, secret string) string {
		st, _ := mustConvert(t, yaml, "k.txt", secret)
		return service(t, st, "web").Hash
	}
	h := hash(base, "one")
	for _, c := range []struct {
		name, yaml, secret string
		same               bool
	}{
		{"converted again", base, "one", true},
		{"keys in another order", reordered, "one", true},
		{"secret content changed", base, "two", false},
		{"environment changed", webYAML(`environment: {A: "1", B: "2", C: "4"}
labels: {x: "1", y: "2"}
sysctls: {a.b: "1", c.d: "2"}
secrets: [k]
networks: [n1, n2]`, "secrets:\n  k: {file: ./k.txt}\nnetworks:\n  n1: {}\n  n2: {}\n"), "one", false},
	} {
		if got := hash(c.yaml, c.secret); (got == h) != c.same {
			t.Errorf("%s: hash %s, base %s; want same=%v", c.name, got, h, c.same)
		}
	}
}

func TestHashLabelAndIDs(t *testing.T) {
	s := web(t, "secrets: [k]\nconfigs: [c]", "secrets:\n  k: {environment: HOME}\nconfigs:\n  c: {content: x}\n")
	if s.Hash == "" || s.Spec.Labels[LabelHash] != s.Hash {
		t.Fatalf("hash %q, label %q", s.Hash, s.Spec.Labels[LabelHash])
	}
	if Hash(s.Spec) != s.Hash {
		t.Errorf("Hash of the labelled spec %s, want %s: the label itself must not count", Hash(s.Spec), s.Hash)
	}
	cs := *s.Spec.TaskTemplate.ContainerSpec
	sec, cfg := *cs.Secrets[0], *cs.Configs[0]
	sec.SecretID, cfg.ConfigID = "id1", "id2"
	cs.Secrets, cs.Configs = []*swarm.SecretReference{&sec}, []*swarm.ConfigReference{&cfg}
	spec := s.Spec
	spec.TaskTemplate.ContainerSpec = &cs
	if Hash(spec) != s.Hash {
		t.Errorf("the IDs the apply side fills in changed the hash")
	}
	if s.Spec.TaskTemplate.ContainerSpec.Secrets[0].SecretID != "" {
		t.Errorf("Hash changed its argument")
	}
}
