package convert

import (
	"testing"

	"github.com/compose-spec/compose-go/v2/types"
	"github.com/devstack/devstack/internal/version"
	"github.com/docker/docker/api/types/mount"
)

// The binds and mounts docker compose sends for each volume form
// (pkg/compose/create.go: buildContainerVolumes, buildMount).
func TestConvertMounts(t *testing.T) {
	mode := types.FileMode(0o400)
	tests := []struct {
		name       string
		vols       []types.ServiceVolumeConfig
		mod        func(*types.Project, *types.ServiceConfig)
		wantBinds  []string
		wantMounts []mount.Mount
	}{
		{"short bind goes as Binds (engine creates the host path)",
			[]types.ServiceVolumeConfig{{Type: "bind", Source: "/src", Target: "/app", Bind: &types.ServiceVolumeBind{CreateHostPath: true}}},
			nil, []string{"/src:/app:rw"}, nil},
		{"long bind without options, read-only, selinux",
			[]types.ServiceVolumeConfig{{Type: "bind", Source: "/src", Target: "/app", ReadOnly: true, Bind: &types.ServiceVolumeBind{CreateHostPath: true, SELinux: "z"}}},
			nil, []string{"/src:/app:ro,z"}, nil},
		{"bind with propagation needs the Mount API",
			[]types.ServiceVolumeConfig{{Type: "bind", Source: "/src", Target: "/app", Bind: &types.ServiceVolumeBind{CreateHostPath: true, Propagation: "rshared"}}},
			nil, nil, []mount.Mount{{Type: "bind", Source: "/src", Target: "/app", BindOptions: &mount.BindOptions{Propagation: "rshared", CreateMountpoint: true}}}},
		{"bind with create_host_path false",
			[]types.ServiceVolumeConfig{{Type: "bind", Source: "/src", Target: "/app", Consistency: "cached", Bind: &types.ServiceVolumeBind{}}},
			nil, nil, []mount.Mount{{Type: "bind", Source: "/src", Target: "/app", Consistency: "cached", BindOptions: &mount.BindOptions{}}}},
		{"bind recursive",
			[]types.ServiceVolumeConfig{
				{Type: "bind", Source: "/a", Target: "/a", Bind: &types.ServiceVolumeBind{CreateHostPath: true, Recursive: "disabled"}},
				{Type: "bind", Source: "/b", Target: "/b", Bind: &types.ServiceVolumeBind{CreateHostPath: true, Recursive: "readonly"}},
			},
			nil, nil, []mount.Mount{
				{Type: "bind", Source: "/a", Target: "/a", BindOptions: &mount.BindOptions{CreateMountpoint: true, NonRecursive: true}},
				{Type: "bind", Source: "/b", Target: "/b", BindOptions: &mount.BindOptions{CreateMountpoint: true, ReadOnlyForceRecursive: true}},
			}},
		{"named volume: name from the project, nocopy and subpath",
			[]types.ServiceVolumeConfig{{Type: "volume", Source: "data", Target: "/data", Volume: &types.ServiceVolumeVolume{NoCopy: true, Subpath: "sub"}}},
			nil, nil, []mount.Mount{{Type: "volume", Source: "demo_data", Target: "/data", VolumeOptions: &mount.VolumeOptions{NoCopy: true, Subpath: "sub"}}}},
		{"named volume without options goes as Binds, by its name",
			[]types.ServiceVolumeConfig{
				{Type: "volume", Source: "data", Target: "/data", Volume: &types.ServiceVolumeVolume{}},
				{Type: "volume", Source: "data", Target: "/ro", ReadOnly: true},
			},
			nil, []string{"demo_data:/data:rw", "demo_data:/ro:ro"}, nil},
		{"named volume with labels, anonymous volume",
			[]types.ServiceVolumeConfig{
				{Type: "volume", Source: "data", Target: "/data", Volume: &types.ServiceVolumeVolume{Labels: types.Mapping{"a": "b"}}},
				{Type: "volume", Target: "/anon", Volume: &types.ServiceVolumeVolume{}},
			},
			nil, nil, []mount.Mount{
				{Type: "volume", Source: "demo_data", Target: "/data", VolumeOptions: &mount.VolumeOptions{Labels: map[string]string{"a": "b"}}},
				{Type: "volume", Target: "/anon", VolumeOptions: &mount.VolumeOptions{}},
			}},
		{"tmpfs size and mode",
			[]types.ServiceVolumeConfig{{Type: "tmpfs", Target: "/tmp", Tmpfs: &types.ServiceVolumeTmpfs{Size: 1 << 20, Mode: 0o1777}}},
			nil, nil, []mount.Mount{{Type: "tmpfs", Target: "/tmp", TmpfsOptions: &mount.TmpfsOptions{SizeBytes: 1 << 20, Mode: 0o1777}}}},
		{"file secrets and configs are read-only binds; content ones are copied",
			nil, func(p *types.Project, s *types.ServiceConfig) {
				p.Secrets = types.Secrets{"pw": {File: "/host/pw"}, "inline": {Content: "x"}}
				p.Configs = types.Configs{"conf": {File: "/host/app.conf"}}
				s.Secrets = []types.ServiceSecretConfig{{Source: "pw", Mode: &mode}, {Source: "inline"}, {Source: "pw", Target: "other"}}
				s.Configs = []types.ServiceConfigObjConfig{{Source: "conf", Target: "/etc/app.conf"}}
			}, nil, []mount.Mount{
				{Type: "bind", Source: "/host/pw", Target: "/run/secrets/pw", ReadOnly: true, BindOptions: &mount.BindOptions{}},
				{Type: "bind", Source: "/host/pw", Target: "/run/secrets/other", ReadOnly: true, BindOptions: &mount.BindOptions{}},
				{Type: "bind", Source: "/host/app.conf", Target: "/etc/app.conf", ReadOnly: true},
			}},
		{"a volume on a secret's target wins",
			[]types.ServiceVolumeConfig{{Type: "tmpfs", Target: "/run/secrets/pw"}},
			func(p *types.Project, s *types.ServiceConfig) {
				p.Secrets = types.Secrets{"pw": {File: "/host/pw"}}
				s.Secrets = []types.ServiceSecretConfig{{Source: "pw"}}
			}, nil, []mount.Mount{{Type: "tmpfs", Target: "/run/secrets/pw"}}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			s := svc("web", func(s *types.ServiceConfig) { s.Volumes = tt.vols })
			p := project(s)
			if tt.mod != nil {
				tt.mod(p, &s)
			}
			binds, mounts := convertMounts(p, s, "")
			eq(t, binds, tt.wantBinds)
			eq(t, mounts, tt.wantMounts)
		})
	}
}

