//go:build !(linux || darwin || freebsd)

package diskspace

// Of is not known on this system: ErrUnknown.
func Of(string) (free, total uint64, err error) { return 0, 0, ErrUnknown }
