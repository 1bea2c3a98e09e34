package apply

import (
	"errors"
	"strings"
	"testing"

	"github.com/compose-spec/compose-go/v2/types"
)

func TestCheckSources(t *testing.T) {
	dir := t.TempDir()
	bindVol := func(driver, dev string) types.VolumeConfig {
		return types.VolumeConfig{Name: "demo_src", Driver: driver, DriverOpts: types.Options{"type": "none", "o": "bind", "device": dev}}
	}
	tests := []struct {
		name    string
		vol     types.VolumeConfig
		bind    types.ServiceVolumeConfig
		wantErr string
	}{
		{"existing device, existing bind source", bindVol("local", dir),
			types.ServiceVolumeConfig{Type: "bind", Source: dir, Target: "/b", Bind: &types.ServiceVolumeBind{}}, ""},
		{"relative device", bindVol("", "./src"), types.ServiceVolumeConfig{},
			`volume src: driver_opts.device "./src" is relative`},
		{"missing device", bindVol("local", dir+"/nope"), types.ServiceVolumeConfig{},
			"volume src: driver_opts.device " + dir + "/nope does not exist"},
		{"another driver's device is its own business", bindVol("nfs", "./x"), types.ServiceVolumeConfig{}, ""},
		{"create_host_path false, missing", bindVol("local", dir),
			types.ServiceVolumeConfig{Type: "bind", Source: dir + "/gone", Target: "/b", Bind: &types.ServiceVolumeBind{}},
			"service web: volumes[/b]: bind source " + dir + "/gone does not exist (create_host_path: false)"},
		{"create_host_path true, missing: the engine creates it", bindVol("local", dir),
			types.ServiceVolumeConfig{Type: "bind", Source: dir + "/gone", Target: "/b", Bind: &types.ServiceVolumeBind{CreateHostPath: true}}, ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			s := svc("web", func(s *types.ServiceConfig) {
				s.Volumes = []types.ServiceVolumeConfig{{Type: "volume", Source: "src", Target: "/src"}}
				if tt.bind.Type != "" {
					s.Volumes = append(s.Volumes, tt.bind)
				}
			})
			p := project(s)
			p.Volumes["src"] = tt.vol
			err := CheckVolumeSources(p)
			if err == nil {
				err = CheckMountSources(p)
			}
			if tt.wantErr == "" {
				if err != nil {
					t.Fatal(err)
				}
				return
			}
			if !errors.Is(err, ErrMountSource) || !strings.Contains(err.Error(), tt.wantErr) {
				t.Fatalf("got %v, want %q", err, tt.wantErr)
			}
		})
	}
}
