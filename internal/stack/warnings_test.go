package stack

import (
	"slices"
	"testing"

	"github.com/compose-spec/compose-go/v2/types"

	"github.com/devstack/devstack/internal/composekeys"
)

func TestWarnings(t *testing.T) {
	for _, c := range []struct {
		name, body string
		want       []string
	}{
		{"none", "environment: {A: b}", nil},
		{"build with image", "build: .", []string{"service web: key build has no meaning on swarm (the image web:1 must be built and pushed beforehand); ignored"}},
		{"ignored keys, one each", "container_name: web1\nprivileged: true\nnetwork_mode: host\npid: host\nipc: host\nsecurity_opt: [\"label:disable\"]\ncgroup_parent: p\nuserns_mode: host\nmac_address: 02:42:ac:11:00:02", []string{
			"service web: key cgroup_parent has no meaning on swarm; ignored",
			"service web: key container_name has no meaning on swarm (swarm names the tasks itself); ignored",
			"service web: key ipc has no meaning on swarm; ignored",
			"service web: key mac_address has no meaning on swarm; ignored",
			"service web: key network_mode has no meaning on swarm (attach the service to networks instead); ignored",
			"service web: key pid has no meaning on swarm; ignored",
			"service web: key privileged has no meaning on swarm; ignored",
			"service web: key security_opt has no meaning on swarm; ignored",
			"service web: key userns_mode has no meaning on swarm; ignored",
		}},
		{"resources outside deploy", "mem_limit: 64m\ncpus: 0.5", []string{
			"service web: key cpus has no meaning on swarm (set deploy.resources.limits.cpus); ignored",
			"service web: key mem_limit has no meaning on swarm (set deploy.resources.limits.memory); ignored",
		}},
		{"devices and links", "devices: [/dev/null]\nexternal_links: [db]\nexpose: [\"80\"]", []string{
			"service web: key devices has no meaning on swarm; ignored",
			"service web: key expose has no meaning on swarm (services on the same network reach each other on any port); ignored",
			"service web: key external_links has no meaning on swarm; ignored",
		}},
		{"restart overridden", "restart: always\ndeploy: {restart_policy: {condition: any}}", []string{"service web: key restart is overridden by deploy.restart_policy; ignored"}},
		{"port host_ip once", "ports: [\"127.0.0.1:80:80\", \"127.0.0.1:81:81\"]", []string{"service web: key ports.host_ip has no meaning on swarm (a port is published on every address of every node); ignored"}},
		{"static address", "networks: {default: {ipv4_address: 10.0.0.5}}", []string{"service web: key networks.default.ipv4_address has no meaning on swarm; ignored"}},
		{"selinux relabel", "volumes: [\"/srv:/srv:z\"]", []string{"service web: key volumes.bind.selinux has no meaning on swarm; ignored"}},
		{"tmpfs option", "tmpfs: [\"/run:noexec\"]", []string{"service web: key tmpfs.noexec has no meaning on swarm; ignored"}},
		{"reservation devices", "deploy: {resources: {reservations: {devices: [{capabilities: [gpu]}]}}}", []string{"service web: key deploy.resources.reservations.devices has no meaning on swarm; ignored"}},
	} {
		t.Run(c.name, func(t *testing.T) {
			_, warns := mustConvert(t, webYAML(c.body, ""))
			var got []string
			for _, w := range warns {
				got = append(got, w.String())
			}
			slices.Sort(got)
			check(t, c.name, got, c.want)
		})
	}
}

func TestWarningDependsOnRestart(t *testing.T) {
	_, warns := mustConvert(t, `
services:
  web: {image: w, depends_on: {db: {condition: service_healthy, restart: true}}}
  db: {image: d}
`)
	check(t, "warnings", warns, []Warning{{Service: "web", Key: "depends_on.db.restart", Message: ignored}})
}

// mappedKeys are the service keys Convert maps onto the spec (or that the
// loader has already resolved). With ignoredKeys they must cover every key
// of compose-go's model, so a key compose-go adds is never dropped silently.
var mappedKeys = []string{
	"build", "cap_add", "cap_drop", "command", "configs", "credential_spec", "depends_on", "deploy",
	"dns", "dns_opt", "dns_search", "entrypoint", "env_file", "environment", "extends", "extra_hosts",
	"group_add", "healthcheck", "hostname", "image", "init", "isolation", "label_file", "labels",
	"logging", "name", "networks", "oom_score_adj", "ports", "profiles", "read_only", "restart",
	"scale", "secrets", "stdin_open", "stop_grace_period", "stop_signal", "sysctls", "tmpfs", "tty",
	"ulimits", "user", "volumes", "working_dir",
}

func TestEveryKeyMappedOrWarned(t *testing.T) {
	for _, kv := range composekeys.Service(types.ServiceConfig{}) {
		_, warned := ignoredKeys[kv.Key]
		mapped := slices.Contains(mappedKeys, kv.Key)
		if warned == mapped {
			t.Errorf("service key %s: mapped %v, warned %v; want exactly one", kv.Key, mapped, warned)
		}
	}
}

func TestWarningsInStableOrder(t *testing.T) {
	yaml := webYAML("networks: {a: {ipv4_address: 10.0.0.5}, b: {ipv4_address: 10.0.1.5}, c: {ipv4_address: 10.0.2.5}}", "networks:\n  a: {}\n  b: {}\n  c: {}\n")
	var first []Warning
	for i := 0; i < 10; i++ {
		_, warns := mustConvert(t, yaml)
		if i == 0 {
			first = warns
			continue
		}
		check(t, "warnings", warns, first)
	}
}
