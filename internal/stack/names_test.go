package stack

import (
	"strings"
	"testing"
)

func TestValidName(t *testing.T) {
	for _, c := range []struct {
		name, inner string
		max         int
		want        bool
	}{
		{"shop_web", "-_", 63, true},
		{"shop_web-1", "-_", 63, true},
		{"shop_api.v1", "-_", 63, false},
		{"shop_web_", "-_", 63, false},
		{"_web", "-_", 63, false},
		{"", "-_", 63, false},
		{strings.Repeat("a", 63), "-_", 63, true},
		{strings.Repeat("a", 64), "-_", 63, false},
		{"shop_k.txt-0123456789", "-_.", 64, true},
		{"shop_k/x", "-_.", 64, false},
		{"a", "-_", 63, true},
	} {
		if got := validName(c.name, c.inner, c.max); got != c.want {
			t.Errorf("validName(%q, %q, %d) = %v, want %v", c.name, c.inner, c.max, got, c.want)
		}
	}
}

func TestServiceNameRefused(t *testing.T) {
	_, _, err := Convert(load(t, "services:\n  api.v1: {image: a}\n"), Options{})
	want := "invalid for swarm: service api.v1: swarm service name shop_api.v1 must have only letters, digits, - and _, start and end with a letter or digit, and be at most 63 characters"
	if err == nil || err.Error() != want {
		t.Errorf("err = %v", err)
	}
}

func TestNetworkNameRefused(t *testing.T) {
	_, _, err := Convert(load(t, webYAML("networks: [n]", "networks:\n  n: {name: my.net}\n")), Options{})
	want := "invalid for swarm: network n: swarm network name my.net must have only letters, digits, - and _, start and end with a letter or digit, and be at most 63 characters; give it another name: or key"
	if err == nil || err.Error() != want {
		t.Errorf("err = %v", err)
	}
	if _, _, err := Convert(load(t, webYAML("networks: [n]", "networks:\n  n: {name: my.net, external: true}\n")), Options{}); err != nil {
		t.Errorf("an external network keeps whatever name it has: %v", err)
	}
}
