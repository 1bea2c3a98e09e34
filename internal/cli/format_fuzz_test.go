package cli

import (
	"errors"
	"strings"
	"testing"
	"unicode/utf8"

	"github.com/devstack/devstack/internal/containers"
)

// FuzzFormat: any --format value either is refused by parseFormat or runs
// over sample rows (table header too) without panicking; a failure is an
// error that says what is wrong, never a runtime error (a slice out of
// range in a function), and the output of a template that cuts no bytes
// itself (no slice, no escapes in literals) is valid UTF-8. Templates that choose how long they loop (range over a number,
// recursion through template or block) are skipped: they run as long as
// they ask. Output is cut at 64 KiB. Seeds in testdata/fuzz/FuzzFormat.
func FuzzFormat(f *testing.F) {
	for _, s := range []string{
		"{{.Service}} {{.State}}", "table {{.Name}}\t{{.Ports}}", "json", "table",
		`{{title "é"}}`, `{{truncate .Name -1}}`, `{{truncate .Name 3}}`, `{{json .}}`,
		`{{join (split .Ports ", ") "|"}}`, `{{upper (lower .Health)}}`, `{{index .Name 0}}`,
	} {
		f.Add(s)
	}
	exit := 137
	rows := psViews("p", []containers.PsRow{
		{ID: "abc", Name: "p-wéb-1", Service: "wéb", State: "running", Health: "healthy", Ports: []string{"127.0.0.1:8080->80/tcp"}, Image: "nginx"},
		{ID: "def", Name: "p-db-1", Service: "db", State: "exited", Exit: &exit, IPs: []string{"p_default=172.18.0.3"}},
		{},
	})
	f.Fuzz(func(t *testing.T, format string) {
		if strings.Contains(format, "range") && (strings.ContainsAny(format, "0123456789") ||
			strings.Count(format, "range") > 2 || strings.Contains(format, "template") || strings.Contains(format, "block")) {
			t.Skip("a loop the template sizes itself")
		}
		fm, err := parseFormat(format)
		if err != nil || fm.tmpl == nil {
			return
		}
		var out capped
		out.n = 64 << 10
		err = fm.writeRows(&out, rows)
		if err != nil && strings.Contains(err.Error(), "runtime error") {
			t.Fatalf("%q: %v", format, err)
		}
		if utf8.ValidString(format) && !strings.Contains(format, "slice") && !strings.Contains(format, `\`) && !utf8.Valid(out.b) {
			t.Fatalf("%q: invalid UTF-8 %q", format, out.b)
		}
	})
}

// capped is a writer that keeps what is written and fails once n bytes
// were written.
type capped struct {
	n int
	b []byte
}

func (c *capped) Write(b []byte) (int, error) {
	if len(b) > c.n {
		c.n = 0
		return 0, errors.New("output too long")
	}
	c.n -= len(b)
	c.b = append(c.b, b...)
	return len(b), nil
}
