// Command devstack brings up local multi-container development stacks from
// compose files and built-in presets, driving the Docker Engine API directly.
package main

import (
	"os"

	"github.com/devstack/devstack/internal/cli"
	"github.com/devstack/devstack/internal/termquiet"
)

func main() {
	termquiet.Restore() // before anything reads the environment
	os.Exit(cli.Main(os.Args[1:], os.Stdin, os.Stdout, os.Stderr))
}
