package cli

import (
	"strings"
	"testing"

	"github.com/devstack/devstack/internal/containers"
)

func TestPsFormat(t *testing.T) {
	exit := 3
	rows := []containers.PsRow{
		{ID: "abc", Name: "p-web-1", Service: "web", State: "running", Health: "healthy", Ports: []string{"127.0.0.1:8080->80/tcp", "127.0.0.1:8443->443/tcp"}, Image: "nginx"},
		{ID: "def", Name: "p-db-1", Service: "db", State: "restarting", Exit: &exit, IPs: []string{"p_default=172.18.0.3"}, Image: "mysql"},
	}
	for _, tc := range []struct{ format, want string }{
		{"{{.Service}} {{.State}}", "web running\ndb restarting\n"},
		{"{{.Name}}: {{.Ports}}", "p-web-1: 127.0.0.1:8080->80/tcp, 127.0.0.1:8443->443/tcp\np-db-1: \n"},
		{"{{.Service}}={{.ExitCode}} {{.IPs}} {{.Project}}", "web=0  p\ndb=3 p_default=172.18.0.3 p\n"},
		{"{{json .Service}} {{upper .Health}}", "\"web\" HEALTHY\n\"db\" \n"},
		{"table {{.Service}}\t{{.State}}", "SERVICE   STATE\nweb       running\ndb        restarting\n"},
		{"table {{join (split .Ports \", \") \"|\"}}", "PORTS\n127.0.0.1:8080->80/tcp|127.0.0.1:8443->443/tcp\n\n"},
	} {
		f, err := parseFormat(tc.format)
		if err != nil {
			t.Fatalf("%q: %v", tc.format, err)
		}
		var b strings.Builder
		if err := f.writeRows(&b, psViews("p", rows)); err != nil {
			t.Fatalf("%q: %v", tc.format, err)
		}
		if b.String() != tc.want {
			t.Errorf("%q:\n got %q\nwant %q", tc.format, b.String(), tc.want)
		}
	}
	for _, bad := range []string{"{{.Service", "{{nosuchfunc .Name}}", "xml"} {
		if _, err := parseFormat(bad); err == nil || !strings.Contains(err.Error(), "--format") {
			t.Errorf("parseFormat(%q) = %v, want an invalid --format error", bad, err)
		}
	}
	if _, err := parseFormat("{{.Nope}}"); err != nil {
		t.Fatal(err)
	}
	f, _ := parseFormat("{{.Nope}}")
	var b strings.Builder
	if err := f.writeRows(&b, psViews("p", rows)); err == nil || !strings.Contains(err.Error(), "Nope") {
		t.Errorf("unknown field: got %v, want an error naming it", err)
	}
}
