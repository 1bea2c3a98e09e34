package cli

import (
	"errors"
	"strings"
	"testing"

	"github.com/devstack/devstack/internal/containers"
)

// FuzzFormat: any --format value either is refused by parseFormat or runs
// over sample rows (table header too) without panicking; a failure is an
// error. Templates that choose how long they loop (range over a number,
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
		_ = fm.writeRows(&capped{n: 64 << 10}, rows)
	})
}

// capped is a writer that fails once n bytes were written.
type capped struct{ n int }

func (c *capped) Write(b []byte) (int, error) {
	if len(b) > c.n {
		c.n = 0
		return 0, errors.New("output too long")
	}
	c.n -= len(b)
	return len(b), nil
}
