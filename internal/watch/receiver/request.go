package receiver

import (
	"archive/tar"
	"bufio"
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"os"
)

// maxAnswer bounds an answer to frameList or frameHash.
const maxAnswer = 256 << 20

// serveQuery answers frameList (payload: a container directory) or
// frameHash (payload: container paths) with frameData frames and frameOK,
// or frameFail.
func serveQuery(r *os.Root, bw *bufio.Writer, kind byte, payload []byte) error {
	var data []byte
	if kind == frameList {
		stats, err := List(r, string(payload))
		if err != nil {
			return answer(bw, frameFail, err.Error())
		}
		data = appendStats(nil, stats)
	} else {
		data = appendSums(nil, Hash(r, splitPaths(payload)))
	}
	for len(data) > 0 {
		k := min(len(data), chunkBytes)
		if err := writeFrame(bw, frameData, data[:k]); err != nil {
			return err
		}
		data = data[k:]
	}
	return answer(bw, frameOK, "")
}

// RequestList asks the receiver for the tree below the container
// directory dir (see List). An error wrapping ErrBroken means the stream
// is gone; another one that the receiver could not list it.
func RequestList(w *bufio.Writer, r io.Reader, dir string) ([]Stat, error) {
	data, err := request(w, r, frameList, []byte(dir))
	if err != nil {
		return nil, err
	}
	stats, err := decodeStats(data)
	if err != nil {
		return nil, fmt.Errorf("%w: %v", ErrBroken, err)
	}
	return stats, nil
}

// RequestHash asks the receiver for the SHA-256 of the container paths
// (see Hash).
func RequestHash(w *bufio.Writer, r io.Reader, paths []string) ([]Sum, error) {
	if len(paths) == 0 {
		return nil, nil
	}
	data, err := request(w, r, frameHash, joinPaths(paths))
	if err != nil {
		return nil, err
	}
	sums, err := decodeSums(data, len(paths))
	if err != nil {
		return nil, fmt.Errorf("%w: %v", ErrBroken, err)
	}
	return sums, nil
}

// request sends one question and collects its answer's data.
func request(w *bufio.Writer, r io.Reader, kind byte, payload []byte) ([]byte, error) {
	if len(payload) > maxFrame {
		return nil, fmt.Errorf("request of %d bytes: too large for one frame", len(payload))
	}
	err := writeFrame(w, kind, payload)
	if err == nil {
		err = w.Flush()
	}
	if err != nil {
		return nil, fmt.Errorf("%w: %v", ErrBroken, err)
	}
	var data bytes.Buffer
	for {
		k, p, err := readFrame(r)
		switch {
		case err != nil:
			return nil, fmt.Errorf("%w: %v", ErrBroken, err)
		case k == frameData && data.Len()+len(p) <= maxAnswer:
			data.Write(p)
		case k == frameOK:
			return data.Bytes(), nil
		case k == frameFail:
			return nil, errors.New(string(p))
		default:
			return nil, fmt.Errorf("%w: %v: answer %q", ErrBroken, ErrProtocol, k)
		}
	}
}

// RequestFollow turns the stream into a follow stream (see serveFollow):
// after it, only ReadBack reads from r, and closing the host's side of the
// stream ends it.
func RequestFollow(w *bufio.Writer, r io.Reader, req FollowRequest) error {
	payload, err := json.Marshal(req)
	if err != nil {
		return err
	}
	_, err = request(w, r, frameFollow, payload)
	return err
}

// ReadBack reads the next batch the receiver sends back and hands fn its
// tar stream; an error wrapping ErrBroken when the stream ended or broke.
// fn's own error is returned as it is, with the stream read to the
// batch's end.
func ReadBack(r *bufio.Reader, fn func(*tar.Reader) error) error {
	kind, _, err := readFrame(r)
	if err != nil {
		return fmt.Errorf("%w: %v", ErrBroken, err)
	}
	if kind != frameBatch {
		return fmt.Errorf("%w: %v: frame %q between batches", ErrBroken, ErrProtocol, kind)
	}
	s := &tarStream{r: r}
	ferr := fn(tar.NewReader(s))
	if end := s.finish(); end != nil {
		if fatal(end) {
			return fmt.Errorf("%w: %v", ErrBroken, end)
		}
		if ferr == nil {
			ferr = end
		}
	}
	return ferr
}
