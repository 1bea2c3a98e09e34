package logs

import (
	"bytes"
	"time"
)

// LineSplitter hands each complete line written to it, without its newline
// (nor a carriage return before it), to emit; Flush hands on the rest.
type LineSplitter struct {
	emit func(line []byte)
	buf  []byte
}

// NewLineSplitter hands each line written to it to emit.
func NewLineSplitter(emit func(line []byte)) *LineSplitter {
	return &LineSplitter{emit: emit}
}

func (w *LineSplitter) Write(b []byte) (int, error) {
	w.buf = append(w.buf, b...)
	for {
		i := bytes.IndexByte(w.buf, '\n')
		if i < 0 {
			return len(b), nil
		}
		w.emit(bytes.TrimSuffix(w.buf[:i], []byte{'\r'}))
		w.buf = w.buf[i+1:]
	}
}

// Flush hands on a last line that has no newline.
func (w *LineSplitter) Flush() {
	if len(w.buf) > 0 {
		w.emit(bytes.TrimSuffix(w.buf, []byte{'\r'}))
		w.buf = nil
	}
}

// splitTimestamp reads the engine's timestamp before a log line.
func splitTimestamp(line []byte) (time.Time, []byte) {
	if sp := bytes.IndexByte(line, ' '); sp > 0 {
		if t, err := time.Parse(time.RFC3339Nano, string(line[:sp])); err == nil {
			return t, line[sp+1:]
		}
	}
	return time.Time{}, line
}
