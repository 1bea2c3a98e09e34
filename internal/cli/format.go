package cli

import (
	"encoding/json"
	"fmt"
	"io"
	"reflect"
	"regexp"
	"strings"
	"sync"
	"text/tabwriter"
	"text/template"
)

// outputFormat is a --format value as docker and docker compose take it:
// "table" (the command's own table), "json", or a Go template run for each
// row ("{{.Service}} {{.State}}"); "table TEMPLATE" adds a header row of
// the fields' names and aligns the columns ("table {{.Name}}\t{{.State}}").
type outputFormat struct {
	json  bool
	tmpl  *template.Template // nil: the command's own table
	table bool               // tmpl with a header row, in aligned columns
}

// templateFuncs are the functions docker's --format templates have.
var templateFuncs = template.FuncMap{
	"json": func(v any) (string, error) {
		b, err := json.Marshal(v)
		return string(b), err
	},
	"join":  strings.Join,
	"split": strings.Split,
	"lower": strings.ToLower,
	"upper": strings.ToUpper,
	// strings.Title is what docker's templates use: the first letter of
	// every word in upper case, by runes, so "é" stays valid UTF-8.
	"title":    strings.Title, //nolint:staticcheck // docker's behaviour, words split as it splits them
	"truncate": truncate,
}

// truncate keeps the first n characters of s (docker cuts bytes, which can
// split a character); a negative n is an error, where docker's slice panics.
func truncate(s string, n int) (string, error) {
	if n < 0 {
		return "", fmt.Errorf("truncate: negative length %d", n)
	}
	for i := range s {
		if n == 0 {
			return s[:i], nil
		}
		n--
	}
	return s, nil
}

// parseFormat reads a --format value; a template that does not parse is an
// error naming it.
func parseFormat(s string) (outputFormat, error) {
	switch strings.TrimSpace(s) {
	case "", "table":
		return outputFormat{}, nil
	case "json":
		return outputFormat{json: true}, nil
	}
	if !strings.Contains(s, "{{") {
		return outputFormat{}, fmt.Errorf("unknown --format %q: use table, json or a Go template such as '{{.Name}}'", s)
	}
	f := outputFormat{}
	if rest, ok := strings.CutPrefix(s, "table "); ok {
		s, f.table = rest, true
	}
	t, err := template.New("format").Funcs(templateFuncs).Parse(s)
	if err != nil {
		return f, fmt.Errorf("invalid --format %q: %v (use table, json or a Go template such as '{{.Name}}')", s, err)
	}
	f.tmpl = t
	return f, nil
}

// writeRows prints rows (a slice) with the template, one line per row; with
// "table " first a header of the template's field names in upper case.
func (f outputFormat) writeRows(w io.Writer, rows any) error {
	out := w
	var tw *tabwriter.Writer
	if f.table {
		tw = tabwriter.NewWriter(w, 0, 0, 3, ' ', 0)
		out = tw
		var hdr strings.Builder
		if err := f.tmpl.Execute(&hdr, headerRow(rows)); err != nil {
			// A function that wants a list got a header name: name the
			// fields the template uses instead.
			hdr.Reset()
			for i, m := range fieldRef().FindAllStringSubmatch(f.tmpl.Root.String(), -1) {
				if i > 0 {
					hdr.WriteString("\t")
				}
				hdr.WriteString(strings.ToUpper(m[1]))
			}
		}
		fmt.Fprintln(out, hdr.String())
	}
	v := reflect.ValueOf(rows)
	for i := range v.Len() {
		if err := f.tmpl.Execute(out, v.Index(i).Interface()); err != nil {
			return fmt.Errorf("--format: %w", err)
		}
		fmt.Fprintln(out)
	}
	if tw != nil {
		return tw.Flush()
	}
	return nil
}

var fieldRef = sync.OnceValue(func() *regexp.Regexp { return regexp.MustCompile(`\.([A-Z][A-Za-z0-9]*)`) })

// headerRow maps each field of the rows' struct type to its name in upper
// case: the template run on it prints the header ("{{.Name}}" -> NAME).
func headerRow(rows any) map[string]string {
	t := reflect.TypeOf(rows).Elem()
	for t.Kind() == reflect.Pointer {
		t = t.Elem()
	}
	h := map[string]string{}
	if t.Kind() != reflect.Struct {
		return h
	}
	for i := range t.NumField() {
		h[t.Field(i).Name] = strings.ToUpper(t.Field(i).Name)
	}
	return h
}

func checkFormat(format string) error {
	if format != "table" && format != "json" && format != "" {
		return fmt.Errorf("unknown --format %q: use table or json", format)
	}
	return nil
}

func writeJSON(w io.Writer, v any) error {
	enc := json.NewEncoder(w)
	enc.SetIndent("", "  ")
	enc.SetEscapeHTML(false)
	return enc.Encode(v)
}
