package compose

import (
	"context"
	"path/filepath"
	"runtime"
	"testing"

	"github.com/compose-spec/compose-go/v2/loader"
)

// TestConvertWindowsPaths: COMPOSE_CONVERT_WINDOWS_PATHS=1 (from the
// environment or .env) asks the loader to turn Windows bind sources into
// the /c/... form, as docker compose does; without it they stay as
// written, for Docker Desktop to convert. compose-go converts only on
// Windows (filepath.VolumeName), so elsewhere the source stays as written
// either way; make cross-check compiles this test for Windows.
func TestConvertWindowsPaths(t *testing.T) {
	for _, c := range []struct {
		env     string
		convert bool
	}{
		{"COMPOSE_CONVERT_WINDOWS_PATHS=1\n", true},
		{"COMPOSE_CONVERT_WINDOWS_PATHS=true\n", true},
		{"COMPOSE_CONVERT_WINDOWS_PATHS=0\n", false},
		{"", false},
	} {
		dir := write(t, map[string]string{
			"compose.yaml": "services:\n  web:\n    image: web\n    volumes: ['C:\\Users\\me\\site:/www']\n",
			".env":         c.env,
		})
		opts := Options{WorkingDir: dir, Files: []string{filepath.Join(dir, "compose.yaml")}}
		src, err := prepare(context.Background(), opts)
		if err != nil {
			t.Fatal(err)
		}
		var lo loader.Options
		src.opts(&lo)
		if lo.ConvertWindowsPaths != c.convert {
			t.Errorf("%q: ConvertWindowsPaths %v, want %v", c.env, lo.ConvertWindowsPaths, c.convert)
		}
		p, err := Load(context.Background(), opts)
		if err != nil {
			t.Fatal(err)
		}
		want := `C:\Users\me\site`
		if c.convert && runtime.GOOS == "windows" {
			want = "/c/Users/me/site"
		}
		if got := p.Services["web"].Volumes[0].Source; got != want {
			t.Errorf("%q: source %q, want %q", c.env, got, want)
		}
	}
}
