package engine

import (
	"encoding/json"
	"sort"
	"strings"

	"github.com/compose-spec/compose-go/v2/types"
)

// supportedKeys are the service keys devstack turns into engine config.
var supportedKeys = map[string]bool{
	"image": true, "build": true, "command": true, "entrypoint": true, "environment": true,
	"env_file": true, "ports": true, "expose": true, "volumes": true, "networks": true,
	"depends_on": true, "healthcheck": true, "restart": true, "working_dir": true, "user": true,
	"labels": true, "extra_hosts": true, "init": true, "stop_signal": true,
	"stop_grace_period": true, "cap_add": true, "cap_drop": true, "privileged": true,
	"hostname": true, "container_name": true, "scale": true, "pull_policy": true,
	"tmpfs": true, "read_only": true, "dns": true, "dns_search": true, "security_opt": true,
	"sysctls": true, "shm_size": true, "mem_limit": true, "tty": true, "stdin_open": true,
	"network_mode": true, "profiles": true, "platform": true, "configs": true, "secrets": true,
	"develop": true,
}

// UnsupportedKeys lists the keys a service sets that devstack ignores. Pure.
func UnsupportedKeys(s types.ServiceConfig) []string {
	b, err := json.Marshal(s)
	if err != nil {
		return nil
	}
	var m map[string]any
	if err := json.Unmarshal(b, &m); err != nil {
		return nil
	}
	var out []string
	for k, v := range m {
		switch {
		case isZero(v), supportedKeys[k]:
		case k == "deploy":
			for dk, dv := range v.(map[string]any) {
				if dk != "replicas" && !isZero(dv) {
					out = append(out, "deploy."+dk)
				}
			}
		default:
			out = append(out, k)
		}
	}
	if s.HealthCheck != nil && s.HealthCheck.StartInterval != nil {
		out = append(out, "healthcheck.start_interval")
	}
	sort.Strings(out)
	return out
}

func isZero(v any) bool {
	switch x := v.(type) {
	case nil:
		return true
	case bool:
		return !x
	case float64:
		return x == 0
	case string:
		return x == ""
	case []any:
		return len(x) == 0
	case map[string]any:
		return len(x) == 0
	}
	return false
}

// WarnUnsupported prints one line per service that uses keys devstack ignores.
func WarnUnsupported(p *types.Project, out *Printer) {
	for _, name := range sortedServices(p) {
		if keys := UnsupportedKeys(p.Services[name]); len(keys) > 0 {
			out.Printf("warning: service %s: devstack does not support %s yet; ignored\n", name, strings.Join(keys, ", "))
		}
	}
}
