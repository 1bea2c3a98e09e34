package routerctl

import "errors"

var (
	// ErrNoProgram: this devstack carries no router program for the engine's
	// platform.
	ErrNoProgram = errors.New("this devstack has no router program")
	// ErrNoRouter: no router container on the engine.
	ErrNoRouter = errors.New("no router running (devstack up --router starts it)")
)
