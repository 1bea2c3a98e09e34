package apply

import (
	"testing"

	"github.com/compose-spec/compose-go/v2/types"
)

func TestClassicUnsupported(t *testing.T) {
	for _, tc := range []struct {
		b    types.BuildConfig
		want string
	}{
		{types.BuildConfig{Context: ".", Args: types.MappingWithEquals{}, Target: "x", CacheFrom: []string{"a"}, ShmSize: 1}, ""},
		{types.BuildConfig{Secrets: []types.ServiceSecretConfig{{Source: "s"}}}, "build.secrets"},
		{types.BuildConfig{SSH: types.SSHConfig{{ID: "default"}}}, "build.ssh"},
		{types.BuildConfig{DockerfileInline: "FROM x"}, "build.dockerfile_inline"},
		{types.BuildConfig{AdditionalContexts: types.Mapping{"a": "b"}}, "build.additional_contexts"},
		{types.BuildConfig{CacheTo: []string{"type=inline"}}, "build.cache_to"},
		{types.BuildConfig{Platforms: []string{"linux/amd64", "linux/arm64"}}, "more than one of build.platforms"},
	} {
		if got := classicUnsupported(&tc.b); got != tc.want {
			t.Errorf("%+v: got %q, want %q", tc.b, got, tc.want)
		}
	}
}
