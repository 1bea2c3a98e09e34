package stack

import (
	"errors"
	"os"
	"reflect"
	"strings"
	"testing"
)

func TestConvertMinimal(t *testing.T) {
	st, _ := mustConvert(t, `
services:
  web:
    image: web:1
    entrypoint: [/bin/sh, -c]
    command: [echo hi]
    environment: {B: "2", A: "1"}
    labels: {tier: front}
    deploy:
      replicas: 3
      endpoint_mode: dnsrr
      labels: {team: shop}
    networks:
      back: {aliases: [www]}
  db:
    image: db:1
networks:
  back: {}
`)
	if st.Namespace != "shop" {
		t.Errorf("namespace %q", st.Namespace)
	}
	web := service(t, st, "web")
	spec := web.Spec
	cs := spec.TaskTemplate.ContainerSpec
	for _, c := range []struct {
		name      string
		got, want any
	}{
		{"name", spec.Name, "shop_web"},
		{"image", cs.Image, "web:1"},
		{"entrypoint", cs.Command, []string{"/bin/sh", "-c"}},
		{"command", cs.Args, []string{"echo hi"}},
		{"env", cs.Env, []string{"A=1", "B=2"}},
		{"replicas", *spec.Mode.Replicated.Replicas, uint64(3)},
		{"endpoint mode", string(spec.EndpointSpec.Mode), "dnsrr"},
		{"service labels", spec.Labels, map[string]string{"team": "shop", LabelNamespace: "shop", LabelImage: "web:1", LabelHash: web.Hash}},
		{"container labels", cs.Labels, map[string]string{"tier": "front", LabelNamespace: "shop"}},
		{"networks", len(spec.TaskTemplate.Networks), 1},
		{"network", spec.TaskTemplate.Networks[0].Target, "shop_back"},
		{"aliases", spec.TaskTemplate.Networks[0].Aliases, []string{"www", "web"}},
		{"db on default", service(t, st, "db").Spec.TaskTemplate.Networks[0].Target, "shop_default"},
		{"stack networks", []string{st.Networks[0].Name, st.Networks[1].Name}, []string{"shop_back", "shop_default"}},
		{"overlay", st.Networks[0].Create.Driver, "overlay"},
		{"network label", st.Networks[0].Create.Labels[LabelNamespace], "shop"},
	} {
		if !reflect.DeepEqual(c.got, c.want) {
			t.Errorf("%s: got %#v, want %#v", c.name, c.got, c.want)
		}
	}
}

func TestConvertNoImage(t *testing.T) {
	p := load(t, "services:\n  web:\n    image: x\n")
	s := p.Services["web"]
	s.Image = ""
	p.Services["web"] = s
	_, _, err := Convert(p, Options{})
	if !errors.Is(err, ErrNoImage) || err.Error() != "no image: service web has neither image nor build" {
		t.Errorf("err = %v", err)
	}
}

func TestConvertErrors(t *testing.T) {
	for _, c := range []struct {
		name, body, top string
		want            string
	}{
		{"bad mode", "deploy: {mode: daemon}", "", `invalid for swarm: service web: deploy.mode "daemon" (want replicated, global, replicated-job or global-job)`},
		{"replicas with global", "deploy: {mode: global, replicas: 2}", "", "invalid for swarm: service web: deploy.replicas is for replicated modes, not mode global"},
		{"bad endpoint mode", "deploy: {endpoint_mode: lb}", "", `invalid for swarm: service web: deploy.endpoint_mode "lb" (want vip or dnsrr)`},
		{"dnsrr with ingress port", "deploy: {endpoint_mode: dnsrr}\nports: [\"8080:80\"]", "", "invalid for swarm: service web: port 80 is published in ingress mode, which endpoint_mode dnsrr cannot serve; use mode: host for it"},
		{"port range for one target", "ports: [\"9000-9010:90\"]", "", `invalid for swarm: service web: port 90: published "9000-9010": swarm publishes one port per target, not a range to choose from; name one port, or as many targets as ports (8000-8001:80-81)`},
		{"rollback failure_action rollback", "deploy: {rollback_config: {failure_action: rollback}}", "", `invalid for swarm: service web: deploy.rollback_config.failure_action "rollback" (want pause, continue)`},
		{"bad restart_policy condition", "deploy: {restart_policy: {condition: always}}", "", `invalid for swarm: service web: deploy.restart_policy.condition "always" (want none, on-failure or any)`},
		{"unset secret variable", "secrets: [k]", "secrets:\n  k: {environment: DEVSTACK_TEST_UNSET_X}\n", "service web: cannot read secret k: environment variable DEVSTACK_TEST_UNSET_X is not set"},
		{"unset config variable", "configs: [k]", "configs:\n  k: {environment: DEVSTACK_TEST_UNSET_X}\n", "service web: cannot read config k: environment variable DEVSTACK_TEST_UNSET_X is not set"},
		{"secret name too long", "secrets: [k]", "secrets:\n  k: {environment: HOME, name: " + strings.Repeat("x", 60) + "}\n", "service web: invalid for swarm: secret k: name " + strings.Repeat("x", 60) + "-" + "DIGEST must have only letters, digits, -, _ and ., start and end with a letter or digit, and be at most 64 characters; give it another name: or key"},
		{"bad tmpfs size", "tmpfs: [\"/run:size=lots\"]", "", `invalid for swarm: service web: tmpfs /run:size=lots: size "lots": invalid size: 'lots'`},
	} {
		t.Run(c.name, func(t *testing.T) {
			_, _, err := Convert(load(t, webYAML(c.body, c.top)), Options{})
			if err != nil && strings.Contains(c.want, "DIGEST") {
				c.want = strings.Replace(c.want, "DIGEST", digest(os.Getenv("HOME")), 1)
			}
			if err == nil || err.Error() != c.want {
				t.Errorf("err = %v\nwant   %s", err, c.want)
			}
		})
	}
}
