// Package receiver is the in-container side of devstack watch and its
// protocol. When devstack cannot write into a container's root itself,
// package inject installs a small static program, devstack-receiver
// (cmd/devstack-receiver, only this package), in the container and keeps
// one exec of it running (Serve), which takes batches of file changes as
// tar streams over the exec's stdin, framed as frame.go describes, and
// answers each one (WriteBatch, ReadAck: the host's side). Writer is how
// both that receiver and the watch's direct path write files under an
// os.Root. The same receiver lists a tree and hashes files for catching up
// (List, Hash), and follows a directory with inotify to send written files
// back (see follow.go). The package imports nothing but the standard
// library and golang.org/x/sys/unix, so the receiver stays a few megabytes.
package receiver

// Receivers are installed in containers as Dir/PrefixHASH, HASH naming the
// receiver's build, so a container that has it already gets no second copy,
// and a newer devstack does not run an older receiver: a receiver removes
// the others when it starts (Prune).
const (
	Dir    = "/.devstack"
	Prefix = "receive-"
)
