package stack

import (
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"strings"

	"github.com/compose-spec/compose-go/v2/types"
	"github.com/docker/docker/api/types/swarm"
)

// object is what a secret and a config have in common once converted.
type object struct {
	name     string
	external bool
	ann      swarm.Annotations
	data     []byte
	driver   *swarm.Driver
	template *swarm.Driver
}

// convertObject reads a secret's or config's content (file:, content: or
// environment:) and names it NAMESPACE_KEY-<10 hex of the SHA-256 of the
// content>, or NAME-<hash> for an explicit name:. An external one keeps
// its name and is not read. kind is "secret" or "config", for messages.
func (c *converter) convertObject(kind, key string, obj types.FileObjectConfig) (object, error) {
	if obj.External {
		name := c.objectName(key, obj.Name, true)
		return object{name: name, external: true, ann: swarm.Annotations{Name: name}}, nil
	}
	data, err := c.content(kind, key, obj)
	if err != nil {
		return object{}, err
	}
	o := object{data: data}
	if obj.Driver != "" {
		o.driver = &swarm.Driver{Name: obj.Driver, Options: obj.DriverOpts}
	}
	if obj.TemplateDriver != "" {
		o.template = &swarm.Driver{Name: obj.TemplateDriver}
	}
	o.name = c.objectName(key, obj.Name, false) + "-" + contentDigest(o)
	if err := checkObjectName(kind, key, o.name); err != nil {
		return object{}, err
	}
	o.ann = swarm.Annotations{Name: o.name, Labels: c.stackLabels(obj.Labels)}
	return o, nil
}

func (c *converter) content(kind, key string, obj types.FileObjectConfig) ([]byte, error) {
	switch {
	case obj.Environment != "":
		v, ok := c.p.Environment[obj.Environment]
		if !ok {
			return nil, fmt.Errorf("%w %s %s: environment variable %s is not set", ErrSource, kind, key, obj.Environment)
		}
		return []byte(v), nil
	case obj.File != "":
		b, err := c.readFile(obj.File)
		if err != nil {
			return nil, fmt.Errorf("%w %s %s: %v", ErrSource, kind, key, err)
		}
		return b, nil
	case obj.Content != "":
		return []byte(obj.Content), nil
	case obj.Driver != "":
		return nil, nil // the driver provides the value
	}
	return nil, fmt.Errorf("%w: %s %s has none of file, content, environment or external", ErrInvalid, kind, key)
}

// contentDigest is the first 10 hex digits of the SHA-256 of the content
// (and of the drivers, when set, which change what the object holds).
func contentDigest(o object) string {
	h := sha256.New()
	h.Write(o.data)
	if o.driver != nil || o.template != nil {
		fmt.Fprintf(h, "\x00%v\x00%v", o.driver, o.template)
	}
	return hex.EncodeToString(h.Sum(nil))[:10]
}

// fileTarget is the reference's target with compose's defaults: uid and
// gid 0, mode 0444. A secret's target under /run/secrets/ is given
// relative to it, as every engine takes it.
func fileTarget(ref types.FileReferenceConfig, dir string) (name, uid, gid string, mode uint32) {
	name, uid, gid, mode = ref.Target, ref.UID, ref.GID, 0o444
	if name == "" {
		name = ref.Source
		if dir == "/" {
			name = "/" + ref.Source
		}
	}
	if dir != "/" {
		name = strings.TrimPrefix(name, dir)
	}
	if uid == "" {
		uid = "0"
	}
	if gid == "" {
		gid = "0"
	}
	if ref.Mode != nil {
		mode = uint32(*ref.Mode)
	}
	return name, uid, gid, mode
}
