package cli

import (
	"strings"
	"testing"
	"unicode/utf8"
)

// The template functions work on runes, as docker's do for title, and a
// negative truncate length is an error saying so.
func TestTemplateFuncs(t *testing.T) {
	row := struct{ Name string }{"héllo wörld"}
	for _, tc := range []struct{ format, want, err string }{
		{`{{title "é"}}`, "É", ""},
		{`{{title "élan vital"}}`, "Élan Vital", ""},
		{`{{title .Name}}`, "Héllo Wörld", ""},
		{`{{title "web-1 db_main"}}`, "Web-1 Db_main", ""},
		{`{{title ""}}`, "", ""},
		{`{{truncate .Name 2}}`, "hé", ""},
		{`{{truncate .Name 0}}`, "", ""},
		{`{{truncate .Name 99}}`, "héllo wörld", ""},
		{`{{truncate "ab" 2}}`, "ab", ""},
		{`{{truncate .Name -1}}`, "", "truncate: negative length -1"},
	} {
		f, err := parseFormat(tc.format)
		if err != nil {
			t.Fatalf("%q: %v", tc.format, err)
		}
		var b strings.Builder
		err = f.tmpl.Execute(&b, row)
		switch {
		case tc.err != "":
			if err == nil || !strings.Contains(err.Error(), tc.err) || strings.Contains(err.Error(), "runtime error") {
				t.Errorf("%q: error %v, want one saying %q", tc.format, err, tc.err)
			}
		case err != nil:
			t.Errorf("%q: %v", tc.format, err)
		case b.String() != tc.want || !utf8.ValidString(b.String()):
			t.Errorf("%q: got %q, want %q", tc.format, b.String(), tc.want)
		}
	}
}
