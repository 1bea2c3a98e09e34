package router

import (
	"testing"

	"github.com/devstack/devstack/internal/importcheck"
)

// router is shared with cmd/devstack-router, which must stay small: the
// standard library only.
func TestImports(t *testing.T) {
	importcheck.StdOnly(t)
}

func TestLabel(t *testing.T) {
	for _, c := range []struct {
		in, want string
		mapped   bool
	}{
		{"web", "web", false},
		{"my-app", "my-app", false},
		{"my_app", "my-app", true},
		{"Web.API", "web-api", true},
		{"-x-", "x", true},
		{"a__b", "a-b", true},
		{"___", "x5b1d4a4c", true},
		{"a123456789b123456789c123456789d123456789e123456789f123456789g1234", "a123456789b123456789c123456789d123456789e123456789f123-", true},
	} {
		got, mapped := Label(c.in)
		if c.in == "___" {
			if len(got) != 9 || got[0] != 'x' || !mapped {
				t.Errorf("Label(%q) = %q", c.in, got)
			}
			continue
		}
		if len(c.in) > 63 {
			if len(got) != 63 || got[:54] != c.in[:54] || !mapped || !ValidName(got+".localhost") {
				t.Errorf("Label(long) = %q (%d)", got, len(got))
			}
			continue
		}
		if got != c.want || mapped != c.mapped {
			t.Errorf("Label(%q) = %q, %v; want %q, %v", c.in, got, mapped, c.want, c.mapped)
		}
	}
}

func TestNormalizeHost(t *testing.T) {
	for in, want := range map[string]string{
		"web.proj.localhost":           "web.proj.localhost",
		"WEB.Proj.LOCALHOST:8443":      "web.proj.localhost",
		"web.proj.localhost.":          "web.proj.localhost",
		"web.proj.localhost.:443":      "web.proj.localhost",
		"bücher.proj.localhost":        "xn--bcher-kva.proj.localhost",
		"BÜCHER.proj.localhost":        "xn--bcher-kva.proj.localhost",
		"münchen.localhost:80":         "xn--mnchen-3ya.localhost",
		"xn--bcher-kva.proj.localhost": "xn--bcher-kva.proj.localhost",
		"例え.localhost":                 "xn--r8jz45g.localhost",
		"[::1]:443":                    "",
		"":                             "",
		" web.proj.localhost":          "web.proj.localhost",
		"web.proj.localhost:":          "web.proj.localhost",
		".":                            "",
		"127.0.0.1:80":                 "127.0.0.1",
	} {
		if got := NormalizeHost(in); got != want {
			t.Errorf("NormalizeHost(%q) = %q, want %q", in, got, want)
		}
	}
}

// A name that is already normal costs the router no allocation (every
// request's Host goes through NormalizeHost).
func TestNormalizeHostNoAlloc(t *testing.T) {
	if n := testing.AllocsPerRun(100, func() { NormalizeHost("app.my-proj.localhost") }); n != 0 {
		t.Errorf("NormalizeHost of a normal name: %v allocations, want 0", n)
	}
}

func TestValidNameAndProjectOf(t *testing.T) {
	for in, want := range map[string]bool{
		"web.proj.localhost": true, "shop.localhost": true, "localhost": false,
		"web.proj.example": false, "-web.proj.localhost": false, "we_b.proj.localhost": false,
		"web..localhost": false, "Web.proj.localhost": false,
	} {
		if got := ValidName(in); got != want {
			t.Errorf("ValidName(%q) = %v", in, got)
		}
	}
	for in, want := range map[string]string{
		"web.proj.localhost": "proj", "8080.web.proj.localhost": "proj", "shop.localhost": "", "x.example": "",
	} {
		if got := ProjectOf(in); got != want {
			t.Errorf("ProjectOf(%q) = %q", in, got)
		}
	}
}
