package convert

import (
	"encoding/json"
	"fmt"
	"sort"
	"strings"

	"github.com/compose-spec/compose-go/v2/types"
)

// supportedKeys are the service keys devstack turns into engine config.
var supportedKeys = map[string]bool{
	"image": true, "build": true, "command": true, "entrypoint": true, "environment": true,
	"env_file": true, "ports": true, "expose": true, "volumes": true, "networks": true,
	"depends_on": true, "healthcheck": true, "restart": true, "working_dir": true, "user": true,
	"labels": true, "label_file": true, "extra_hosts": true, "init": true, "stop_signal": true,
	"stop_grace_period": true, "cap_add": true, "cap_drop": true, "privileged": true,
	"hostname": true, "domainname": true, "container_name": true, "scale": true, "pull_policy": true,
	"tmpfs": true, "read_only": true, "dns": true, "dns_search": true, "dns_opt": true,
	"security_opt": true, "sysctls": true, "tty": true, "stdin_open": true,
	"network_mode": true, "profiles": true, "platform": true, "configs": true, "secrets": true,
	"develop": true, "attach": true, "annotations": true, "mac_address": true,
	// resources
	"cpus": true, "cpu_count": true, "cpu_percent": true, "cpu_shares": true, "cpu_quota": true,
	"cpu_period": true, "cpu_rt_runtime": true, "cpu_rt_period": true, "cpuset": true,
	"mem_limit": true, "mem_reservation": true, "memswap_limit": true, "mem_swappiness": true,
	"oom_kill_disable": true, "oom_score_adj": true, "pids_limit": true, "ulimits": true,
	"blkio_config": true, "shm_size": true, "gpus": true, "devices": true,
	"device_cgroup_rules": true, "cgroup_parent": true,
	// process and isolation
	"logging": true, "group_add": true, "ipc": true,
	"pid": true, "uts": true, "userns_mode": true, "cgroup": true, "isolation": true,
	"runtime": true, "storage_opt": true, "volume_driver": true,
	// wiring
	"links": true, "external_links": true, "volumes_from": true,
}

// supportedDeploy are the deploy keys devstack maps; the rest are swarm's.
var supportedDeploy = map[string]bool{"replicas": true, "resources": true, "restart_policy": true}

// unsupportedKeys lists the keys a service sets that devstack ignores. Pure.
func unsupportedKeys(s types.ServiceConfig) []string {
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
				if !supportedDeploy[dk] && !isZero(dv) {
					out = append(out, "deploy."+dk)
				}
			}
		default:
			out = append(out, k)
		}
	}
	out = append(out, unsupportedSubkeys(s)...)
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

// unsupportedSubkeys are keys inside supported ones that devstack ignores.
func unsupportedSubkeys(s types.ServiceConfig) []string {
	var out []string
	if s.Deploy != nil {
		for _, r := range []*types.Resource{s.Deploy.Resources.Limits, s.Deploy.Resources.Reservations} {
			if r != nil && len(r.GenericResources) > 0 {
				out = append(out, "deploy.resources.*.generic_resources")
				break
			}
		}
		if r := s.Deploy.Resources.Reservations; r != nil && r.NanoCPUs != 0 {
			out = append(out, "deploy.resources.reservations.cpus")
		}
	}
	for _, key := range sortedNames(s.Networks) {
		if n := s.Networks[key]; n != nil && n.InterfaceName != "" {
			out = append(out, "networks."+key+".interface_name")
		}
	}
	return out
}

// UnsupportedWarnings is one line per service that uses keys devstack
// ignores, and one per key the engine's API version cannot carry. Pure.
func UnsupportedWarnings(p *types.Project, apiVersion string) []string {
	var out []string
	for _, name := range p.ServiceNames() {
		if keys := unsupportedKeys(p.Services[name]); len(keys) > 0 {
			out = append(out, fmt.Sprintf("service %s: devstack does not support %s yet; ignored", name, strings.Join(keys, ", ")))
		}
		for _, k := range keysNeedingAPI(p.Services[name], apiVersion) {
			out = append(out, fmt.Sprintf("service %s: %s needs Engine API %s, this engine speaks %s; ignored", name, k.Key, k.Needs, apiVersion))
		}
	}
	nets := networkKeysNeedingAPI(p, apiVersion)
	for _, key := range sortedNetworkKeys(p) {
		for _, k := range nets[key] {
			out = append(out, fmt.Sprintf("network %s: %s needs Engine API %s, this engine speaks %s; ignored", key, k.Key, k.Needs, apiVersion))
		}
	}
	return out
}
