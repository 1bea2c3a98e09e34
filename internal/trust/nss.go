package trust

import (
	"path"
	"sort"
)

// NSS databases (Chromium and Chrome on Linux, Firefox everywhere) are
// changed with NSS's certutil (Debian/Ubuntu: libnss3-tools; Fedora:
// nss-tools; macOS: brew install nss).

// chromiumDBs are the per-user databases Chromium-family browsers read on
// Linux.
var chromiumDBs = []string{".pki/nssdb", "snap/chromium/current/.pki/nssdb"}

// chromiumBins: when one is installed and ~/.pki/nssdb does not exist yet
// (a browser never started), trust makes the database so the browser
// finds the CA on its first start.
var chromiumBins = []string{"chromium", "chromium-browser", "google-chrome", "google-chrome-stable", "brave-browser", "microsoft-edge"}

// firefoxProfiles are the globs of Firefox profile directories per OS.
var firefoxProfiles = map[string][]string{
	"linux":  {".mozilla/firefox/*", "snap/firefox/common/.mozilla/firefox/*", ".var/app/org.mozilla.firefox/.mozilla/firefox/*"},
	"darwin": {"Library/Application Support/Firefox/Profiles/*"},
}

// brewCertutil are where Homebrew's nss puts certutil on macOS.
var brewCertutil = []string{"/opt/homebrew/opt/nss/bin/certutil", "/usr/local/opt/nss/bin/certutil"}

func certutil(h Host) string {
	if p, err := h.LookPath("certutil"); err == nil {
		return p
	}
	if h.GOOS == "darwin" {
		for _, p := range brewCertutil {
			if h.Exists(p) {
				return p
			}
		}
	}
	return ""
}

// nssDBs lists the databases present (cert9.db in them) and, on Linux
// with a Chromium-family browser installed, ~/.pki/nssdb to be made.
func nssDBs(h Host) (dbs []string, create string) {
	var dirs []string
	if h.GOOS == "linux" {
		for _, d := range chromiumDBs {
			dirs = append(dirs, path.Join(h.Home, d))
		}
	}
	for _, g := range firefoxProfiles[h.GOOS] {
		m, _ := h.Glob(path.Join(h.Home, g))
		sort.Strings(m)
		dirs = append(dirs, m...)
	}
	for _, d := range dirs {
		if h.Exists(path.Join(d, "cert9.db")) {
			dbs = append(dbs, d)
		}
	}
	main := path.Join(h.Home, chromiumDBs[0])
	if h.GOOS == "linux" && !h.Exists(path.Join(main, "cert9.db")) {
		for _, b := range chromiumBins {
			if h.has(b) {
				return dbs, main
			}
		}
	}
	return dbs, ""
}

// planNSS plans a step per database, or one line saying how.
func planNSS(h Host, cert Cert) ([]Step, []string) {
	if h.GOOS == "windows" {
		return nil, []string{"browsers: Chrome and Edge read the Windows store; Firefox does too with security.enterprise_roots.enabled (its default)"}
	}
	dbs, create := nssDBs(h)
	if len(dbs) == 0 && create == "" {
		return nil, []string{"browsers: no NSS database found (~/.pki/nssdb, Firefox profiles); start the browser once, then run devstack router trust again"}
	}
	cu := certutil(h)
	if cu == "" {
		return nil, []string{"browsers: certutil not found (Debian/Ubuntu: apt-get install libnss3-tools; Fedora: dnf install nss-tools; macOS: brew install nss), then run devstack router trust again"}
	}
	var steps []Step
	add := func(db string, created bool) {
		e := Entry{Kind: "nss", Store: StoreNSS, Target: db, Name: cert.Name, Created: created}
		var do []Cmd
		if created {
			do = append(do, Cmd{Args: []string{"mkdir", "-p", db}}, Cmd{Args: []string{cu, "-d", "sql:" + db, "-N", "--empty-password"}})
		}
		do = append(do, Cmd{Args: []string{cu, "-d", "sql:" + db, "-A", "-t", "C,,", "-n", cert.Name, "-i", cert.Path}})
		steps = append(steps, Step{Entry: e, Label: label(e), Do: do, Undo: nssUndo(h, e)})
	}
	if create != "" {
		add(create, true)
	}
	for _, db := range dbs {
		add(db, false)
	}
	return steps, nil
}

func nssUndo(h Host, e Entry) []Cmd {
	cu := certutil(h)
	if cu == "" {
		cu = "certutil"
	}
	return []Cmd{{Args: []string{cu, "-d", "sql:" + e.Target, "-D", "-n", e.Name}}}
}
