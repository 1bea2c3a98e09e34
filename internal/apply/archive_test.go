package apply

import (
	"fmt"
	"strings"
	"testing"

	"github.com/compose-spec/compose-go/v2/types"
)

func TestExportRefs(t *testing.T) {
	svc := func(name, image string) types.ServiceConfig {
		var s types.ServiceConfig
		s.Name, s.Image = name, image
		return s
	}
	p := &types.Project{Services: types.Services{
		"web":    svc("web", "nginx"),
		"admin":  svc("admin", "nginx:latest"),
		"db":     svc("db", "127.0.0.1:5000/mysql:8"),
		"cache":  svc("cache", "redis:7"),
		"by-id":  svc("by-id", "sha256:0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef"),
		"worker": svc("worker", "redis:7"),
	}}
	refs, err := ExportRefs(p)
	if err != nil {
		t.Fatal(err)
	}
	var got []string
	for _, r := range refs {
		got = append(got, fmt.Sprintf("%s=%s", r.Ref, strings.Join(r.Services, ",")))
	}
	want := "127.0.0.1:5000/mysql:8=db nginx:latest=admin,web redis:7=cache,worker sha256:0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef=by-id"
	if strings.Join(got, " ") != want {
		t.Errorf("got  %s\nwant %s", strings.Join(got, " "), want)
	}
	p.Services["pinned"] = svc("pinned", "nginx@sha256:0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef")
	if _, err := ExportRefs(p); err == nil || !strings.Contains(err.Error(), "service pinned: image nginx@sha256") {
		t.Errorf("pinned by digest: %v", err)
	}
}
