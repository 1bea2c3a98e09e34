package convert

import (
	"reflect"
	"testing"
	"time"

	"github.com/compose-spec/compose-go/v2/types"
	"github.com/docker/docker/api/types/container"
	"github.com/docker/docker/api/types/mount"
)

func TestHealth(t *testing.T) {
	d := func(v time.Duration) *types.Duration { x := types.Duration(v); return &x }
	retries := uint64(4)
	for _, tc := range []struct {
		name string
		in   *types.HealthCheckConfig
		want *container.HealthConfig
	}{
		{"none", nil, nil},
		{"every field", &types.HealthCheckConfig{Test: []string{"CMD", "true"}, Interval: d(time.Second), Timeout: d(2 * time.Second),
			StartPeriod: d(3 * time.Second), StartInterval: d(time.Millisecond), Retries: &retries},
			&container.HealthConfig{Test: []string{"CMD", "true"}, Interval: time.Second, Timeout: 2 * time.Second,
				StartPeriod: 3 * time.Second, StartInterval: time.Millisecond, Retries: 4}},
		{"disable is the NONE test", &types.HealthCheckConfig{Test: []string{"CMD", "true"}, Disable: true},
			&container.HealthConfig{Test: []string{"NONE"}}},
	} {
		if got := Health(tc.in); !reflect.DeepEqual(got, tc.want) {
			t.Errorf("%s: got %+v, want %+v", tc.name, got, tc.want)
		}
	}
}

func TestBindOptions(t *testing.T) {
	for _, tc := range []struct {
		in   *types.ServiceVolumeBind
		want *mount.BindOptions
	}{
		{nil, nil},
		{&types.ServiceVolumeBind{Propagation: "rshared"}, &mount.BindOptions{Propagation: mount.PropagationRShared}},
		{&types.ServiceVolumeBind{Recursive: "disabled"}, &mount.BindOptions{NonRecursive: true}},
		{&types.ServiceVolumeBind{Recursive: "writable"}, &mount.BindOptions{ReadOnlyNonRecursive: true}},
		{&types.ServiceVolumeBind{Recursive: "readonly"}, &mount.BindOptions{ReadOnlyForceRecursive: true}},
	} {
		if got := BindOptions(tc.in); !reflect.DeepEqual(got, tc.want) {
			t.Errorf("%+v: got %+v, want %+v", tc.in, got, tc.want)
		}
	}
}
