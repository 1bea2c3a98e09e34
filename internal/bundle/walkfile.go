package bundle

import "io"

// Walk reads the archive once as a tar stream, compressed as load reads
// them (told by magic bytes), through the same guards as Load and Check:
// the expansion bound, unsupported member types refused, damage named at
// its member, the compressed stream read to its end. fn sees each member
// with its content; it checks the names itself (CheckName is for
// save/load's own members). Other formats of devstack's (a snapshot's
// export) are read with it.
func (a *Archive) Walk(fn func(Member, io.Reader) error) error {
	return walk(a.reader(noMeter{}), fn)
}

// Name is how messages name the archive: its file, or standard input.
func (a *Archive) Name() string { return a.name }

// ExpansionBudget is the most an archive (or a compressed member) of size
// bytes may expand to before it counts as a decompression bomb.
func ExpansionBudget(size int64) int64 { return max(minBudget, maxExpansion*size) }

// RelProblem says why name is no safe relative path (no "..", not
// absolute, clean, no backslash), or "" when it is one.
func RelProblem(name string) string { return relProblem(name) }
