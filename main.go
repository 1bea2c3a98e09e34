// Command devstack brings up local multi-container development stacks from
// compose files and built-in presets, driving the Docker Engine API directly.
package main

import (
	"os"
	"runtime"
	"runtime/debug"

	"github.com/devstack/devstack/internal/cli"
	"github.com/devstack/devstack/internal/termquiet"
)

func main() {
	termquiet.Restore() // before anything reads the environment
	delayFirstCollection()
	os.Exit(cli.Main(os.Args[1:], os.Stdin, os.Stdout, os.Stderr))
}

// delayFirstCollection lets the heap reach 8 MB instead of the runtime's
// 4 MB before the first garbage collection, then restores GOGC=100.
//
// compose-go's JSON schema library compiles the metaschemas of every draft
// in its init(): 1.7 MB allocated before main runs, in every process. With
// a compose file loaded on top, a command as short as ps went past 4 MB and
// ran a collection cycle, whose mark workers and stop-the-world pauses wait
// for a CPU on a busy machine. One cycle later the heap goal follows the
// live heap as before, so long-running commands (watch, up with logs, save)
// are unaffected. A GOGC set by the user is left alone.
func delayFirstCollection() {
	if _, set := os.LookupEnv("GOGC"); set {
		return
	}
	prev := debug.SetGCPercent(200)
	// The cleanup runs once a collection has found sentinel unreachable,
	// i.e. after the first one. 16 bytes keep it out of the tiny allocator,
	// whose shared blocks may never be freed.
	sentinel := new([16]byte)
	runtime.AddCleanup(sentinel, func(percent int) { debug.SetGCPercent(percent) }, prev)
}
