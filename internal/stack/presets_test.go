package stack

import (
	"context"
	"path/filepath"
	"strings"
	"testing"

	"github.com/devstack/devstack/internal/compose"
)

// Every preset of the catalogue, all selected together (with their
// wiring), converts; the only warnings are about host_ip (presets publish
// on 127.0.0.1, swarm on every address).
func TestPresetsConvert(t *testing.T) {
	ctx := context.Background()
	cat, err := compose.Catalogue(ctx)
	if err != nil {
		t.Fatal(err)
	}
	var names []string
	for _, p := range cat {
		names = append(names, p.Name)
	}
	p, err := compose.Load(ctx, compose.Options{WorkingDir: t.TempDir(), ProjectName: "shop", Presets: names})
	if err != nil {
		t.Fatal(err)
	}
	st, warns, err := Convert(p, Options{})
	if err != nil {
		t.Fatal(err)
	}
	if len(st.Services) != len(names) {
		t.Errorf("%d services for %d presets", len(st.Services), len(names))
	}
	for _, w := range warns {
		if w.Key != "ports.host_ip" {
			t.Errorf("unexpected warning: %s", w)
		}
	}
}

func TestExampleHelloConverts(t *testing.T) {
	p, err := compose.Load(context.Background(), compose.Options{Files: []string{filepath.Join("..", "..", "examples", "hello", "compose.yaml")}})
	if err != nil {
		t.Fatal(err)
	}
	st, _, err := Convert(p, Options{})
	if err != nil {
		t.Fatal(err)
	}
	web := service(t, st, "web")
	check(t, "web", []string{web.Spec.Name, web.DependsOn["db"].Condition, strings.Join(service(t, st, "db").Spec.TaskTemplate.ContainerSpec.Healthcheck.Test, " ")},
		[]string{"hello_web", "service_healthy", "CMD test -f /data/started"})
}
