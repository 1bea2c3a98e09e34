// Command docgen writes devstack's command reference, one Markdown page per
// command, from the cobra commands themselves (make docs):
//
//	go run ./internal/cli/docgen docs/reference
//
// It owns the directory's *.md files: pages of commands that no longer
// exist are removed. It is a program of its own so that cobra's doc
// generator is not linked into devstack.
package main

import (
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"strings"

	"github.com/spf13/cobra"
	"github.com/spf13/cobra/doc"

	"github.com/devstack/devstack/internal/cli"
)

// header starts every page.
const header = "<!-- Generated from devstack's commands by `make docs`; do not edit. -->\n\n"

// globalNote tells a command's page where the global flags are: they are
// the root command's own flags (given before the command, as in docker
// compose), so cobra lists them on the root's page only.
const globalNote = "Global flags (`-f`, `-p`, `--context`, ...) go before the command: see [devstack](devstack.md).\n\n"

// seeAlso heads the links at the end of a page.
const seeAlso = "### SEE ALSO\n"

func main() {
	if len(os.Args) != 2 {
		fmt.Fprintln(os.Stderr, "usage: docgen DIR")
		os.Exit(2)
	}
	if err := write(os.Args[1]); err != nil {
		fmt.Fprintf(os.Stderr, "docgen: %v\n", err)
		os.Exit(1)
	}
}

// write replaces the reference pages in dir with freshly generated ones.
func write(dir string) error {
	tmp, err := os.MkdirTemp("", "devstack-docgen-")
	if err != nil {
		return err
	}
	defer os.RemoveAll(tmp)
	if err := generate(tmp); err != nil {
		return err
	}
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return err
	}
	old, err := filepath.Glob(filepath.Join(dir, "*.md"))
	if err != nil {
		return err
	}
	for _, p := range old {
		if err := os.Remove(p); err != nil {
			return err
		}
	}
	pages, err := pageNames(tmp)
	if err != nil {
		return err
	}
	for _, name := range pages {
		b, err := os.ReadFile(filepath.Join(tmp, name))
		if err != nil {
			return err
		}
		if err := os.WriteFile(filepath.Join(dir, name), b, 0o644); err != nil {
			return err
		}
	}
	return nil
}

// generate writes one page per command into dir, which must be empty,
// with no date footer, and refuses a page that holds something of this
// machine (a flag default computed from it): such a default needs a help
// text that says what it is, as --project-name's does.
func generate(dir string) error {
	root := cli.Command()
	visit(root, func(c *cobra.Command) { c.DisableAutoGenTag = true })
	prepend := func(string) string { return header }
	link := func(name string) string { return name }
	if err := doc.GenMarkdownTreeCustom(root, dir, prepend, link); err != nil {
		return err
	}
	pages, err := pageNames(dir)
	if err != nil {
		return err
	}
	for _, name := range pages {
		p := filepath.Join(dir, name)
		b, err := os.ReadFile(p)
		if err != nil {
			return err
		}
		page := string(b)
		if what := machineSpecific(page); what != "" {
			return fmt.Errorf("%s holds %s: give that flag a default help text that does not depend on the machine", name, what)
		}
		if name != root.Name()+".md" {
			page = strings.Replace(page, seeAlso, globalNote+seeAlso, 1)
		}
		if err := os.WriteFile(p, []byte(page), 0o644); err != nil {
			return err
		}
	}
	return nil
}

// machineSpecific names what of this machine page holds, if anything: the
// home directory, the working directory, the host name.
func machineSpecific(page string) string {
	if home, err := os.UserHomeDir(); err == nil && len(home) > 1 && strings.Contains(page, home+"/") {
		return "the home directory " + home
	}
	if wd, err := os.Getwd(); err == nil && len(wd) > 1 && strings.Contains(page, wd) {
		return "the working directory " + wd
	}
	host, err := os.Hostname()
	if err != nil || len(host) < 4 || host == "localhost" {
		return ""
	}
	for _, word := range strings.FieldsFunc(page, func(r rune) bool { return !isNameRune(r) }) {
		if word == host {
			return "the host name " + host
		}
	}
	return ""
}

func isNameRune(r rune) bool {
	return r == '-' || r == '.' || r >= '0' && r <= '9' || r >= 'a' && r <= 'z' || r >= 'A' && r <= 'Z'
}

func visit(c *cobra.Command, fn func(*cobra.Command)) {
	fn(c)
	for _, sub := range c.Commands() {
		visit(sub, fn)
	}
}

// pageNames lists the *.md files in dir, sorted.
func pageNames(dir string) ([]string, error) {
	entries, err := os.ReadDir(dir)
	if err != nil {
		return nil, err
	}
	var names []string
	for _, e := range entries {
		if !e.IsDir() && strings.HasSuffix(e.Name(), ".md") {
			names = append(names, e.Name())
		}
	}
	slices.Sort(names)
	return names, nil
}
