// Package version holds devstack's version; release builds set it at link
// time (the Makefile's LDFLAGS).
package version

// Version is devstack's version; it is also written as the compose version label.
var Version = "0.1.0"
