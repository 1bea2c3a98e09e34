package mapping

import (
	"github.com/compose-spec/compose-go/v2/types"

	"github.com/devstack/devstack/internal/composekeys"
)

// mappedKeys are the service keys the mapping converts (a converter may
// still note a value it cannot map). profiles, extends, env_file and
// label_file were applied when the project was loaded.
var mappedKeys = map[string]bool{
	"name": true, "profiles": true, "extends": true, "env_file": true, "label_file": true,
	"deploy": true, "restart": true, "scale": true, "annotations": true, "labels": true,
	"image": true, "build": true, "pull_policy": true, "command": true, "entrypoint": true,
	"working_dir": true, "environment": true, "stdin_open": true, "tty": true,
	"ports": true, "expose": true, "networks": true, "network_mode": true, "hostname": true,
	"dns": true, "dns_opt": true, "dns_search": true, "extra_hosts": true,
	"healthcheck": true, "depends_on": true, "post_start": true, "pre_stop": true,
	"volumes": true, "tmpfs": true, "configs": true, "secrets": true, "shm_size": true,
	"cpus": true, "mem_limit": true, "mem_reservation": true, "stop_grace_period": true,
	"user": true, "group_add": true, "cap_add": true, "cap_drop": true, "privileged": true,
	"read_only": true, "sysctls": true, "security_opt": true, "pid": true, "ipc": true,
	"platform": true,
}

// unmappedKeys are the service keys Kubernetes has no field for: each set
// one is reported with its reason.
var unmappedKeys = map[string]string{
	"develop":             "devstack watch syncs into local containers only",
	"attach":              "deploy logs shows every service's logs",
	"container_name":      "Kubernetes names the pods itself",
	"provider":            "provider services run beside a local project only",
	"external_links":      "services reach each other by their Service's name",
	"links":               "services reach each other by their Service's name",
	"net":                 "use networks",
	"pre_start":           "Kubernetes runs no hook before the container starts (an init container can)",
	"blkio_config":        "Kubernetes sets no block IO weights",
	"cgroup":              "Kubernetes chooses the cgroup namespace",
	"cgroup_parent":       "the kubelet places pods in cgroups itself",
	"cpu_count":           "set deploy.resources.limits.cpus",
	"cpu_percent":         "set deploy.resources.limits.cpus",
	"cpu_period":          "set deploy.resources.limits.cpus",
	"cpu_quota":           "set deploy.resources.limits.cpus",
	"cpu_rt_period":       "Kubernetes has no real-time CPU settings",
	"cpu_rt_runtime":      "Kubernetes has no real-time CPU settings",
	"cpu_shares":          "set deploy.resources.reservations.cpus",
	"cpuset":              "the kubelet's CPU manager pins CPUs",
	"credential_spec":     "Windows containers only",
	"device_cgroup_rules": "Kubernetes has no device cgroup rules; devices come from device plugins",
	"devices":             "host devices are refused: a device plugin on the nodes provides them",
	"domainname":          "pods take the cluster's domain",
	"gpus":                "request the GPU device plugin's resource instead",
	"init":                "Kubernetes runs no init process in the container",
	"isolation":           "Windows containers only",
	"logging":             "the nodes' container runtime keeps the logs",
	"log_driver":          "the nodes' container runtime keeps the logs",
	"log_opt":             "the nodes' container runtime keeps the logs",
	"mac_address":         "the cluster's network assigns addresses",
	"memswap_limit":       "the kubelet decides swap",
	"mem_swappiness":      "the kubelet decides swap",
	"models":              "models are served beside a local project only",
	"oom_kill_disable":    "Kubernetes sets no OOM killer settings per container",
	"oom_score_adj":       "the kubelet sets OOM scores from the pod's QoS class",
	"pids_limit":          "the kubelet limits PIDs per pod (--pod-max-pids)",
	"pull_refresh_after":  "Kubernetes pulls by imagePullPolicy only",
	"runtime":             "set a RuntimeClass",
	"stop_signal":         "Kubernetes stops the container with the image's STOPSIGNAL",
	"storage_opt":         "Kubernetes sets no storage driver options",
	"ulimits":             "Kubernetes sets no ulimits per pod",
	"umask":               "Kubernetes sets no umask",
	"use_api_socket":      "a pod has no container engine socket",
	"userns_mode":         "Kubernetes chooses user namespaces (hostUsers)",
	"uts":                 "Kubernetes chooses the UTS namespace",
	"volume_driver":       "volumes are PersistentVolumeClaims of a storage class (--storage-class)",
	"volumes_from":        "mount a named volume in each service instead",
	"dockerfile":          "build the image first (deploy --build)",
}

// reportKeys reports every key of s the mapping leaves out, and any key
// compose-go knows that this table does not (a newer compose-go).
func (m *mapper) reportKeys(s types.ServiceConfig) {
	for _, kv := range composekeys.Service(s) {
		if mappedKeys[kv.Key] || kv.Value.IsZero() {
			continue
		}
		why, ok := unmappedKeys[kv.Key]
		if !ok {
			why = "devstack does not map this key yet"
		}
		m.note(s.Name, kv.Key, "not mapped: %s", why)
	}
}

// topLevel reports the top-level keys that are not mapped.
func (m *mapper) topLevel() {
	if len(m.p.Models) > 0 {
		m.note("", "models", "not mapped: models are served beside a local project only")
	}
	if len(m.p.Jobs) > 0 {
		m.note("", "jobs", "not mapped: use a service with deploy.mode: replicated-job, which becomes a Job")
	}
	for _, name := range sortedKeys(m.p.Networks) {
		n := m.p.Networks[name]
		if n.Driver != "" && n.Driver != "bridge" && n.Driver != "overlay" || len(n.DriverOpts) > 0 || len(n.Ipam.Config) > 0 {
			m.note("", "networks."+name, "driver, driver_opts and ipam not mapped: the cluster's network plugin decides")
		}
		if bool(n.External) {
			m.note("", "networks."+name, "external: only its NetworkPolicy is made, for the project's services")
		}
	}
	for _, name := range sortedKeys(m.p.Volumes) {
		v := m.p.Volumes[name]
		if v.Driver != "" && v.Driver != "local" || len(v.DriverOpts) > 0 {
			m.note("", "volumes."+name, "driver and driver_opts not mapped: a PersistentVolumeClaim of the storage class (--storage-class)")
		}
	}
}
