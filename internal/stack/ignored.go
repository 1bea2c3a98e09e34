package stack

import (
	"github.com/compose-spec/compose-go/v2/types"

	"github.com/devstack/devstack/internal/composekeys"
)

// ignoredKeys are the service keys a swarm service has no field for, with
// a hint where swarm has another way. docker stack refuses or drops most
// of them (docker/cli's UnsupportedProperties, DeprecatedProperties and
// ForbiddenProperties); devstack deploy warns about each and goes on.
// build is handled with the image (convertService).
var ignoredKeys = map[string]string{
	"annotations":         "",
	"attach":              "",
	"blkio_config":        "",
	"cgroup":              "",
	"cgroup_parent":       "",
	"container_name":      "swarm names the tasks itself",
	"cpu_count":           "set deploy.resources.limits.cpus",
	"cpu_percent":         "set deploy.resources.limits.cpus",
	"cpu_period":          "set deploy.resources.limits.cpus",
	"cpu_quota":           "set deploy.resources.limits.cpus",
	"cpu_rt_period":       "",
	"cpu_rt_runtime":      "",
	"cpus":                "set deploy.resources.limits.cpus",
	"cpuset":              "",
	"cpu_shares":          "set deploy.resources.reservations.cpus",
	"develop":             "",
	"device_cgroup_rules": "",
	"devices":             "",
	"dockerfile":          "",
	"domainname":          "",
	"expose":              "services on the same network reach each other on any port",
	"external_links":      "",
	"gpus":                "set deploy.resources.reservations.generic_resources",
	"ipc":                 "",
	"links":               "services on the same network reach each other by name",
	"log_driver":          "use logging.driver",
	"log_opt":             "use logging.options",
	"mac_address":         "",
	"mem_limit":           "set deploy.resources.limits.memory",
	"mem_reservation":     "set deploy.resources.reservations.memory",
	"memswap_limit":       "",
	"mem_swappiness":      "",
	"models":              "",
	"net":                 "",
	"network_mode":        "attach the service to networks instead",
	"oom_kill_disable":    "",
	"pid":                 "",
	"pids_limit":          "set deploy.resources.limits.pids",
	"platform":            "use deploy.placement.constraints on node.platform",
	"post_start":          "",
	"pre_start":           "",
	"pre_stop":            "",
	"privileged":          "",
	"provider":            "",
	"pull_policy":         "every node pulls the image when a task needs it",
	"pull_refresh_after":  "",
	"runtime":             "",
	"security_opt":        "",
	"shm_size":            "mount a tmpfs on /dev/shm instead",
	"storage_opt":         "",
	"umask":               "",
	"use_api_socket":      "",
	"userns_mode":         "",
	"uts":                 "",
	"volume_driver":       "set the driver on the volume under the top-level volumes:",
	"volumes_from":        "mount a named volume in each service instead",
}

// serviceWarnings warns about every ignored key the service sets, in the
// order of compose-go's model, and about depends_on's restart: true.
func (c *converter) serviceWarnings(s types.ServiceConfig) {
	for _, f := range composekeys.Service(s) {
		hint, ok := ignoredKeys[f.Key]
		if !ok || f.Value.IsZero() {
			continue
		}
		msg := ignored
		if hint != "" {
			msg = "has no meaning on swarm (" + hint + "); ignored"
		}
		c.warn(s.Name, f.Key, msg)
	}
	for _, dep := range sortedKeys(s.DependsOn) {
		if s.DependsOn[dep].Restart {
			c.warn(s.Name, "depends_on."+dep+".restart", ignored)
		}
	}
}

// topLevelWarnings warns about top-level keys a stack has no use for.
func (c *converter) topLevelWarnings() {
	if len(c.p.Models) > 0 {
		c.warn("", "models", ignored)
	}
}
