package dockerapi

import (
	"os"
	"path/filepath"
	"reflect"
	"testing"
)

func TestProxyEnv(t *testing.T) {
	dir := t.TempDir()
	t.Setenv("DOCKER_CONFIG", dir)
	eq(t, len(ProxyEnv("unix:///var/run/docker.sock")), 0)
	cfg := `{"proxies": {
  "default": {"httpProxy": "http://proxy:3128", "noProxy": "localhost"},
  "tcp://other:2376": {"httpsProxy": "http://other-proxy:3128"}
}}`
	if err := os.WriteFile(filepath.Join(dir, "config.json"), []byte(cfg), 0o600); err != nil {
		t.Fatal(err)
	}
	env := ProxyEnv("unix:///var/run/docker.sock")
	got := map[string]string{}
	for k, v := range env {
		got[k] = *v
	}
	eq(t, got, map[string]string{"HTTP_PROXY": "http://proxy:3128", "http_proxy": "http://proxy:3128", "NO_PROXY": "localhost", "no_proxy": "localhost"})
	eq(t, len(ProxyEnv("tcp://other:2376")), 2)
}

func eq(t *testing.T, got, want any) {
	t.Helper()
	if !reflect.DeepEqual(got, want) {
		t.Errorf("got %v, want %v", got, want)
	}
}