func TestFileWarnings(t *testing.T) {
	mode := types.FileMode(0o400)
	s := svc("web", func(s *types.ServiceConfig) {
		s.Secrets = []types.ServiceSecretConfig{{Source: "pw", UID: "1000", Mode: &mode}, {Source: "inline", UID: "1000"}}
		s.Configs = []types.ServiceConfigObjConfig{{Source: "conf", GID: "10"}}
	})
	p := project(s)
	p.Secrets = types.Secrets{"pw": {File: "/host/pw"}, "inline": {Content: "x"}}
	p.Configs = types.Configs{"conf": {File: "/host/c"}}
	eq(t, FileWarnings(p), []string{
		"service web: secrets.pw.uid is not supported outside swarm mode (the file is bind-mounted as it is); ignored",
		"service web: secrets.pw.mode is not supported outside swarm mode (the file is bind-mounted as it is); ignored",
		"service web: configs.conf.gid is not supported outside swarm mode (the file is bind-mounted as it is); ignored",
	})
}

func TestVolumeCreate(t *testing.T) {
	p := project()
	p.Volumes["src"] = types.VolumeConfig{Name: "demo_src", Labels: types.Labels{"mine": "1"},
		DriverOpts: types.Options{"type": "none", "o": "bind", "device": "/srv/src"}}
	got := VolumeCreate(p, "src")
	eq(t, got.Name, "demo_src")
	eq(t, got.Driver, "")
	eq(t, got.DriverOpts, map[string]string{"type": "none", "o": "bind", "device": "/srv/src"})
	eq(t, got.Labels, map[string]string{"mine": "1", LabelProject: "demo", LabelVolume: "src", LabelVersion: version.Version,
		LabelConfigHash: VolumeHash(p.Volumes["src"])})
	// compose hashes the model with the driver defaulted to local.
	local := p.Volumes["src"]
	local.Driver = "local"
	eq(t, VolumeHash(p.Volumes["src"]), VolumeHash(local))
	if VolumeHash(p.Volumes["src"]) == VolumeHash(p.Volumes["data"]) {
		t.Error("different volumes, same hash")
	}
}

func TestMountAndNetworkKeysNeedingAPI(t *testing.T) {
	no := false
	s := svc("web", func(s *types.ServiceConfig) {
		s.Volumes = []types.ServiceVolumeConfig{
			{Type: "volume", Source: "data", Target: "/data", Volume: &types.ServiceVolumeVolume{Subpath: "sub"}},
			{Type: "bind", Source: "/b", Target: "/b", Bind: &types.ServiceVolumeBind{Recursive: "readonly"}},
		}
	})
	p := project(s)
	p.Networks["v6"] = types.NetworkConfig{Name: "demo_v6", EnableIPv4: &no}
	eq(t, keysNeedingAPI(s, "1.41"), []apiKey{
		{"volumes[/data].volume.subpath", "1.45"},
		{"volumes[/b].bind.recursive: readonly", "1.44"},
	})
	eq(t, keysNeedingAPI(s, "1.45"), []apiKey(nil))
	eq(t, networkKeysNeedingAPI(p, "1.41"), map[string][]apiKey{"v6": {{"enable_ipv4", "1.47"}}})
	eq(t, networkKeysNeedingAPI(p, "1.47"), map[string][]apiKey{})

	for _, tt := range []struct {
		version, subpath string
		readonly         bool
	}{{"1.41", "", false}, {"1.44", "", true}, {"1.45", "sub", true}} {
		spec, err := ContainerSpec(p, s, 1, "", "h", Target{APIVersion: tt.version})
		if err != nil {
			t.Fatal(err)
		}
		eq(t, spec.Host.Mounts[0].VolumeOptions.Subpath, tt.subpath)
		eq(t, spec.Host.Mounts[1].BindOptions.ReadOnlyForceRecursive, tt.readonly)
	}
	if NetworkCreate(p, "v6", "1.41").EnableIPv4 != nil {
		t.Error("enable_ipv4 sent to API 1.41")
	}
	if NetworkCreate(p, "v6", "1.47").EnableIPv4 == nil {
		t.Error("enable_ipv4 left out on API 1.47")
	}
}
