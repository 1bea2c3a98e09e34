package compose

import (
	"context"
	"errors"
	"slices"
	"strings"
	"testing"
)

func TestResolve(t *testing.T) {
	withFile := write(t, map[string]string{"compose.yaml": "services:\n  web: {image: web}\n  redis: {image: mine}\n"})
	bare := write(t, map[string]string{"README": "no compose file"})
	tests := []struct {
		name      string
		dir       string
		names     []string
		added     []string
		services  []string
		image     map[string]string
		errIs     error
		errSubstr string
	}{
		{"bare dir: presets only", bare, []string{"redis"}, []string{"redis"}, []string{"redis"}, map[string]string{"redis": "redis:"}, nil, ""},
		{"the file wins over a preset of the same name", withFile, []string{"web", "redis"}, nil, []string{"redis", "web"}, map[string]string{"redis": "mine"}, nil, ""},
		{"close match suggested", bare, []string{"rediss"}, nil, nil, nil, ErrUnknownPreset, `"rediss" (did you mean redis?)`},
		{"unknown lists the project's services", withFile, []string{"wbe"}, nil, nil, nil, ErrUnknownPreset, "the project's services: redis, web"},
		{"bare dir without names", bare, nil, nil, nil, nil, ErrNoConfig, "name presets"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r, err := Resolve(context.Background(), Options{WorkingDir: tt.dir}, tt.names)
			if tt.errIs != nil {
				if !errors.Is(err, tt.errIs) || !strings.Contains(err.Error(), tt.errSubstr) {
					t.Fatalf("got %v, want %v containing %q", err, tt.errIs, tt.errSubstr)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			eqStrings(t, r.Added, tt.added)
			got := r.Selected.ServiceNames()
			slices.Sort(got)
			eqStrings(t, got, tt.services)
			for svc, prefix := range tt.image {
				if img := r.Selected.Services[svc].Image; !strings.HasPrefix(img, prefix) {
					t.Errorf("%s image %q, want prefix %q", svc, img, prefix)
				}
			}
		})
	}
}

func TestScaffold(t *testing.T) {
	sc, err := NewScaffold([]string{"redis"})
	if err != nil {
		t.Fatal(err)
	}
	for _, want := range []string{"services:", "redis:", "${REDIS_PORT:-6379}"} {
		if !strings.Contains(string(sc.Compose), want) {
			t.Errorf("compose.yaml lacks %q:\n%s", want, sc.Compose)
		}
	}
	for _, want := range []string{"REDIS_PORT=6379", "# REDIS_IMAGE="} {
		if !strings.Contains(string(sc.Env), want) {
			t.Errorf(".env lacks %q:\n%s", want, sc.Env)
		}
	}
	dir := write(t, map[string]string{"compose.yaml": string(sc.Compose), ".env": string(sc.Env) + "REDIS_PORT=7000\n"})
	p, err := Load(context.Background(), Options{WorkingDir: dir})
	if err != nil {
		t.Fatalf("scaffold does not load: %v", err)
	}
	if got := p.Services["redis"].Ports[0].Published; got != "7000" {
		t.Errorf("the .env knob did not apply: port %s", got)
	}
	if _, err := NewScaffold([]string{"mysq1"}); !errors.Is(err, ErrUnknownPreset) {
		t.Errorf("unknown preset: %v", err)
	}
}

func eqStrings(t *testing.T, got, want []string) {
	t.Helper()
	if strings.Join(got, ",") != strings.Join(want, ",") {
		t.Errorf("got %v, want %v", got, want)
	}
}
