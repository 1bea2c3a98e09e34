// Package trust adds devstack's local CA certificate to the trust stores of
// the machine (the system store: Debian/Ubuntu, Fedora/RHEL, Arch, SUSE,
// macOS's login keychain, Windows's user Root store) and of its browsers
// (the NSS databases of Chromium and of each Firefox profile, through
// certutil), and removes exactly what it added. The plan is pure (a Host
// describes the machine); Apply runs it through a Runner, so tests plan
// and run against fakes. Only the certificate is ever read: never the key.
package trust

import (
	"crypto/sha1"
	"crypto/sha256"
	"crypto/x509"
	"encoding/hex"
	"encoding/pem"
	"errors"
	"fmt"
	"strings"
)

// The stores a plan may cover (router trust --stores).
const (
	StoreSystem = "system"
	StoreNSS    = "nss"
)

// Stores are all the stores, the default.
var Stores = []string{StoreSystem, StoreNSS}

// ErrNotCertificate: the CA file holds no PEM certificate.
var ErrNotCertificate = errors.New("not a PEM certificate")

// Cert is the CA certificate as the stores name it.
type Cert struct {
	Path   string // the PEM file
	Name   string // devstack-ca-FINGERPRINT8: file names and NSS nicknames
	SHA1   string // hex, upper case: how macOS and Windows find it
	Serial string // hex: how Windows's certutil -delstore finds it
}

// ParseCert names the certificate in pemData, read from path.
func ParseCert(path string, pemData []byte) (Cert, error) {
	b, _ := pem.Decode(pemData)
	if b == nil || b.Type != "CERTIFICATE" {
		return Cert{}, fmt.Errorf("%s: %w", path, ErrNotCertificate)
	}
	c, err := x509.ParseCertificate(b.Bytes)
	if err != nil {
		return Cert{}, fmt.Errorf("%s: %w", path, err)
	}
	sum := sha256.Sum256(c.Raw)
	s1 := sha1.Sum(c.Raw)
	return Cert{
		Path:   path,
		Name:   "devstack-ca-" + hex.EncodeToString(sum[:4]),
		SHA1:   strings.ToUpper(hex.EncodeToString(s1[:])),
		Serial: c.SerialNumber.Text(16),
	}, nil
}

// Host is what a plan needs to know of the machine.
type Host struct {
	GOOS        string
	Home        string
	Root        bool // running as root: the system store needs no sudo
	Interactive bool // sudo may ask for a password
	LookPath    func(name string) (string, error)
	Exists      func(path string) bool
	Glob        func(pattern string) ([]string, error)
}

func (h Host) has(cmd string) bool {
	_, err := h.LookPath(cmd)
	return err == nil
}

// Entry is one thing trust adds, as the record keeps it: enough to undo it
// later without planning again.
type Entry struct {
	Kind    string `json:"kind"`              // a system kind (debian, fedora, ...) or "nss"
	Store   string `json:"store"`             // StoreSystem or StoreNSS
	Target  string `json:"target"`            // the file written, the keychain or NSS database
	Name    string `json:"name"`              // the certificate's file name or nickname
	SHA1    string `json:"sha1,omitempty"`    // macOS
	Serial  string `json:"serial,omitempty"`  // Windows
	Created bool   `json:"created,omitempty"` // trust made this NSS database
	Sudo    bool   `json:"sudo,omitempty"`    // its commands run through sudo
}

// Cmd is one command a step runs.
type Cmd struct {
	Args []string
}

func (c Cmd) String() string { return strings.Join(c.Args, " ") }

// Step is one entry and the commands that add it (Do) or remove it (Undo).
type Step struct {
	Entry Entry
	Do    []Cmd
	Undo  []Cmd
	Label string // what it is, for the report: "the system store (/usr/...)"
}

// Plan is what trust will do, and the lines on what it cannot.
type Plan struct {
	Steps []Step
	Notes []string
}

// PlanTrust plans adding cert to the stores named (both when none).
func PlanTrust(h Host, cert Cert, stores []string) (Plan, error) {
	var p Plan
	want, err := storeSet(stores)
	if err != nil {
		return p, err
	}
	if want[StoreSystem] {
		step, note := planSystem(h, cert)
		if step != nil {
			p.Steps = append(p.Steps, *step)
		}
		if note != "" {
			p.Notes = append(p.Notes, note)
		}
	}
	if want[StoreNSS] {
		steps, notes := planNSS(h, cert)
		p.Steps = append(p.Steps, steps...)
		p.Notes = append(p.Notes, notes...)
	}
	return p, nil
}

// PlanUndo plans removing the entries a record holds.
func PlanUndo(h Host, entries []Entry) Plan {
	var p Plan
	for _, e := range entries {
		s := Step{Entry: e, Label: label(e)}
		if e.Store == StoreNSS {
			s.Undo = nssUndo(h, e)
		} else {
			s.Undo = systemUndo(h, e)
		}
		p.Steps = append(p.Steps, s)
	}
	return p
}

func storeSet(stores []string) (map[string]bool, error) {
	if len(stores) == 0 {
		stores = Stores
	}
	set := map[string]bool{}
	for _, s := range stores {
		switch s {
		case StoreSystem, StoreNSS:
			set[s] = true
		default:
			return nil, fmt.Errorf("unknown trust store %q: want %s", s, strings.Join(Stores, " or "))
		}
	}
	return set, nil
}

func label(e Entry) string {
	if e.Store == StoreNSS {
		return "the browsers' NSS database " + e.Target
	}
	if e.Sudo {
		return "the system store (" + e.Target + ", as root through sudo)"
	}
	return "the system store (" + e.Target + ")"
}

// sudo prefixes args with sudo when the entry needs it.
func sudo(h Host, needs bool, args ...string) Cmd {
	if !needs {
		return Cmd{Args: args}
	}
	if h.Interactive {
		return Cmd{Args: append([]string{"sudo", "--prompt=devstack router trust: password for %u (to change the system store): ", "--"}, args...)}
	}
	return Cmd{Args: append([]string{"sudo", "-n", "--"}, args...)}
}
