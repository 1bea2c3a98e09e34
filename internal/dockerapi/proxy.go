package dockerapi

import (
	"github.com/compose-spec/compose-go/v2/types"
	"github.com/docker/cli/cli/config"
)

// ProxyEnv is the proxy environment docker's config.json ($DOCKER_CONFIG
// or ~/.docker) sets for the engine at host, from its proxies entry for
// that host or else "default": HTTP_PROXY, HTTPS_PROXY, NO_PROXY,
// FTP_PROXY and ALL_PROXY, each also in lower case. docker compose puts it
// in every container, under the service's own environment. No readable
// config: none.
func ProxyEnv(host string) types.MappingWithEquals {
	cfg, err := config.Load(config.Dir())
	if err != nil || len(cfg.Proxies) == 0 {
		return nil
	}
	out := types.MappingWithEquals{}
	for k, v := range cfg.ParseProxyConfig(host, nil) {
		out[k] = v
	}
	return out
}

// DaemonHost is the engine address the client talks to, or "" when the
// client does not say.
func DaemonHost(api any) string {
	if h, ok := api.(interface{ DaemonHost() string }); ok {
		return h.DaemonHost()
	}
	return ""
}
