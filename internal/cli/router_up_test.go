package cli

import (
	"bytes"
	"path/filepath"
	"strings"
	"testing"

	"github.com/compose-spec/compose-go/v2/types"

	"github.com/devstack/devstack/internal/router"
	"github.com/devstack/devstack/internal/routerctl"
)

// up's router: --router(=false) / --no-router, then DEVSTACK_ROUTER, then
// the compose file's x-devstack.router, else on.
func TestRouterWanted(t *testing.T) {
	file := func(v any) *types.Project {
		p := &types.Project{Name: "p"}
		switch v {
		case nil:
		case "absent":
			p.Extensions = types.Extensions{"x-devstack": map[string]any{"ca": true}}
		default:
			p.Extensions = types.Extensions{"x-devstack": map[string]any{"router": v}}
		}
		return p
	}
	for _, c := range []struct {
		name      string
		flag, set bool
		env       string
		file      any
		want      bool
		warn      string
	}{
		{name: "nothing: on", want: true},
		{name: "file on", file: true, want: true},
		{name: "file off", file: false},
		{name: "x-devstack without router: on", file: "absent", want: true},
		{name: "env off", env: "0"},
		{name: "env off beats file", env: "0", file: true},
		{name: "env on", env: "yes", file: false, want: true},
		{name: "--router=false beats env", set: true, env: "1", file: true},
		{name: "--router beats file", set: true, flag: true, file: false, want: true},
		{name: "bad file value: off, said", file: "sometimes", warn: "x-devstack.router"},
	} {
		t.Run(c.name, func(t *testing.T) {
			t.Setenv("DEVSTACK_ROUTER", c.env)
			var stderr bytes.Buffer
			g := &globals{stderr: &stderr}
			got := routerWanted(g, upFlags{router: c.flag, routerSet: c.set}, file(c.file))
			if got != c.want {
				t.Errorf("routerWanted = %v, want %v", got, c.want)
			}
			if (c.warn == "") != (stderr.Len() == 0) || !strings.Contains(stderr.String(), c.warn) {
				t.Errorf("stderr %q, want %q", stderr.String(), c.warn)
			}
		})
	}
}

// ps, info, start...: DEVSTACK_ROUTER when set, else whether an up gave
// the project routes (the host's copy).
func TestRouterServes(t *testing.T) {
	t.Setenv("DEVSTACK_DATA_DIR", t.TempDir())
	t.Setenv("DEVSTACK_ROUTER", "")
	if routerServes("shop") {
		t.Error("served without routes")
	}
	c, _ := routerctl.DefaultCache()
	if err := c.Put(router.State{Project: "shop"}); err != nil {
		t.Fatal(err)
	}
	if !routerServes("shop") || routerServes("blog") {
		t.Error("the host's copy not read")
	}
	if err := c.Put(router.State{Project: "shop", Down: true}); err != nil {
		t.Fatal(err)
	}
	if routerServes("shop") {
		t.Error("a project down is served")
	}
	t.Setenv("DEVSTACK_ROUTER", "0")
	if routerServes("shop") {
		t.Error("DEVSTACK_ROUTER=0 did not turn it off")
	}
	if d := c.Dir; filepath.Base(d) != "routes" {
		t.Errorf("cache dir %s", d)
	}
}

// --no-router is --router=false; with --router it is an error, with
// --router=false the same.
func TestRouterFlag(t *testing.T) {
	for _, c := range []struct {
		args          []string
		router, isSet bool
		err           bool
	}{
		{args: nil, router: true},
		{args: []string{"--no-router"}, isSet: true},
		{args: []string{"--router=false"}, isSet: true},
		{args: []string{"--router=false", "--no-router"}, isSet: true},
		{args: []string{"--router"}, router: true, isSet: true},
		{args: []string{"--router", "--no-router"}, err: true},
	} {
		cmd := newUpCmd(&globals{})
		if err := cmd.ParseFlags(c.args); err != nil {
			t.Fatal(err)
		}
		var f upFlags
		f.router, _ = cmd.Flags().GetBool("router")
		f.noRouter, _ = cmd.Flags().GetBool("no-router")
		got, err := routerFlag(f, cmd)
		if (err != nil) != c.err || err == nil && (got.router != c.router || got.routerSet != c.isSet) {
			t.Errorf("%v: router %v set %v err %v, want %v %v err %v", c.args, got.router, got.routerSet, err, c.router, c.isSet, c.err)
		}
	}
}
