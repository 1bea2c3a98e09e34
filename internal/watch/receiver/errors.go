package receiver

import "errors"

var (
	// ErrBroken: the receiver's stream failed (it exited, the connection
	// dropped, the watch ended); that receiver cannot be used any more.
	ErrBroken = errors.New("receiver stream broken")
	// ErrProtocol: the other side said something the protocol does not allow.
	ErrProtocol = errors.New("receiver protocol error")
	// ErrNoSpace: the container's file system is full (ENOSPC); nothing
	// of the file was left there. Another way of copying would not help.
	ErrNoSpace = errors.New("no space left on the container's file system")
)
