package stack

import (
	"testing"

	"github.com/docker/docker/api/types/network"
	"github.com/docker/docker/api/types/swarm"
)

func TestConvertNetworks(t *testing.T) {
	st, _ := mustConvert(t, `
services:
  web:
    image: web:1
    networks:
      front: {aliases: [www, site]}
      back: {driver_opts: {com.example.opt: "1"}}
      edge: {}
      plain: {use_service_name_alias: false}
  worker:
    image: w:1
networks:
  front: {attachable: true, labels: {tier: front}}
  back:
    driver: overlay
    internal: true
    driver_opts: {encrypted: "true"}
    ipam: {driver: default, config: [{subnet: 10.9.0.0/24, gateway: 10.9.0.1}]}
  edge: {external: true, name: public_edge}
  plain: {name: plain_net}
  unused: {}
`)
	check(t, "web attachments", service(t, st, "web").Spec.TaskTemplate.Networks, []swarm.NetworkAttachmentConfig{
		{Target: "plain_net"},
		{Target: "public_edge", Aliases: []string{"web"}},
		{Target: "shop_back", Aliases: []string{"web"}, DriverOpts: map[string]string{"com.example.opt": "1"}},
		{Target: "shop_front", Aliases: []string{"www", "site", "web"}},
	})
	check(t, "worker on the default network", service(t, st, "worker").Spec.TaskTemplate.Networks, []swarm.NetworkAttachmentConfig{{Target: "shop_default", Aliases: []string{"worker"}}})
	label := func(extra map[string]string) map[string]string {
		out := map[string]string{LabelNamespace: "shop"}
		for k, v := range extra {
			out[k] = v
		}
		return out
	}
	check(t, "stack networks", st.Networks, []Network{
		{Name: "plain_net", Key: "plain", Create: network.CreateOptions{Driver: "overlay", Scope: "swarm", Labels: label(nil)}},
		{Name: "public_edge", Key: "edge", External: true},
		{Name: "shop_back", Key: "back", Create: network.CreateOptions{
			Driver: "overlay", Scope: "swarm", Internal: true, Options: map[string]string{"encrypted": "true"}, Labels: label(nil),
			IPAM: &network.IPAM{Driver: "default", Config: []network.IPAMConfig{{Subnet: "10.9.0.0/24", Gateway: "10.9.0.1"}}},
		}},
		{Name: "shop_default", Key: "default", Create: network.CreateOptions{Driver: "overlay", Scope: "swarm", Labels: label(nil)}},
		{Name: "shop_front", Key: "front", Create: network.CreateOptions{Driver: "overlay", Scope: "swarm", Attachable: true, Labels: label(map[string]string{"tier": "front"})}},
	})
}

func TestNamespaceOption(t *testing.T) {
	p := load(t, webYAML("volumes: [data:/d]\nsecrets: [k]", "volumes:\n  data: {}\nsecrets:\n  k: {environment: HOME}\n"))
	st, _, err := Convert(p, Options{Namespace: "prod"})
	if err != nil {
		t.Fatal(err)
	}
	s := st.Services[0]
	check(t, "names", []string{st.Namespace, s.Spec.Name, st.Networks[0].Name, st.Volumes[0].Name, st.Secrets[0].Name[:len("prod_k-")], s.Spec.Labels[LabelNamespace]},
		[]string{"prod", "prod_web", "prod_default", "prod_data", "prod_k-", "prod"})
}

func TestBridgeNetworkBecomesOverlay(t *testing.T) {
	st, warns := mustConvert(t, webYAML("networks: [back]", "networks:\n  back: {driver: bridge, driver_opts: {com.docker.network.bridge.name: br9}}\n"))
	check(t, "driver", []any{st.Networks[0].Create.Driver, st.Networks[0].Create.Options}, []any{"overlay", map[string]string(nil)})
	check(t, "warning", warns, []Warning{{Key: "networks.back.driver", Message: "bridge is local to one node; the stack uses overlay (and drops the bridge's driver_opts)"}})
	check(t, "text", warns[0].String(), "networks.back.driver: bridge is local to one node; the stack uses overlay (and drops the bridge's driver_opts)")
}

func TestNetworkModeServiceGetsDefaultNetwork(t *testing.T) {
	st, warns := mustConvert(t, webYAML("network_mode: host", ""))
	check(t, "networks", []string{st.Networks[0].Name, st.Services[0].Spec.TaskTemplate.Networks[0].Target}, []string{"shop_default", "shop_default"})
	check(t, "warning", warns[0].Key, "network_mode")
}
