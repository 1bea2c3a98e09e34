package convert

import (
	"errors"
	"os"
	"strings"
	"testing"
)

func TestContainerSpecBadInput(t *testing.T) {
	tests := []struct{ name, yaml, want string }{
		{"negative cpus", "services: {web: {image: img, cpus: -1}}", "service web: cpus: -1 is negative"},
		{"negative mem_limit", "services: {web: {image: img, mem_limit: -1}}", "service web: mem_limit: -1 is negative"},
		{"memory below the minimum", "services: {web: {image: img, deploy: {resources: {limits: {memory: 1k}}}}}", "service web: deploy.resources.limits.memory: 1024 bytes is below"},
		{"reservation above limit", "services: {web: {image: img, mem_limit: 64m, mem_reservation: 128m}}", "service web: mem_reservation:"},
		{"swap below memory", "services: {web: {image: img, mem_limit: 64m, memswap_limit: 32m}}", "service web: memswap_limit:"},
		{"swap without memory", "services: {web: {image: img, memswap_limit: 32m}}", "service web: memswap_limit: needs a memory limit"},
		{"negative shm_size", "services: {web: {image: img, shm_size: -1}}", "service web: shm_size: -1 is negative"},
		{"ulimit soft above hard", "services: {web: {image: img, ulimits: {nofile: {soft: 10, hard: 5}}}}", "service web: ulimits.nofile: soft limit 10 is above the hard limit 5"},
		{"swappiness", "services: {web: {image: img, mem_swappiness: 101}}", "service web: mem_swappiness: 101 is outside 0-100"},
		{"bad platform", "services: {web: {image: img, platform: linux//}}", "service web: platform"},
		{"hostname with uts host", "services: {web: {image: img, hostname: h, uts: host}}", "service web: hostname cannot be combined with uts: host"},
		{"ports with network_mode service", "services: {db: {image: img}, web: {image: img, network_mode: 'service:db', ports: ['80']}}", "service web: ports cannot be combined with network_mode: service:db"},
		{"hostname with network_mode service", "services: {db: {image: img}, web: {image: img, network_mode: 'service:db', hostname: x}}", "service web: hostname cannot be combined with network_mode: service:db"},
		{"mac_address with network_mode host", "services: {web: {image: img, network_mode: host, mac_address: '02:42:ac:11:00:01'}}", "service web: mac_address cannot be combined with network_mode: host"},
		{"two MACs", "services: {web: {image: img, mac_address: 02:42:ac:11:00:01, networks: {default: {mac_address: 02:42:ac:11:00:02}}}}", "service web: mac_address"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			p := load(t, tt.yaml)
			err := CheckSpecs(p, Target{APIVersion: "1.41", ReadFile: os.ReadFile})
			if err == nil || !errors.Is(err, ErrInvalidConfig) || !strings.Contains(err.Error(), tt.want) {
				t.Fatalf("got %v, want ErrInvalidConfig with %q", err, tt.want)
			}
		})
	}
	// References resolve to stand-ins when checking: nothing exists yet.
	p := load(t, "services: {db: {image: img}, web: {image: img, volumes_from: [db], network_mode: 'service:db'}}")
	if err := CheckSpecs(p, Target{APIVersion: "1.41", ReadFile: os.ReadFile}); err != nil {
		t.Fatal(err)
	}
	// Creating without the referenced container names service and key.
	_, err := ContainerSpec(p, p.Services["web"], 1, "", "", Target{})
	if !errors.Is(err, ErrNoContainer) || !strings.Contains(err.Error(), "service web: volumes_from: service db has no container") {
		t.Fatalf("got %v", err)
	}
}

func TestKeysNeedingAPI(t *testing.T) {
	p := load(t, `
services:
  web:
    image: img
    annotations: {a: b}
    healthcheck: {test: [CMD, "true"], start_interval: 1s}
    networks:
      front: {priority: 5, mac_address: "02:42:ac:11:00:07"}
      back: {mac_address: "02:42:ac:11:00:08", gw_priority: 2}
networks: {front: {}, back: {}}
`)
	s := p.Services["web"]
	eq(t, keysNeedingAPI(s, "1.41"), []apiKey{
		{"annotations", "1.43"}, {"healthcheck.start_interval", "1.44"},
		{"networks.back.mac_address", "1.44"}, {"networks.back.gw_priority", "1.48"},
	})
	eq(t, keysNeedingAPI(s, "1.44"), []apiKey{{"networks.back.gw_priority", "1.48"}})
	eq(t, keysNeedingAPI(s, "1.51"), []apiKey(nil))
	eq(t, specFor(t, "services: {web: {image: img, annotations: {a: b}}}", Target{APIVersion: "1.41"}).Host.Annotations, map[string]string(nil))
}
