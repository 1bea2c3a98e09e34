// Package templates is devstack's preset catalogue, embedded in the binary:
// one folder per preset holding a compose fragment (compose.yaml) and, for
// wiring, fragments merged only when another preset is selected too
// (with-<other>.yaml).
//
// A fragment defines one service named like its folder, its named volumes and
// configs. The image comes from <NAME>_IMAGE, else the official image at
// <NAME>_VERSION (NAME is the preset name upper-cased, '-' as '_'). Host ports
// bind to 127.0.0.1 from <NAME>_PORT. The service's x-devstack extension
// carries what `devstack presets` and `devstack info` show:
//
//	x-devstack:
//	  description: one line
//	  info: ["Go template lines: {{port 3306}}, {{env \"MYSQL_USER\"}}, {{project}}"]
//	  env: {DATABASE_URL: "Go template"}
//
// Fragments may use these variables, which devstack sets when the environment
// and .env do not: DEVSTACK_PROJECT (project name), DEVSTACK_PROJECT_DIR
// (absolute project directory), DEVSTACK_WEB_SUBDIR ("/public" when the
// project has public/, else "") and DEVSTACK_DB_NAME (the project name as a
// database identifier). Web servers mount DEVSTACK_PROJECT_DIR at
// /var/www/html and serve /var/www/html${DEVSTACK_WEB_SUBDIR}.
package presets

import (
	"embed"
	"io/fs"
	"path"
	"sort"
	"strings"
)

//go:embed */*.yaml
var files embed.FS

// Fragment is one preset's compose fragment and its wiring fragments.
type Fragment struct {
	Name    string
	Compose []byte            // compose.yaml
	With    map[string][]byte // other preset -> with-<other>.yaml
}

// Names lists the catalogue, sorted.
func Names() []string {
	entries, _ := fs.ReadDir(files, ".")
	var out []string
	for _, e := range entries {
		if e.IsDir() {
			out = append(out, e.Name())
		}
	}
	sort.Strings(out)
	return out
}

// Get returns the named preset's fragments.
func Get(name string) (Fragment, bool) {
	b, err := files.ReadFile(path.Join(name, "compose.yaml"))
	if err != nil {
		return Fragment{}, false
	}
	f := Fragment{Name: name, Compose: b, With: map[string][]byte{}}
	entries, _ := fs.ReadDir(files, name)
	for _, e := range entries {
		other, ok := strings.CutPrefix(e.Name(), "with-")
		if !ok {
			continue
		}
		other = strings.TrimSuffix(other, ".yaml")
		if w, err := files.ReadFile(path.Join(name, e.Name())); err == nil {
			f.With[other] = w
		}
	}
	return f, true
}

// VarPrefix is the variable prefix of a preset: php-fpm -> PHP_FPM.
func VarPrefix(name string) string {
	return strings.ToUpper(strings.ReplaceAll(name, "-", "_"))
}
