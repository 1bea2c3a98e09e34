// Package atomicfile writes files whole or not at all: each goes to a
// temporary file beside it and is renamed into place once written, so a
// full disk (ENOSPC) or an interruption never leaves a half-written file,
// and the error names the file.
package atomicfile

import (
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"syscall"
)

// File is one file to write.
type File struct {
	Path string
	Data []byte
	Perm os.FileMode
}

// Write writes one file.
func Write(path string, data []byte, perm os.FileMode) error {
	return WriteAll(File{Path: path, Data: data, Perm: perm})
}

// WriteAll writes the files all or, as far as renames in one directory
// go, none: every one is written to its temporary file first, and only
// when all are written are they renamed into place. On error no temporary
// file stays and no file was replaced.
func WriteAll(files ...File) error {
	tmps := make([]string, 0, len(files))
	defer func() {
		for _, t := range tmps {
			_ = os.Remove(t) // renamed ones are gone already
		}
	}()
	for _, f := range files {
		tmp, err := writeTemp(f)
		if err != nil {
			return err
		}
		tmps = append(tmps, tmp)
	}
	for i, f := range files {
		if err := os.Rename(tmps[i], f.Path); err != nil {
			return fmt.Errorf("writing %s: %w", f.Path, err)
		}
	}
	return nil
}

func writeTemp(f File) (string, error) {
	t, err := os.CreateTemp(filepath.Dir(f.Path), "."+filepath.Base(f.Path)+".tmp-*")
	if err != nil {
		return "", fmt.Errorf("writing %s: %w", f.Path, err)
	}
	_, err = t.Write(f.Data)
	if err == nil {
		err = t.Chmod(f.Perm)
	}
	if cerr := t.Close(); err == nil {
		err = cerr
	}
	if err != nil {
		_ = os.Remove(t.Name())
		if errors.Is(err, syscall.ENOSPC) {
			return "", fmt.Errorf("writing %s: no space left on its device (nothing written): %w", f.Path, unwrapPath(err))
		}
		return "", fmt.Errorf("writing %s (nothing written): %w", f.Path, unwrapPath(err))
	}
	return t.Name(), nil
}

// unwrapPath drops the temporary file's name from an *os.PathError: the
// message names the file being written instead.
func unwrapPath(err error) error {
	if pe, ok := err.(*os.PathError); ok {
		return pe.Err
	}
	return err
}
