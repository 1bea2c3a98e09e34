package presets

import (
	"context"
	"fmt"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"testing"
	"text/template"

	"github.com/compose-spec/compose-go/v2/loader"
	"github.com/compose-spec/compose-go/v2/types"
)

// stateless presets keep nothing worth a named volume.
var stateless = []string{"adminer", "apache", "mailpit", "memcached", "nginx", "php-fpm", "phpmyadmin"}

// webServers serve the project directory at /var/www/html.
var webServers = []string{"apache", "caddy", "nginx"}

// baseEnv is what devstack sets for every fragment.
func baseEnv(dir string) map[string]string {
	return map[string]string{
		"DEVSTACK_PROJECT":     "demo",
		"DEVSTACK_PROJECT_DIR": dir,
		"DEVSTACK_WEB_SUBDIR":  "",
		"DEVSTACK_DB_NAME":     "demo",
	}
}

// load loads fragment files (preset/file.yaml) as one project.
func load(t *testing.T, env map[string]string, paths ...string) *types.Project {
	t.Helper()
	details := types.ConfigDetails{WorkingDir: t.TempDir(), Environment: env}
	for _, f := range paths {
		b, err := files.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		details.ConfigFiles = append(details.ConfigFiles, types.ConfigFile{Filename: f, Content: b})
	}
	p, err := loader.LoadWithContext(context.Background(), details, func(o *loader.Options) {
		o.SetProjectName("demo", true)
	})
	if err != nil {
		t.Fatalf("load %v: %v", paths, err)
	}
	return p
}

func TestCatalogue(t *testing.T) {
	want := []string{"adminer", "apache", "caddy", "elasticsearch", "mailpit", "mariadb",
		"meilisearch", "memcached", "minio", "mongo", "mysql", "nginx", "node", "opensearch",
		"pgadmin", "php-fpm", "phpmyadmin", "postgres", "python", "rabbitmq", "redis", "valkey"}
	if got := Names(); !slices.Equal(got, want) {
		t.Errorf("Names() = %v\nwant %v", got, want)
	}
}

func TestFragments(t *testing.T) {
	for _, name := range Names() {
		t.Run(name, func(t *testing.T) {
			f, ok := Get(name)
			if !ok {
				t.Fatalf("Get(%q) failed", name)
			}
			checkSource(t, name, f.Compose)
			dir := t.TempDir()
			p := load(t, baseEnv(dir), name+"/compose.yaml")
			if names := p.ServiceNames(); !slices.Equal(names, []string{name}) {
				t.Errorf("services %v, want exactly [%s]", names, name)
			}
			checkService(t, p, name)

			for other := range f.With {
				t.Run("with-"+other, func(t *testing.T) {
					if _, ok := Get(other); !ok {
						t.Fatalf("with-%s.yaml: no preset %q", other, other)
					}
					p := load(t, baseEnv(dir), name+"/compose.yaml", other+"/compose.yaml", name+"/with-"+other+".yaml")
					if names := p.ServiceNames(); !slices.Equal(names, sorted(name, other)) {
						t.Errorf("services %v, want %v", names, sorted(name, other))
					}
					checkService(t, p, name)
					checkService(t, p, other)
				})
			}
		})
	}
}

func sorted(s ...string) []string { slices.Sort(s); return s }

// checkSource checks the raw fragment: a leading comment and the image line.
func checkSource(t *testing.T, name string, src []byte) {
	t.Helper()
	if !strings.HasPrefix(string(src), "# "+name+": ") {
		t.Errorf("compose.yaml should start with a comment %q saying what the preset gives", "# "+name+": ")
	}
	v := VarPrefix(name)
	re := regexp.MustCompile(`(?m)^    image: \$\{` + v + `_IMAGE:-[a-z0-9./-]+:\$\{` + v + `_VERSION:-[A-Za-z0-9._-]+\}\}$`)
	if !re.Match(src) {
		t.Errorf("no line `image: ${%s_IMAGE:-<image>:${%s_VERSION:-<tag>}}`", v, v)
	}
}

