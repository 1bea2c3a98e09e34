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
	w, err := Create(f.Path, f.Perm)
	if err != nil {
		return "", err
	}
	if _, err := w.Write(f.Data); err != nil {
		w.Abort()
		return "", w.failed(err)
	}
	return w.finish()
}

// Writer is a file written as a stream: into a temporary file beside
// its path, renamed into place by Commit. Abort, or a failed Commit,
// removes the temporary file, so the path never holds a partial file.
type Writer struct {
	f    *os.File
	path string
	perm os.FileMode
	done bool
}

// Create starts writing path, which gets perm once committed.
func Create(path string, perm os.FileMode) (*Writer, error) {
	f, err := os.CreateTemp(filepath.Dir(path), "."+filepath.Base(path)+".tmp-*")
	if err != nil {
		return nil, fmt.Errorf("writing %s: %w", path, err)
	}
	return &Writer{f: f, path: path, perm: perm}, nil
}

// Write writes to the temporary file; an error does not name it (the
// caller names the file being written).
func (w *Writer) Write(p []byte) (int, error) {
	n, err := w.f.Write(p)
	return n, unwrapPath(err)
}

// Commit closes the file and renames it into place; on error nothing
// stays.
func (w *Writer) Commit() error {
	tmp, err := w.finish()
	if err != nil {
		return err
	}
	if err := os.Rename(tmp, w.path); err != nil {
		_ = os.Remove(tmp)
		return fmt.Errorf("writing %s: %w", w.path, err)
	}
	return nil
}

// Abort removes the temporary file; after Commit it does nothing.
func (w *Writer) Abort() {
	if !w.done {
		w.done = true
		_ = w.f.Close()
		_ = os.Remove(w.f.Name())
	}
}

// finish sets the permissions and closes the temporary file, returning
// its name; on error it is removed.
func (w *Writer) finish() (string, error) {
	w.done = true
	err := w.f.Chmod(w.perm)
	if cerr := w.f.Close(); err == nil {
		err = cerr
	}
	if err != nil {
		_ = os.Remove(w.f.Name())
		return "", w.failed(err)
	}
	return w.f.Name(), nil
}

// failed names the file being written; a full disk says so.
func (w *Writer) failed(err error) error {
	if errors.Is(err, syscall.ENOSPC) {
		return fmt.Errorf("writing %s: no space left on its device (nothing written): %w", w.path, unwrapPath(err))
	}
	return fmt.Errorf("writing %s (nothing written): %w", w.path, unwrapPath(err))
}

// unwrapPath drops the temporary file's name from an *os.PathError: the
// message names the file being written instead.
func unwrapPath(err error) error {
	if pe, ok := err.(*os.PathError); ok && pe.Err != nil {
		return pe.Err
	}
	return err
}
