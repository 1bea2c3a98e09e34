package buildkit

import (
	"encoding/json"
	"errors"
	"reflect"
	"strings"
	"testing"

	"github.com/compose-spec/compose-go/v2/types"
	"github.com/docker/docker/api/types/build"
)

func strp(s string) *string { return &s }

func svc(image, platform string, b *types.BuildConfig) types.ServiceConfig {
	s := types.ServiceConfig{Name: "web"}
	s.Image, s.Platform, s.Build = image, platform, b
	return s
}

func TestMakePlan(t *testing.T) {
	secrets := types.Secrets{
		"npmrc": {File: "/p/npmrc"},
		"token": {Environment: "TOKEN"},
	}
	env := types.Mapping{"TOKEN": "t0k"}
	labels := map[string]string{"l": "v"}
	for _, tc := range []struct {
		name  string
		svc   types.ServiceConfig
		check func(t *testing.T, p Plan)
	}{
		{
			name: "local context, relative dockerfile in a subdir",
			svc: svc("p-web", "", &types.BuildConfig{
				Context: "/p/app", Dockerfile: "docker/Dockerfile.dev", Target: "dev",
				Args: types.MappingWithEquals{"A": strp("1")}, Tags: []string{"p-web:dev"},
				CacheFrom: []string{"p-web:cache"}, NoCache: true, Pull: true, Network: "host",
				ExtraHosts: types.HostsList{"db": {"10.0.0.2"}},
			}),
			check: func(t *testing.T, p Plan) {
				want := build.ImageBuildOptions{
					Version: build.BuilderBuildKit, Tags: []string{"p-web", "p-web:dev"},
					BuildArgs: map[string]*string{"A": strp("1")}, Target: "dev", Labels: labels,
					NoCache: true, PullParent: true, CacheFrom: []string{"p-web:cache"}, NetworkMode: "host",
					ExtraHosts: []string{"db:10.0.0.2"}, Remove: true, ForceRemove: true,
					RemoteContext: "client-session", Dockerfile: "Dockerfile.dev",
				}
				if !reflect.DeepEqual(p.Options, want) {
					t.Errorf("options\n got %+v\nwant %+v", p.Options, want)
				}
				if p.ContextDir != "/p/app" || p.DockerfileDir != "/p/app/docker" {
					t.Errorf("dirs: context %q dockerfile %q", p.ContextDir, p.DockerfileDir)
				}
			},
		},
		{
			name: "absolute dockerfile outside the context",
			svc:  svc("i", "", &types.BuildConfig{Context: "/p/app", Dockerfile: "/elsewhere/Dockerfile"}),
			check: func(t *testing.T, p Plan) {
				if p.DockerfileDir != "/elsewhere" || p.Options.Dockerfile != "Dockerfile" {
					t.Errorf("got %q %q", p.DockerfileDir, p.Options.Dockerfile)
				}
			},
		},
		{
			name: "inline dockerfile",
			svc:  svc("i", "", &types.BuildConfig{Context: "/p", DockerfileInline: "FROM x\n"}),
			check: func(t *testing.T, p Plan) {
				if p.Inline != "FROM x\n" || p.DockerfileDir != "" || p.Options.Dockerfile != "Dockerfile" {
					t.Errorf("got %+v", p)
				}
			},
		},
		{
			name: "git context",
			svc:  svc("i", "", &types.BuildConfig{Context: "https://github.com/o/r.git#main", Dockerfile: "build/Dockerfile"}),
			check: func(t *testing.T, p Plan) {
				if p.ContextDir != "" || p.Options.RemoteContext != "https://github.com/o/r.git#main" || p.Options.Dockerfile != "build/Dockerfile" {
					t.Errorf("got %+v", p)
				}
			},
		},
		{
			name: "one platform; the service's otherwise",
			svc:  svc("i", "linux/arm64", &types.BuildConfig{Context: "/p"}),
			check: func(t *testing.T, p Plan) {
				if p.Options.Platform != "linux/arm64" {
					t.Errorf("platform %q", p.Options.Platform)
				}
			},
		},
		{
			name: "secrets and ssh",
			svc: svc("i", "", &types.BuildConfig{Context: "/p",
				Secrets: []types.ServiceSecretConfig{{Source: "npmrc"}, {Source: "token", Target: "tok"}},
				SSH:     types.SSHConfig{{ID: "default"}, {ID: "key", Path: "/k/id"}},
			}),
			check: func(t *testing.T, p Plan) {
				want := []Secret{{ID: "npmrc", File: "/p/npmrc", Name: "npmrc"}, {ID: "tok", Value: []byte("t0k"), Name: "token"}}
				if !reflect.DeepEqual(p.Secrets, want) {
					t.Errorf("secrets %+v", p.Secrets)
				}
				if !reflect.DeepEqual(p.SSH, []SSH{{ID: "default"}, {ID: "key", Paths: []string{"/k/id"}}}) {
					t.Errorf("ssh %+v", p.SSH)
				}
			},
		},
	} {
		t.Run(tc.name, func(t *testing.T) {
			p, err := MakePlan(tc.svc, secrets, env, labels)
			if err != nil {
				t.Fatal(err)
			}
			tc.check(t, p)
			// The plan reaches devstack-buildkit as JSON: it must arrive whole.
			data, err := json.Marshal(Request{Plan: p})
			if err != nil {
				t.Fatal(err)
			}
			var back Request
			if err := json.Unmarshal(data, &back); err != nil {
				t.Fatal(err)
			}
			if !reflect.DeepEqual(back.Plan, p) {
				t.Errorf("through JSON\n got %+v\nwant %+v", back.Plan, p)
			}
		})
	}
}

