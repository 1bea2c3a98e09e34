package stack

import (
	"testing"
)

func TestFitAPI(t *testing.T) {
	body := `healthcheck: {test: [CMD, "true"], start_interval: 1s}
oom_score_adj: 100
volumes:
  - {type: volume, source: data, target: /d, volume: {subpath: sub}}
  - {type: bind, source: /srv, target: /srv, read_only: true, bind: {recursive: readonly}}`
	p := load(t, webYAML(body, "volumes:\n  data: {}\n"))
	for _, c := range []struct {
		version string
		warns   []string
	}{
		{"", nil},
		{"1.46", nil},
		{"1.41", []string{
			"service web: key healthcheck.start_interval needs engine API 1.44 (the engine speaks 1.41); ignored",
			"service web: key oom_score_adj needs engine API 1.46 (the engine speaks 1.41); ignored",
			"service web: key volumes.volume.subpath needs engine API 1.45 (the engine speaks 1.41); ignored",
			"service web: key volumes.bind.recursive needs engine API 1.44 (the engine speaks 1.41); ignored",
		}},
		{"1.44", []string{
			"service web: key oom_score_adj needs engine API 1.46 (the engine speaks 1.44); ignored",
			"service web: key volumes.volume.subpath needs engine API 1.45 (the engine speaks 1.44); ignored",
		}},
	} {
		st, warns, err := Convert(p, Options{APIVersion: c.version})
		if err != nil {
			t.Fatal(err)
		}
		var got []string
		for _, w := range warns {
			got = append(got, w.String())
		}
		check(t, "warnings at "+c.version, got, c.warns)
		cs := st.Services[0].Spec.TaskTemplate.ContainerSpec
		dropped := cs.OomScoreAdj == 0 && cs.Healthcheck.StartInterval == 0 && cs.Mounts[0].VolumeOptions.Subpath == "" && !cs.Mounts[1].BindOptions.ReadOnlyForceRecursive
		kept := cs.OomScoreAdj == 100 && cs.Healthcheck.StartInterval != 0 && cs.Mounts[0].VolumeOptions.Subpath == "sub" && cs.Mounts[1].BindOptions.ReadOnlyForceRecursive
		if c.version == "1.41" && !dropped || (c.version == "" || c.version == "1.46") && !kept {
			t.Errorf("%s: spec %+v", c.version, cs)
		}
	}
}
