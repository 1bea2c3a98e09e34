package convert

import (
	"strings"
	"testing"

	"github.com/devstack/devstack/internal/presets"
)

const caYAML = `
services:
  plain:
    image: busybox
  own:
    image: busybox
    environment:
      NODE_EXTRA_CA_CERTS: /app/ca.pem
      SSL_CERT_FILE:
  optout:
    image: busybox
    x-devstack: {ca: false}
  optin:
    image: busybox
    x-devstack: {ca: true, domains: [a.localhost]}
  mounted:
    image: busybox
    volumes: ["/srv/certs:/etc/ssl/devstack:ro"]
`

// wantsCA is presets.CAOf, which the caller passes in.
var wantsCA = presets.CAOf

func TestOfferCA(t *testing.T) {
	const dir = "/home/u/.local/share/devstack/router/offer"
	tests := []struct {
		name    string
		offer   CAOffer
		service string
		env     []string // the container's environment
		binds   []string
	}{
		{"no bundle: the variables that add", CAOffer{Dir: dir, Wants: wantsCA}, "plain",
			[]string{"DEVSTACK_CA_CERT=/etc/ssl/devstack/ca.pem", "NODE_EXTRA_CA_CERTS=/etc/ssl/devstack/ca.pem"},
			[]string{dir + ":/etc/ssl/devstack:ro"}},
		{"a bundle: those that replace too", CAOffer{Dir: dir, Bundle: true, Wants: wantsCA}, "plain",
			[]string{"DEVSTACK_CA_CERT=/etc/ssl/devstack/ca.pem", "NODE_EXTRA_CA_CERTS=/etc/ssl/devstack/ca.pem",
				"REQUESTS_CA_BUNDLE=/etc/ssl/devstack/bundle.pem", "SSL_CERT_FILE=/etc/ssl/devstack/bundle.pem"},
			[]string{dir + ":/etc/ssl/devstack:ro"}},
		{"the compose file's environment wins, unset ones too", CAOffer{Dir: dir, Bundle: true, Wants: wantsCA}, "own",
			[]string{"DEVSTACK_CA_CERT=/etc/ssl/devstack/ca.pem", "NODE_EXTRA_CA_CERTS=/app/ca.pem",
				"REQUESTS_CA_BUNDLE=/etc/ssl/devstack/bundle.pem"},
			[]string{dir + ":/etc/ssl/devstack:ro"}},
		{"ca: false opts out", CAOffer{Dir: dir, Bundle: true, Wants: wantsCA}, "optout", []string{}, nil},
		{"ca: true beside domains", CAOffer{Dir: dir, Wants: wantsCA}, "optin",
			[]string{"DEVSTACK_CA_CERT=/etc/ssl/devstack/ca.pem", "NODE_EXTRA_CA_CERTS=/etc/ssl/devstack/ca.pem"},
			[]string{dir + ":/etc/ssl/devstack:ro"}},
		{"its own mount there: left alone", CAOffer{Dir: dir, Bundle: true, Wants: wantsCA}, "mounted", []string{}, []string{"/srv/certs:/etc/ssl/devstack:ro"}},
		{"no offer (router off): nothing", CAOffer{}, "plain", []string{}, nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			p := load(t, caYAML)
			if err := OfferCA(p, tt.offer); err != nil {
				t.Fatal(err)
			}
			once := ServiceHash(p.Services[tt.service])
			if err := OfferCA(p, tt.offer); err != nil { // twice is once
				t.Fatal(err)
			}
			if again := ServiceHash(p.Services[tt.service]); again != once {
				t.Errorf("a second OfferCA changed the service")
			}
			spec, err := ContainerSpec(p, p.Services[tt.service], 1, "", "h", Target{})
			if err != nil {
				t.Fatal(err)
			}
			eq(t, spec.Config.Env, tt.env)
			eq(t, spec.Host.Binds, tt.binds)
		})
	}
}

// The offer is in the config hash only when made: turning the router on
// or off recreates the containers; a service that opts out keeps its hash.
func TestOfferCAHash(t *testing.T) {
	off := load(t, caYAML)
	on := load(t, caYAML)
	if err := OfferCA(on, CAOffer{Dir: "/d", Bundle: true, Wants: wantsCA}); err != nil {
		t.Fatal(err)
	}
	for name, changed := range map[string]bool{"plain": true, "own": true, "optin": true, "optout": false, "mounted": false} {
		h0, h1 := ConfigHash(off.Services[name], nil), ConfigHash(on.Services[name], nil)
		if (h0 != h1) != changed {
			t.Errorf("%s: hash changed = %v, want %v", name, h0 != h1, changed)
		}
	}
}

func TestOfferCABadKey(t *testing.T) {
	p := load(t, "services:\n  web:\n    image: busybox\n    x-devstack: {ca: sometimes}\n")
	err := OfferCA(p, CAOffer{Dir: "/d", Wants: wantsCA})
	if err == nil || !strings.Contains(err.Error(), "service web") || !strings.Contains(err.Error(), "x-devstack.ca") {
		t.Fatalf("err = %v, want one naming the service and the key", err)
	}
}
