package stack

import (
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"os"
	"testing"

	"github.com/compose-spec/compose-go/v2/types"
	"github.com/docker/docker/api/types/swarm"
)

func digest(s string) string {
	sum := sha256.Sum256([]byte(s))
	return hex.EncodeToString(sum[:])[:10]
}

func TestConvertSecretsConfigs(t *testing.T) {
	t.Setenv("TOKEN_X", "from-env")
	st, _ := mustConvert(t, `
services:
  web:
    image: web:1
    secrets:
      - db_pass
      - {source: token, target: /etc/token, uid: "100", gid: "101", mode: 0o400}
      - old
    configs:
      - site
      - {source: motd, target: /etc/motd}
secrets:
  db_pass: {file: ./pass.txt}
  token: {environment: TOKEN_X}
  old: {external: true, name: legacy_secret}
  unused: {environment: TOKEN_X}
configs:
  site: {content: "server {}"}
  motd: {file: ./motd, name: greeting}
`, "pass.txt", "s3cret", "motd", "hello")
	cs := service(t, st, "web").Spec.TaskTemplate.ContainerSpec
	root := func(name string, mode os.FileMode) *swarm.SecretReferenceFileTarget {
		return &swarm.SecretReferenceFileTarget{Name: name, UID: "0", GID: "0", Mode: mode}
	}
	check(t, "secret refs", cs.Secrets, []*swarm.SecretReference{
		{SecretName: "shop_db_pass-" + digest("s3cret"), File: root("db_pass", 0o444)},
		{SecretName: "shop_token-" + digest("from-env"), File: &swarm.SecretReferenceFileTarget{Name: "/etc/token", UID: "100", GID: "101", Mode: 0o400}},
		{SecretName: "legacy_secret", File: root("old", 0o444)},
	})
	check(t, "config refs", cs.Configs, []*swarm.ConfigReference{
		{ConfigName: "shop_site-" + digest("server {}"), File: &swarm.ConfigReferenceFileTarget{Name: "/site", UID: "0", GID: "0", Mode: 0o444}},
		{ConfigName: "greeting-" + digest("hello"), File: &swarm.ConfigReferenceFileTarget{Name: "/etc/motd", UID: "0", GID: "0", Mode: 0o444}},
	})
	var names []string
	for _, s := range st.Secrets {
		names = append(names, s.Name)
	}
	check(t, "stack secrets (used ones, sorted)", names, []string{"legacy_secret", "shop_db_pass-" + digest("s3cret"), "shop_token-" + digest("from-env")})
	check(t, "external secret", st.Secrets[0], Secret{Name: "legacy_secret", Key: "old", External: true, Spec: swarm.SecretSpec{Annotations: swarm.Annotations{Name: "legacy_secret"}}})
	check(t, "secret spec", st.Secrets[1].Spec, swarm.SecretSpec{
		Annotations: swarm.Annotations{Name: "shop_db_pass-" + digest("s3cret"), Labels: map[string]string{LabelNamespace: "shop"}},
		Data:        []byte("s3cret"),
	})
	check(t, "config spec", st.Configs[0].Spec.Labels[LabelNamespace], "shop")
}

func TestSecretReadFileOption(t *testing.T) {
	p := load(t, webYAML("secrets: [k]", "secrets:\n  k: {file: ./k.txt}\n"), "k.txt", "on disk")
	var read string
	st, _, err := Convert(p, Options{ReadFile: func(path string) ([]byte, error) { read = path; return []byte("faked"), nil }})
	if err != nil {
		t.Fatal(err)
	}
	check(t, "name from faked content", st.Secrets[0].Name, "shop_k-"+digest("faked"))
	if read != p.Secrets["k"].File {
		t.Errorf("read %q, want %q", read, p.Secrets["k"].File)
	}
	_, _, err = Convert(p, Options{ReadFile: func(string) ([]byte, error) { return nil, os.ErrNotExist }})
	if !errors.Is(err, ErrSource) || err.Error() != "service web: cannot read secret k: file does not exist" {
		t.Errorf("err = %v", err)
	}
}

// TestRefObjectUndefined: a reference to a secret or config the project
// does not define (the loader refuses it first; Convert checks again).
func TestRefObjectUndefined(t *testing.T) {
	c := &converter{}
	for _, kind := range []string{"secret", "config"} {
		_, err := c.refObject(kind, "web", "k", types.FileObjectConfig{}, false)
		want := "invalid for swarm: service web: " + kind + " k is not defined under " + kind + "s:"
		if !errors.Is(err, ErrInvalid) || err.Error() != want {
			t.Errorf("%s: err = %v, want %s", kind, err, want)
		}
	}
}
