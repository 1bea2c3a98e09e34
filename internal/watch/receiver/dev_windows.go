package receiver

import "io/fs"

// devOf: Windows has no devices to tell apart here.
func devOf(fs.FileInfo) (uint64, bool) { return 0, false }