// checkService checks the preset's service in a loaded project.
func checkService(t *testing.T, p *types.Project, name string) {
	t.Helper()
	s, ok := p.Services[name]
	if !ok {
		t.Fatalf("no service %q", name)
	}
	if s.Image == "" || strings.Contains(s.Image, "$") {
		t.Errorf("%s: image %q", name, s.Image)
	}
	if hc := s.HealthCheck; hc == nil || hc.Disable || len(hc.Test) < 2 || hc.Test[0] == "NONE" {
		t.Errorf("%s: no healthcheck", name)
	} else if hc.Interval == nil || *hc.Interval < types.Duration(2e9) || *hc.Interval > types.Duration(5e9) {
		t.Errorf("%s: healthcheck interval %v, want 2s-5s", name, hc.Interval)
	}
	published := map[uint32]bool{}
	for _, port := range s.Ports {
		if port.HostIP != "127.0.0.1" {
			t.Errorf("%s: port %d published on %q, want 127.0.0.1", name, port.Target, port.HostIP)
		}
		if _, err := strconv.Atoi(port.Published); err != nil {
			t.Errorf("%s: port %d published as %q", name, port.Target, port.Published)
		}
		published[port.Target] = true
	}
	if name != "php-fpm" && len(published) == 0 {
		t.Errorf("%s: publishes no port", name)
	}
	if !slices.Contains(stateless, name) {
		if _, ok := p.Volumes[name+"-data"]; !ok {
			t.Errorf("%s: no volume %s-data", name, name)
		}
		used := false
		for _, v := range s.Volumes {
			used = used || v.Source == name+"-data"
		}
		if !used {
			t.Errorf("%s: volume %s-data not mounted", name, name)
		}
	}
	checkExtension(t, s, published)
}

// checkExtension checks x-devstack: a description, and info/env templates
// that parse and run with port (a published container port), env (a key of
// the service's environment) and project.
func checkExtension(t *testing.T, s types.ServiceConfig, published map[uint32]bool) {
	t.Helper()
	x, ok := s.Extensions[Extension].(map[string]any)
	if !ok {
		t.Fatalf("%s: no x-devstack mapping", s.Name)
	}
	for k := range x {
		if k != "description" && k != "info" && k != "env" {
			t.Errorf("%s: x-devstack.%s is not known", s.Name, k)
		}
	}
	if d, _ := x["description"].(string); strings.TrimSpace(d) == "" || strings.Contains(d, "\n") {
		t.Errorf("%s: x-devstack.description %q: want one non-empty line", s.Name, d)
	}
	funcs := template.FuncMap{
		"port": func(p int) (string, error) {
			if !published[uint32(p)] {
				return "", fmt.Errorf("container port %d is not published", p)
			}
			return "49152", nil
		},
		"env": func(k string) (string, error) {
			v, ok := s.Environment[k]
			if !ok || v == nil {
				return "", fmt.Errorf("%s is not in the service's environment", k)
			}
			return *v, nil
		},
		"project": func() string { return "demo" },
	}
	run := func(what string, v any) {
		text, ok := v.(string)
		if !ok {
			t.Errorf("%s: %s: %v is not a string", s.Name, what, v)
			return
		}
		tmpl, err := template.New(what).Funcs(funcs).Option("missingkey=error").Parse(text)
		if err != nil {
			t.Errorf("%s: %s: %v", s.Name, what, err)
			return
		}
		var out strings.Builder
		if err := tmpl.Execute(&out, nil); err != nil {
			t.Errorf("%s: %s: %v", s.Name, what, err)
		}
		if strings.Contains(out.String(), "$") {
			t.Errorf("%s: %s: %q has a $ (interpolated by compose)", s.Name, what, out.String())
		}
	}
	if info, ok := x["info"]; ok {
		lines, ok := info.([]any)
		if !ok {
			t.Errorf("%s: x-devstack.info is not a list", s.Name)
		}
		for i, l := range lines {
			run(fmt.Sprintf("info[%d]", i), l)
		}
	}
	if env, ok := x["env"]; ok {
		m, ok := env.(map[string]any)
		if !ok {
			t.Errorf("%s: x-devstack.env is not a mapping", s.Name)
		}
		for k, v := range m {
			run("env."+k, v)
		}
	}
}

// TestImageVariable: <NAME>_IMAGE replaces the image (how tests swap in
// stand-ins), <NAME>_VERSION the tag.
func TestImageVariable(t *testing.T) {
	for _, name := range Names() {
		v := VarPrefix(name)
		env := baseEnv(t.TempDir())
		env[v+"_IMAGE"] = "example.test/standin:1"
		if got := load(t, env, name+"/compose.yaml").Services[name].Image; got != "example.test/standin:1" {
			t.Errorf("%s: %s_IMAGE set: image %q", name, v, got)
		}
		env = baseEnv(t.TempDir())
		env[v+"_VERSION"] = "9.9.9"
		if got := load(t, env, name+"/compose.yaml").Services[name].Image; !strings.HasSuffix(got, ":9.9.9") {
			t.Errorf("%s: %s_VERSION set: image %q", name, v, got)
		}
	}
}

