//go:build !linux

package router

import "time"

// processCPU: not measured here.
func processCPU() time.Duration { return 0 }
