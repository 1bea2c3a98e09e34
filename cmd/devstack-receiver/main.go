// Command devstack-receiver is devstack watch's file receiver: devstack
// copies it into a container (/.devstack/receive-HASH) and runs it as one
// exec, `receive-HASH receive`, when it cannot write into the container's
// root itself. It applies the batches it reads on stdin below / and answers
// on stdout (see package receiver). Built static for linux/amd64 and
// linux/arm64 and embedded in devstack (package inject); it imports only
// the standard library and package receiver.
package main

import (
	"fmt"
	"os"

	"github.com/devstack/devstack/internal/watch/receiver"
)

func main() {
	if len(os.Args) != 2 || os.Args[1] != "receive" {
		fmt.Fprintln(os.Stderr, "usage: devstack-receiver receive (devstack watch runs it in containers)")
		os.Exit(2)
	}
	if exe, err := os.Executable(); err == nil {
		receiver.Prune(exe)
	}
	if err := receiver.Serve(os.Stdin, os.Stdout, "/"); err != nil {
		fmt.Fprintln(os.Stderr, "devstack-receiver:", err)
		os.Exit(1)
	}
}