func TestMakePlanRefuses(t *testing.T) {
	for _, tc := range []struct {
		build   types.BuildConfig
		want    string
		wantErr error
	}{
		{types.BuildConfig{CacheTo: []string{"type=local,dest=x"}}, "build.cache_to", ErrUnsupported},
		{types.BuildConfig{AdditionalContexts: types.Mapping{"src": "../src"}}, "build.additional_contexts", ErrUnsupported},
		{types.BuildConfig{ShmSize: 1 << 20}, "build.shm_size", ErrUnsupported},
		{types.BuildConfig{Platforms: []string{"linux/amd64", "linux/arm64"}}, "linux/amd64, linux/arm64", ErrUnsupported},
		{types.BuildConfig{Privileged: true}, "build.privileged", ErrUnsupported},
		{types.BuildConfig{Secrets: []types.ServiceSecretConfig{{Source: "nope"}}}, "build secret nope is not defined", ErrSecret},
		{types.BuildConfig{Secrets: []types.ServiceSecretConfig{{Source: "unset"}}}, "variable UNSET_VAR is not set", ErrSecret},
		{types.BuildConfig{Context: "https://example.com/r.git", DockerfileInline: "FROM x"}, "dockerfile_inline with the remote context", ErrUnsupported},
	} {
		s := svc("i", "", &tc.build)
		_, err := MakePlan(s, types.Secrets{"unset": {Environment: "UNSET_VAR"}}, nil, nil)
		if !errors.Is(err, tc.wantErr) || !strings.Contains(err.Error(), tc.want) || !strings.Contains(err.Error(), "service web") {
			t.Errorf("%+v: error %v; want %v naming service web and %q", tc.build, err, tc.wantErr, tc.want)
		}
	}
}

func TestDockerfileHints(t *testing.T) {
	if got := SyntaxLine("# escape=`\n# syntax = docker/dockerfile:1.4\nFROM x\n"); got != "docker/dockerfile:1.4" {
		t.Errorf("SyntaxLine = %q", got)
	}
	if got := SyntaxLine("FROM x\n# syntax=docker/dockerfile:1\n"); got != "" {
		t.Errorf("syntax after FROM: %q, want none", got)
	}
	if !HasHeredoc("FROM x\nRUN <<EOF\necho\nEOF\n") || !HasHeredoc("COPY <<-'X' /f\nX\n") || HasHeredoc("FROM x\nRUN echo '<<no'\n") {
		t.Error("HasHeredoc")
	}
}
