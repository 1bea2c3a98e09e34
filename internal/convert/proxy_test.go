package convert

import "testing"

// The service's environment wins over the proxies docker's config.json
// sets (dockerapi.ProxyEnv), as in docker compose.
func TestProxyEnvUnderServiceEnv(t *testing.T) {
	proxy, none := "http://proxy:3128", "localhost"
	env := map[string]*string{"HTTP_PROXY": &proxy, "http_proxy": &proxy, "NO_PROXY": &none, "no_proxy": &none}
	mine := "http://mine:8080"
	s := svc("web")
	s.Environment = map[string]*string{"HTTP_PROXY": &mine}
	spec, err := ContainerSpec(project(s), s, 1, "", "", Target{ProxyEnv: env})
	if err != nil {
		t.Fatal(err)
	}
	eq(t, spec.Config.Env, []string{"HTTP_PROXY=http://mine:8080", "NO_PROXY=localhost", "http_proxy=http://proxy:3128", "no_proxy=localhost"})
	eq(t, len(env), 4) // not changed by the conversion
}
