package trust

import (
	"path"
	"strings"
)

// linuxStore is one Linux family's anchor directory and the command that
// rebuilds the bundles from it. The first whose directory exists and whose
// command is installed is the machine's.
type linuxStore struct {
	kind, dir, ext string
	update         []string
}

var linuxStores = []linuxStore{
	{"fedora", "/etc/pki/ca-trust/source/anchors", ".pem", []string{"update-ca-trust", "extract"}},
	{"debian", "/usr/local/share/ca-certificates", ".crt", []string{"update-ca-certificates"}},
	{"arch", "/etc/ca-certificates/trust-source/anchors", ".crt", []string{"trust", "extract-compat"}},
	{"suse", "/usr/share/pki/trust/anchors", ".pem", []string{"update-ca-certificates"}},
}

func linuxKind(kind string) (linuxStore, bool) {
	for _, s := range linuxStores {
		if s.kind == kind {
			return s, true
		}
	}
	return linuxStore{}, false
}

// planSystem plans the system store: a step, or a note saying why not and
// how to do it by hand.
func planSystem(h Host, cert Cert) (*Step, string) {
	switch h.GOOS {
	case "linux":
		return planLinux(h, cert)
	case "darwin":
		kc := path.Join(h.Home, "Library/Keychains/login.keychain-db")
		e := Entry{Kind: "macos", Store: StoreSystem, Target: kc, Name: cert.Name, SHA1: cert.SHA1}
		return &Step{Entry: e, Label: "the login keychain (" + kc + ")",
			Do:   []Cmd{{Args: []string{"security", "add-trusted-cert", "-r", "trustRoot", "-k", kc, cert.Path}}},
			Undo: systemUndo(h, e)}, ""
	case "windows":
		e := Entry{Kind: "windows", Store: StoreSystem, Target: "CurrentUser\\Root", Name: cert.Name, Serial: cert.Serial}
		return &Step{Entry: e, Label: "the user's Root store (certutil -user)",
			Do:   []Cmd{{Args: []string{"certutil", "-user", "-f", "-addstore", "Root", cert.Path}}},
			Undo: systemUndo(h, e)}, ""
	}
	return nil, "system store: not supported on " + h.GOOS + "; add " + cert.Path + " to it by hand"
}

func planLinux(h Host, cert Cert) (*Step, string) {
	for _, s := range linuxStores {
		if !h.Exists(s.dir) || !h.has(s.update[0]) {
			continue
		}
		dst := path.Join(s.dir, cert.Name+s.ext)
		update := strings.Join(s.update, " ")
		if !h.Root && !h.has("sudo") {
			return nil, "system store: needs root and there is no sudo; as root run: install -m 0644 " + cert.Path + " " + dst + " && " + update
		}
		e := Entry{Kind: s.kind, Store: StoreSystem, Target: dst, Name: cert.Name, Sudo: !h.Root}
		return &Step{Entry: e, Label: label(e),
			Do:   []Cmd{sudo(h, e.Sudo, "install", "-m", "0644", cert.Path, dst), sudo(h, e.Sudo, s.update...)},
			Undo: systemUndo(h, e)}, ""
	}
	return nil, "system store: no known CA directory with its update command (update-ca-certificates, update-ca-trust, trust); add " + cert.Path + " to it by hand"
}

// systemUndo removes a system entry: the file and a rebuild, the keychain
// entry and its trust settings, the Root store entry.
func systemUndo(h Host, e Entry) []Cmd {
	switch e.Kind {
	case "macos":
		return []Cmd{{Args: []string{"security", "delete-certificate", "-t", "-Z", e.SHA1, e.Target}}}
	case "windows":
		return []Cmd{{Args: []string{"certutil", "-user", "-delstore", "Root", e.Serial}}}
	}
	s, ok := linuxKind(e.Kind)
	if !ok {
		return nil
	}
	return []Cmd{sudo(h, e.Sudo, "rm", "-f", e.Target), sudo(h, e.Sudo, s.update...)}
}