// TestWebRoot: the web servers mount the project at /var/www/html and serve
// /var/www/html$DEVSTACK_WEB_SUBDIR, also when wired to php-fpm (which
// mounts it at the same place); nginx variables survive interpolation.
func TestWebRoot(t *testing.T) {
	dir := t.TempDir()
	env := baseEnv(dir)
	env["DEVSTACK_WEB_SUBDIR"] = "/public"
	for _, name := range webServers {
		for _, paths := range [][]string{
			{name + "/compose.yaml"},
			{name + "/compose.yaml", "php-fpm/compose.yaml", name + "/with-php-fpm.yaml"},
		} {
			p := load(t, env, paths...)
			for _, svc := range []string{name, "php-fpm"} {
				s, ok := p.Services[svc]
				if !ok {
					continue
				}
				if !slices.ContainsFunc(s.Volumes, func(v types.ServiceVolumeConfig) bool {
					return v.Source == dir && v.Target == "/var/www/html"
				}) {
					t.Errorf("%v: %s does not mount the project at /var/www/html: %+v", paths, svc, s.Volumes)
				}
			}
			var content string
			for _, c := range p.Configs {
				content += string(c.Content)
			}
			if !strings.Contains(content, "/var/www/html/public") {
				t.Errorf("%v: config does not serve /var/www/html/public:\n%s", paths, content)
			}
			if name == "nginx" && !strings.Contains(content, "try_files $uri $uri/") {
				t.Errorf("%v: nginx variables lost:\n%s", paths, content)
			}
		}
	}
	p := load(t, baseEnv(dir), "nginx/compose.yaml", "node/compose.yaml", "nginx/with-node.yaml")
	if c := string(p.Configs["nginx-conf"].Content); !strings.Contains(c, "proxy_pass http://$node;") {
		t.Errorf("nginx with node: no proxy_pass to $node:\n%s", c)
	}
}

// TestCredentials: the database presets' dev credentials and database name.
func TestCredentials(t *testing.T) {
	want := map[string]map[string]string{
		"mysql": {"MYSQL_ROOT_PASSWORD": "root", "MYSQL_DATABASE": "demo", "MYSQL_USER": "app", "MYSQL_PASSWORD": "app"},
		"mariadb": {"MARIADB_ROOT_PASSWORD": "root", "MARIADB_DATABASE": "demo", "MARIADB_USER": "app",
			"MARIADB_PASSWORD": "app"},
		"postgres": {"POSTGRES_USER": "app", "POSTGRES_PASSWORD": "app", "POSTGRES_DB": "demo"},
	}
	for name, vars := range want {
		s := load(t, baseEnv(t.TempDir()), name+"/compose.yaml").Services[name]
		for k, v := range vars {
			if got := s.Environment[k]; got == nil || *got != v {
				t.Errorf("%s: %s = %v, want %q", name, k, got, v)
			}
		}
	}
	env := baseEnv(t.TempDir())
	env["MYSQL_DATABASE"] = "other"
	if got := load(t, env, "mysql/compose.yaml").Services["mysql"].Environment["MYSQL_DATABASE"]; got == nil || *got != "other" {
		t.Errorf("MYSQL_DATABASE=other: got %v", got)
	}
}

// TestWiring: the with-<other> fragments the catalogue promises.
func TestWiring(t *testing.T) {
	want := map[string][]string{
		"adminer":    {"mariadb", "mysql", "postgres"},
		"apache":     {"node", "php-fpm"},
		"caddy":      {"node", "php-fpm"},
		"nginx":      {"node", "php-fpm"},
		"pgadmin":    {"postgres"},
		"phpmyadmin": {"mariadb", "mysql"},
	}
	for _, name := range Names() {
		f, _ := Get(name)
		var got []string
		for other := range f.With {
			got = append(got, other)
		}
		slices.Sort(got)
		if !slices.Equal(got, want[name]) {
			t.Errorf("%s: with-%v, want with-%v", name, got, want[name])
		}
	}
}
