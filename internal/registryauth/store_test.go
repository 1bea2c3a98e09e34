package registryauth

import (
	"encoding/base64"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/docker/docker/api/types/registry"
)

func TestKey(t *testing.T) {
	for _, tc := range []struct{ ref, want string }{
		{"busybox", IndexServer},
		{"library/busybox:1", IndexServer},
		{"docker.io/me/app", IndexServer},
		{"127.0.0.1:5055/priv/bb:1", "127.0.0.1:5055"},
		{"ghcr.io/org/app@sha256:" + strings.Repeat("a", 64), "ghcr.io"},
		{"localhost/app", "localhost"},
	} {
		got, err := Key(tc.ref)
		if err != nil || got != tc.want {
			t.Errorf("Key(%q) = %q, %v; want %q", tc.ref, got, err, tc.want)
		}
	}
	if _, err := Key("me/App"); !errors.Is(err, ErrReference) {
		t.Errorf("Key(me/App) error = %v, want ErrReference", err)
	}
}

// fakeHelper puts docker-credential-fake on PATH: it answers `get` for
// helper.test with user "hu" and secret "hs", says "not found" otherwise,
// `list`s helper.test, and fails loudly for fail.test.
func fakeHelper(t *testing.T) {
	bin := t.TempDir()
	script := `#!/bin/sh
read -r url
case "$1:$url" in
get:helper.test) echo '{"ServerURL":"helper.test","Username":"hu","Secret":"hs"}' ;;
get:fail.test) echo "backend locked"; exit 1 ;;
get:*) echo "credentials not found in native keychain"; exit 1 ;;
list:*) echo '{"helper.test":"hu"}' ;;
*) exit 1 ;;
esac
`
	if err := os.WriteFile(filepath.Join(bin, "docker-credential-fake"), []byte(script), 0o755); err != nil {
		t.Fatal(err)
	}
	t.Setenv("PATH", bin+string(os.PathListSeparator)+os.Getenv("PATH"))
}

func configDir(t *testing.T, json string) string {
	dir := t.TempDir()
	if err := os.WriteFile(filepath.Join(dir, "config.json"), []byte(json), 0o600); err != nil {
		t.Fatal(err)
	}
	return dir
}

func b64(s string) string { return base64.StdEncoding.EncodeToString([]byte(s)) }

func TestForImage(t *testing.T) {
	fakeHelper(t)
	t.Setenv("DOCKER_AUTH_CONFIG", "")
	auths := `{"auths":{"127.0.0.1:5055":{"auth":"` + b64("au:ap") + `"},"https://index.docker.io/v1/":{"auth":"` + b64("hub:hp") + `"}}}`
	for _, tc := range []struct {
		name, config, ref string
		env               string // DOCKER_AUTH_CONFIG
		user, pass        string
	}{
		{name: "auths", config: auths, ref: "127.0.0.1:5055/priv/bb:1", user: "au", pass: "ap"},
		{name: "auths docker hub", config: auths, ref: "me/app", user: "hub", pass: "hp"},
		{name: "auths other registry", config: auths, ref: "127.0.0.1:5056/x"},
		{name: "no config file", ref: "127.0.0.1:5055/x"},
		{name: "credsStore", config: `{"credsStore":"fake"}`, ref: "helper.test/x", user: "hu", pass: "hs"},
		{name: "credsStore not found", config: `{"credsStore":"fake"}`, ref: "other.test/x"},
		{name: "credHelpers", config: `{"credHelpers":{"helper.test":"fake"}}`, ref: "helper.test/a/b:2", user: "hu", pass: "hs"},
		{name: "credHelpers wins over auths", config: `{"auths":{"helper.test":{"auth":"` + b64("au:ap") + `"}},"credHelpers":{"helper.test":"fake"}}`, ref: "helper.test/x", user: "hu", pass: "hs"},
		{name: "DOCKER_AUTH_CONFIG", config: auths, env: `{"auths":{"127.0.0.1:5055":{"auth":"` + b64("eu:ep") + `"}}}`, ref: "127.0.0.1:5055/x", user: "eu", pass: "ep"},
		{name: "DOCKER_AUTH_CONFIG falls back", config: auths, env: `{"auths":{"elsewhere.test":{"auth":"` + b64("eu:ep") + `"}}}`, ref: "127.0.0.1:5055/x", user: "au", pass: "ap"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			t.Setenv("DOCKER_AUTH_CONFIG", tc.env)
			dir := t.TempDir()
			if tc.config != "" {
				dir = configDir(t, tc.config)
			}
			ac, err := New(dir).ForImage(tc.ref)
			if err != nil {
				t.Fatal(err)
			}
			if ac.Username != tc.user || ac.Password != tc.pass {
				t.Errorf("got %q/%q, want %q/%q", ac.Username, ac.Password, tc.user, tc.pass)
			}
		})
	}
}

func TestEncoded(t *testing.T) {
	t.Setenv("DOCKER_AUTH_CONFIG", "")
	s := New(configDir(t, `{"auths":{"127.0.0.1:5055":{"auth":"`+b64("au:ap")+`"}}}`))
	enc, err := s.Encoded("127.0.0.1:5055/priv/bb:1")
	if err != nil {
		t.Fatal(err)
	}
	ac, err := registry.DecodeAuthConfig(enc)
	if err != nil || ac.Username != "au" || ac.Password != "ap" || ac.ServerAddress != "127.0.0.1:5055" {
		t.Errorf("decoded %+v, %v", ac, err)
	}
	if enc, err := s.Encoded("127.0.0.1:6000/x"); enc != "" || err != nil {
		t.Errorf("no credentials: got %q, %v; want empty", enc, err)
	}
}

func TestAll(t *testing.T) {
	fakeHelper(t)
	t.Setenv("DOCKER_AUTH_CONFIG", "")
	s := New(configDir(t, `{"auths":{"127.0.0.1:5055":{"auth":"`+b64("au:ap")+`"}},"credHelpers":{"helper.test":"fake"}}`))
	all, err := s.All()
	if err != nil {
		t.Fatal(err)
	}
	if all["127.0.0.1:5055"].Password != "ap" || all["helper.test"].Password != "hs" || len(all) != 2 {
		t.Errorf("All() = %v", all)
	}
}

func TestErrors(t *testing.T) {
	fakeHelper(t)
	t.Setenv("DOCKER_AUTH_CONFIG", "")
	dir := configDir(t, `{"auths": {`)
	_, err := New(dir).ForImage("x.test/a")
	if !errors.Is(err, ErrConfig) || !strings.Contains(err.Error(), filepath.Join(dir, "config.json")) {
		t.Errorf("malformed config: %v; want ErrConfig naming the file", err)
	}
	_, err = New(configDir(t, `{"credsStore":"fake"}`)).ForImage("fail.test/a")
	if !errors.Is(err, ErrHelper) || !strings.Contains(err.Error(), "fail.test") {
		t.Errorf("failing helper: %v; want ErrHelper naming the registry", err)
	}
	_, err = New(configDir(t, `{"credsStore":"missing"}`)).ForImage("x.test/a")
	if !errors.Is(err, ErrHelper) || !strings.Contains(err.Error(), "docker-credential-missing") {
		t.Errorf("missing helper: %v; want ErrHelper naming the helper", err)
	}
}
