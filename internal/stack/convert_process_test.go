package stack

import (
	"testing"
	"time"

	"github.com/docker/docker/api/types/container"
	"github.com/docker/docker/api/types/swarm"
)

func TestConvertProcess(t *testing.T) {
	cs := func(s Service) *swarm.ContainerSpec { return s.Spec.TaskTemplate.ContainerSpec }
	for _, c := range []struct {
		name string
		body string
		got  func(Service) any
		want any
	}{
		{"user, working_dir, hostname", "user: \"1000:1000\"\nworking_dir: /app\nhostname: box", func(s Service) any { return []string{cs(s).User, cs(s).Dir, cs(s).Hostname} }, []string{"1000:1000", "/app", "box"}},
		{"environment sorted, resolved", "environment: [\"Z=1\", \"A=$$x\", \"M=${HOME_X:-d}\"]", func(s Service) any { return cs(s).Env }, []string{"A=$x", "M=d", "Z=1"}},
		{"env_file", "env_file: web.env\nenvironment: {B: b}", func(s Service) any { return cs(s).Env }, []string{"B=b", "F=f"}},
		{"stop_grace_period, stop_signal", "stop_grace_period: 1m30s\nstop_signal: SIGINT", func(s Service) any { return []any{*cs(s).StopGracePeriod, cs(s).StopSignal} }, []any{90 * time.Second, "SIGINT"}},
		{"init", "init: true", func(s Service) any { return *cs(s).Init }, true},
		{"caps", "cap_add: [NET_ADMIN]\ncap_drop: [ALL]", func(s Service) any { return [][]string{cs(s).CapabilityAdd, cs(s).CapabilityDrop} }, [][]string{{"NET_ADMIN"}, {"ALL"}}},
		{"sysctls", "sysctls: {net.core.somaxconn: 1024}", func(s Service) any { return cs(s).Sysctls }, map[string]string{"net.core.somaxconn": "1024"}},
		{"ulimits", "ulimits: {nproc: 65535, nofile: {soft: 1024, hard: 2048}}", func(s Service) any { return cs(s).Ulimits }, []*container.Ulimit{{Name: "nofile", Soft: 1024, Hard: 2048}, {Name: "nproc", Soft: 65535, Hard: 65535}}},
		{"read_only", "read_only: true", func(s Service) any { return cs(s).ReadOnly }, true},
		{"dns", "dns: [10.0.0.2]\ndns_search: [example.com]\ndns_opt: [ndots:2]", func(s Service) any { return cs(s).DNSConfig }, &swarm.DNSConfig{Nameservers: []string{"10.0.0.2"}, Search: []string{"example.com"}, Options: []string{"ndots:2"}}},
		{"extra_hosts in hosts-file form, sorted", "extra_hosts: [\"b:10.0.0.2\", \"a=10.0.0.1\"]", func(s Service) any { return cs(s).Hosts }, []string{"10.0.0.1 a", "10.0.0.2 b"}},
		{"healthcheck", "healthcheck: {test: [CMD, \"true\"], interval: 5s, timeout: 2s, retries: 3, start_period: 10s}", func(s Service) any { return cs(s).Healthcheck }, &container.HealthConfig{Test: []string{"CMD", "true"}, Interval: 5 * time.Second, Timeout: 2 * time.Second, Retries: 3, StartPeriod: 10 * time.Second}},
		{"healthcheck disable", "healthcheck: {disable: true}", func(s Service) any { return cs(s).Healthcheck.Test }, []string{"NONE"}},
		{"tty, stdin_open", "tty: true\nstdin_open: true", func(s Service) any { return []bool{cs(s).TTY, cs(s).OpenStdin} }, []bool{true, true}},
		{"group_add", "group_add: [audio]", func(s Service) any { return cs(s).Groups }, []string{"audio"}},
		{"oom_score_adj", "oom_score_adj: 500", func(s Service) any { return cs(s).OomScoreAdj }, int64(500)},
		{"logging", "logging: {driver: json-file, options: {max-size: 1m}}", func(s Service) any { return s.Spec.TaskTemplate.LogDriver }, &swarm.Driver{Name: "json-file", Options: map[string]string{"max-size": "1m"}}},
		{"command string", "command: echo hi", func(s Service) any { return cs(s).Args }, []string{"echo", "hi"}},
		{"image label", "", func(s Service) any { return s.Spec.Labels[LabelImage] }, "web:1"},
	} {
		t.Run(c.name, func(t *testing.T) {
			check(t, c.name, c.got(web(t, c.body, "", "web.env", "F=f\n")), c.want)
		})
	}
}
