package termsafe

import (
	"strings"
	"testing"

	"github.com/devstack/devstack/internal/importcheck"
)

func TestLine(t *testing.T) {
	cases := []struct{ in, color, plain string }{
		{"plain text", "plain text", "plain text"},
		{"\x1b[1;31mBold Red\x1b[0m", "\x1b[1;31mBold Red\x1b[0m\x1b[0m", "bold red"},
		{"a\x1b[2J\x1b[Hb", "ab", "ab"},                         // clear screen, cursor home
		{"t\x1b]0;pwned\x07x", "tx", "tx"},                      // window title
		{"tab\there", "tab    here", "tab    here"},             // tabs
		{"bell\x07 cr\r del\x7f", "bell cr del", "bell cr del"}, // controls
		{"c1 \u009b2J end", "c1 2J end", "c1 2j end"},           // C1 CSI
		{"bad \xff utf8", "bad \uFFFD utf8", "bad \uFFFD utf8"},
	}
	for _, c := range cases {
		got, plain := Line(c.in, true)
		if got != c.color || plain != c.plain {
			t.Errorf("Line(%q) = %q, %q; want %q, %q", c.in, got, plain, c.color, c.plain)
		}
		if nc, _ := Line(c.in, false); containsEsc(nc) {
			t.Errorf("Line(%q) without colour kept an escape: %q", c.in, nc)
		}
	}
}

func containsEsc(s string) bool {
	for i := 0; i < len(s); i++ {
		if s[i] == 0x1b {
			return true
		}
	}
	return false
}

func TestName(t *testing.T) {
	for in, want := range map[string]string{
		"web":               "web",
		"café/ü.txt":        "café/ü.txt",
		"a b":               "a b",
		"x\x1b[2J":          `"x\x1b[2J"`,
		"t\x1b]0;pwned\x07": `"t\x1b]0;pwned\a"`,
		"line\nbreak":       `"line\nbreak"`,
		"c1 \u009b2J":       `"c1 \u009b2J"`,
		"bad \xff":          `"bad \xff"`,
	} {
		if got := Name(in); got != want {
			t.Errorf("Name(%q) = %s, want %s", in, got, want)
		}
	}
	if got := strings.Join(Names([]string{"a", "b\x07"}), " "); got != `a "b\a"` {
		t.Errorf("Names: %s", got)
	}
}

func TestStdOnly(t *testing.T) { importcheck.StdOnly(t) }
