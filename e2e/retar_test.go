package e2e

import (
	"archive/tar"
	"bytes"
	"crypto/sha256"
	"encoding/binary"
	"encoding/hex"
	"encoding/json"
	"io"
	"os"
	"strconv"
	"strings"

	"github.com/klauspost/compress/zstd"
	"github.com/rogpeppe/go-internal/testscript"
)

const bundleManifest = "devstack-manifest.json"

// cmdRetar implements `retar IN OUT EDIT...`: it copies IN, an archive of
// devstack save --compression none, to OUT as a hostile archive would be
// written, consistent with itself. An EDIT FIELD:=JSON sets a field of the
// manifest; NAME=FILE (NAME in Go's double quotes may hold escapes) replaces member NAME's content with FILE's (or adds
// it before the manifest), and the manifest lists it with its size and
// SHA-256. Headers are kept as they were.
func cmdRetar(ts *testscript.TestScript, neg bool, args []string) {
	if neg || len(args) < 2 {
		ts.Fatalf("usage: retar IN OUT [FIELD:=JSON | NAME=FILE]...")
	}
	in, err := os.ReadFile(ts.MkAbs(args[0]))
	ts.Check(err)
	fields, files := map[string]json.RawMessage{}, map[string][]byte{}
	var order []string
	for _, a := range args[2:] {
		if k, v, ok := strings.Cut(a, ":="); ok {
			fields[k] = json.RawMessage(v)
			continue
		}
		k, v, _ := strings.Cut(a, "=")
		if uq, err := strconv.Unquote(k); err == nil {
			k = uq // a name with control characters, in Go's quotes
		}
		b, err := os.ReadFile(ts.MkAbs(v))
		ts.Check(err)
		files[k] = b
		order = append(order, k)
	}
	var out bytes.Buffer
	tw := tar.NewWriter(&out)
	tr := tar.NewReader(bytes.NewReader(in))
	var manifest map[string]json.RawMessage
	seen := map[string]bool{}
	for {
		h, err := tr.Next()
		if err == io.EOF {
			break
		}
		ts.Check(err)
		body, err := io.ReadAll(tr)
		ts.Check(err)
		if h.Name == bundleManifest {
			ts.Check(json.Unmarshal(body, &manifest))
			continue
		}
		if b, ok := files[h.Name]; ok {
			body, h.Size, seen[h.Name] = b, int64(len(b)), true
		}
		ts.Check(tw.WriteHeader(h))
		_, err = tw.Write(body)
		ts.Check(err)
	}
	for _, name := range order {
		if !seen[name] {
			ts.Check(tw.WriteHeader(&tar.Header{Name: name, Typeflag: tar.TypeReg, Mode: 0o644, Size: int64(len(files[name]))}))
			tw.Write(files[name])
		}
	}
	for k, v := range fields {
		manifest[k] = v
	}
	manifest["members"] = retarMembers(ts, manifest["members"], files, order)
	b, err := json.MarshalIndent(manifest, "", "  ")
	ts.Check(err)
	ts.Check(tw.WriteHeader(&tar.Header{Name: bundleManifest, Typeflag: tar.TypeReg, Mode: 0o644, Size: int64(len(b))}))
	tw.Write(b)
	ts.Check(tw.Close())
	ts.Check(os.WriteFile(ts.MkAbs(args[1]), out.Bytes(), 0o644))
}

// retarMembers lists the replaced and added files in the manifest's
// members with their new size and SHA-256.
func retarMembers(ts *testscript.TestScript, raw json.RawMessage, files map[string][]byte, order []string) json.RawMessage {
	var members []map[string]any
	ts.Check(json.Unmarshal(raw, &members))
	listed := map[string]bool{}
	for _, m := range members {
		name, _ := m["name"].(string)
		if b, ok := files[name]; ok {
			sum := sha256.Sum256(b)
			m["size"], m["sha256"], listed[name] = len(b), hex.EncodeToString(sum[:]), true
		}
	}
	for _, name := range order {
		if !listed[name] {
			sum := sha256.Sum256(files[name])
			members = append(members, map[string]any{"name": name, "type": "file", "size": len(files[name]), "mode": 0o644, "sha256": hex.EncodeToString(sum[:])})
		}
	}
	b, err := json.Marshal(members)
	ts.Check(err)
	return b
}

// cmdLdmbomb implements `ldmbomb MEMBER SIZE OUT`: a zstd-long archive of
// a few hundred bytes whose one member MEMBER claims SIZE bytes (the tar
// header and a byte as literals, the rest one long-distance match).
func cmdLdmbomb(ts *testscript.TestScript, neg bool, args []string) {
	if neg || len(args) != 3 {
		ts.Fatalf("usage: ldmbomb MEMBER SIZE OUT")
	}
	size, err := strconv.ParseInt(args[1], 10, 64)
	ts.Check(err)
	var hdr bytes.Buffer
	tw := tar.NewWriter(&hdr)
	ts.Check(tw.WriteHeader(&tar.Header{Name: args[0], Typeflag: tar.TypeReg, Mode: 0o644, Size: size}))
	// the header is written; the content never is
	lits := append(hdr.Bytes(), 'x')
	stream := binary.AppendUvarint([]byte("dsldm\x00\x01\x1a"), uint64(len(lits)))
	stream = binary.AppendUvarint(stream, uint64(size-1))
	stream = binary.AppendUvarint(stream, 1)
	stream = append(append(stream, lits...), 0, 0)
	var out bytes.Buffer
	z, err := zstd.NewWriter(&out)
	ts.Check(err)
	z.Write(stream)
	ts.Check(z.Close())
	ts.Check(os.WriteFile(ts.MkAbs(args[2]), out.Bytes(), 0o644))
}
