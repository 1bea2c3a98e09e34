//go:build linux

package e2e

import (
	"fmt"
	"os"
	"slices"
)

// engineObjects are what devstack makes once for the whole engine, on first
// need: the snapshot store (a volume), the router (a container) and the
// images of its own programs (the router, the snapshot helper). The suite
// removes those it brought into being, and leaves alone those that were
// there before it.
type engineObjects struct {
	containers, volumes, images []string
}

func listEngineObjects() engineObjects {
	var o engineObjects
	o.containers, _ = dockerLines("ps", "-a", "-q", "--filter", "name=^devstack-router$")
	o.volumes, _ = dockerLines("volume", "ls", "-q", "--filter", "name=^devstack-snapshots$")
	for _, repo := range []string{"devstack-router", "devstack-snapshot"} {
		refs, _ := dockerLines("images", "--format", "{{.Repository}}:{{.Tag}}", "--filter", "reference="+repo)
		o.images = append(o.images, refs...)
	}
	return o
}

// removeNewEngineObjects removes what is in now but was not in before.
func removeNewEngineObjects(before engineObjects) {
	now := listEngineObjects()
	if len(now.containers) > 0 && len(before.containers) == 0 { // the router a script left running
		if _, err := dockerOut("rm", "-f", "devstack-router"); err != nil {
			fmt.Fprintln(os.Stderr, "e2e: cleanup:", err)
		}
	}
	for _, v := range now.volumes {
		if !slices.Contains(before.volumes, v) {
			if _, err := dockerOut("volume", "rm", v); err != nil {
				fmt.Fprintln(os.Stderr, "e2e: cleanup:", err)
			}
		}
	}
	for _, ref := range now.images {
		if !slices.Contains(before.images, ref) {
			if _, err := dockerOut("rmi", ref); err != nil {
				fmt.Fprintln(os.Stderr, "e2e: cleanup:", err)
			}
		}
	}
}
