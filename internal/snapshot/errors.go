package snapshot

import "errors"

var (
	// ErrNoVolumes is a save or restore with nothing to copy: the project
	// (or the named services) has no named volume of its own.
	ErrNoVolumes = errors.New("no named volumes")
	// ErrUnknownVolume is a --volume that is not a volume key of the project.
	ErrUnknownVolume = errors.New("no such volume in the project")
	// ErrNoSnapshot is a name no snapshot of the project has.
	ErrNoSnapshot = errors.New("no such snapshot")
	// ErrTooBig is a save over SaveOptions.MaxContent: nothing was written.
	ErrTooBig = errors.New("volumes over the size limit")
	// ErrHelper is the helper container failing; its message follows.
	ErrHelper = errors.New("snapshot helper")
)
