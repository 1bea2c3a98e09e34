package trust

import (
	"context"
	"errors"
	"os"
	"path"
	"path/filepath"
	"reflect"
	"strings"
	"testing"

	"github.com/devstack/devstack/internal/router"
)

// fakeHost is a machine of the given files and programs.
func fakeHost(goos string, root bool, files []string, bins ...string) Host {
	exists := map[string]bool{}
	for _, f := range files {
		for d := f; d != "/" && d != "."; d = path.Dir(d) {
			exists[d] = true
		}
	}
	return Host{
		GOOS: goos, Home: "/home/u", Root: root,
		LookPath: func(name string) (string, error) {
			for _, b := range bins {
				if b == name {
					return "/usr/bin/" + name, nil
				}
			}
			return "", errors.New("not found")
		},
		Exists: func(p string) bool { return exists[p] },
		Glob: func(pattern string) ([]string, error) {
			var out []string
			for f := range exists {
				if ok, _ := path.Match(pattern, f); ok {
					out = append(out, f)
				}
			}
			return out, nil
		},
	}
}

var testCert = Cert{Path: "/home/u/.local/share/devstack/router/ca.pem", Name: "devstack-ca-0a1b2c3d", SHA1: "AB12", Serial: "7f"}

func cmds(steps []Step, do bool) []string {
	var out []string
	for _, s := range steps {
		list := s.Undo
		if do {
			list = s.Do
		}
		for _, c := range list {
			out = append(out, c.String())
		}
	}
	return out
}

func TestPlanTrust(t *testing.T) {
	const ca = "/home/u/.local/share/devstack/router/ca.pem"
	const deb = "/usr/local/share/ca-certificates/devstack-ca-0a1b2c3d.crt"
	tests := []struct {
		name   string
		host   Host
		stores []string
		do     []string
		undo   []string
		notes  []string
	}{
		{
			name: "debian as root, a Chromium database and one Firefox profile",
			host: fakeHost("linux", true, []string{"/usr/local/share/ca-certificates/x", "/home/u/.pki/nssdb/cert9.db",
				"/home/u/.mozilla/firefox/ab.default/cert9.db", "/home/u/.mozilla/firefox/old/cert8.db"}, "update-ca-certificates", "certutil"),
			do: []string{"install -m 0644 " + ca + " " + deb, "update-ca-certificates",
				"/usr/bin/certutil -d sql:/home/u/.pki/nssdb -A -t C,, -n devstack-ca-0a1b2c3d -i " + ca,
				"/usr/bin/certutil -d sql:/home/u/.mozilla/firefox/ab.default -A -t C,, -n devstack-ca-0a1b2c3d -i " + ca},
			undo: []string{"rm -f " + deb, "update-ca-certificates",
				"/usr/bin/certutil -d sql:/home/u/.pki/nssdb -D -n devstack-ca-0a1b2c3d",
				"/usr/bin/certutil -d sql:/home/u/.mozilla/firefox/ab.default -D -n devstack-ca-0a1b2c3d"},
		},
		{
			name:   "fedora through sudo, no terminal",
			host:   fakeHost("linux", false, []string{"/etc/pki/ca-trust/source/anchors/x", "/usr/local/share/ca-certificates/x"}, "update-ca-trust", "update-ca-certificates", "sudo"),
			stores: []string{StoreSystem},
			do: []string{"sudo -n -- install -m 0644 " + ca + " /etc/pki/ca-trust/source/anchors/devstack-ca-0a1b2c3d.pem",
				"sudo -n -- update-ca-trust extract"},
			undo: []string{"sudo -n -- rm -f /etc/pki/ca-trust/source/anchors/devstack-ca-0a1b2c3d.pem", "sudo -n -- update-ca-trust extract"},
		},
		{
			name:   "not root and no sudo: a line saying how",
			host:   fakeHost("linux", false, []string{"/usr/local/share/ca-certificates/x"}, "update-ca-certificates"),
			stores: []string{StoreSystem},
			notes:  []string{"system store: needs root and there is no sudo; as root run: install -m 0644 " + ca + " " + deb + " && update-ca-certificates"},
		},
		{
			name:   "an anchor directory without its command",
			host:   fakeHost("linux", true, []string{"/usr/local/share/ca-certificates/x"}),
			stores: []string{StoreSystem},
			notes:  []string{"system store: no known CA directory with its update command (update-ca-certificates, update-ca-trust, trust); add " + ca + " to it by hand"},
		},
		{
			name:   "a database but no certutil",
			host:   fakeHost("linux", true, []string{"/home/u/.pki/nssdb/cert9.db"}),
			stores: []string{StoreNSS},
			notes:  []string{"browsers: certutil not found (Debian/Ubuntu: apt-get install libnss3-tools; Fedora: dnf install nss-tools; macOS: brew install nss), then run devstack router trust again"},
		},
		{
			name:   "Chromium installed, never started: its database made",
			host:   fakeHost("linux", false, nil, "chromium", "certutil"),
			stores: []string{StoreNSS},
			do: []string{"mkdir -p /home/u/.pki/nssdb", "/usr/bin/certutil -d sql:/home/u/.pki/nssdb -N --empty-password",
				"/usr/bin/certutil -d sql:/home/u/.pki/nssdb -A -t C,, -n devstack-ca-0a1b2c3d -i " + ca},
			undo: []string{"/usr/bin/certutil -d sql:/home/u/.pki/nssdb -D -n devstack-ca-0a1b2c3d"},
		},
		{
			name:   "no browser at all",
			host:   fakeHost("linux", false, nil, "certutil"),
			stores: []string{StoreNSS},
			notes:  []string{"browsers: no NSS database found (~/.pki/nssdb, Firefox profiles); start the browser once, then run devstack router trust again"},
		},
		{
			name: "macOS: the login keychain, Firefox through Homebrew's certutil",
			host: fakeHost("darwin", false, []string{"/opt/homebrew/opt/nss/bin/certutil", "/home/u/Library/Application Support/Firefox/Profiles/x.default/cert9.db"}),
			do: []string{"security add-trusted-cert -r trustRoot -k /home/u/Library/Keychains/login.keychain-db " + ca,
				"/opt/homebrew/opt/nss/bin/certutil -d sql:/home/u/Library/Application Support/Firefox/Profiles/x.default -A -t C,, -n devstack-ca-0a1b2c3d -i " + ca},
			undo: []string{"security delete-certificate -t -Z AB12 /home/u/Library/Keychains/login.keychain-db",
				"/opt/homebrew/opt/nss/bin/certutil -d sql:/home/u/Library/Application Support/Firefox/Profiles/x.default -D -n devstack-ca-0a1b2c3d"},
		},
		{
			name:  "windows: the user's Root store",
			host:  fakeHost("windows", false, nil, "certutil"),
			do:    []string{"certutil -user -f -addstore Root " + ca},
			undo:  []string{"certutil -user -delstore Root 7f"},
			notes: []string{"browsers: Chrome and Edge read the Windows store; Firefox does too with security.enterprise_roots.enabled (its default)"},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			p, err := PlanTrust(tt.host, testCert, tt.stores)
			if err != nil {
				t.Fatal(err)
			}
			if got := cmds(p.Steps, true); !reflect.DeepEqual(got, tt.do) {
				t.Errorf("do:\n got %q\nwant %q", got, tt.do)
			}
			if got := cmds(p.Steps, false); !reflect.DeepEqual(got, tt.undo) {
				t.Errorf("undo:\n got %q\nwant %q", got, tt.undo)
			}
			if !reflect.DeepEqual(p.Notes, tt.notes) {
				t.Errorf("notes:\n got %q\nwant %q", p.Notes, tt.notes)
			}
			// Undo from the record plans the same commands.
			var rec []Entry
			for _, s := range p.Steps {
				rec = append(rec, s.Entry)
			}
			if got := cmds(PlanUndo(tt.host, rec).Steps, false); !reflect.DeepEqual(got, tt.undo) {
				t.Errorf("undo from the record:\n got %q\nwant %q", got, tt.undo)
			}
		})
	}
}

func TestPlanTrustUnknownStore(t *testing.T) {
	if _, err := PlanTrust(fakeHost("linux", true, nil), testCert, []string{"java"}); err == nil || !strings.Contains(err.Error(), `"java"`) {
		t.Fatalf("err = %v, want one naming java", err)
	}
}

// fakeRunner records commands and fails those starting with a failing prefix.
type fakeRunner struct {
	ran  []string
	fail map[string]string // command prefix -> output
}

func (f *fakeRunner) Run(_ context.Context, args []string) ([]byte, error) {
	c := strings.Join(args, " ")
	f.ran = append(f.ran, c)
	for prefix, out := range f.fail {
		if strings.HasPrefix(c, prefix) {
			return []byte(out), errors.New("exit status 1")
		}
	}
	return nil, nil
}

func TestApplyMergeUndo(t *testing.T) {
	h := fakeHost("linux", true, []string{"/usr/local/share/ca-certificates/x", "/home/u/.pki/nssdb/cert9.db",
		"/home/u/.mozilla/firefox/a/cert9.db"}, "update-ca-certificates", "certutil")
	p, err := PlanTrust(h, testCert, nil)
	if err != nil {
		t.Fatal(err)
	}
	r := &fakeRunner{fail: map[string]string{"install": "install: cannot create regular file: Read-only file system\n"}}
	res := Apply(context.Background(), r, p)
	if len(res) != 3 || res[0].Err == nil || res[1].Err != nil || res[2].Err != nil {
		t.Fatalf("results = %+v, want the system step failed and both databases done", res)
	}
	if !strings.Contains(res[0].Err.Error(), "Read-only file system") {
		t.Errorf("error %q does not carry the command's last line", res[0].Err)
	}
	if len(r.ran) != 3 { // install failed: no update-ca-certificates
		t.Errorf("ran %q, want install and the two certutil -A", r.ran)
	}
	rec := Merge(nil, res)
	if len(rec) != 2 || rec[0].Target != "/home/u/.pki/nssdb" {
		t.Fatalf("record = %+v, want the two databases only", rec)
	}
	// Trusting again keeps one entry per database, and a made one stays so.
	rec[0].Created = true
	if again := Merge(rec, res); len(again) != 2 || !again[0].Created {
		t.Errorf("merged again = %+v", again)
	}
	// Undo: a nickname already gone is no failure; another failure keeps its entry.
	r = &fakeRunner{fail: map[string]string{
		"/usr/bin/certutil -d sql:/home/u/.pki/nssdb": "certutil: could not find certificate named \"devstack-ca-0a1b2c3d\"",
		"/usr/bin/certutil -d sql:/home/u/.mozilla":   "certutil: SEC_ERROR_READ_ONLY",
	}}
	ures := Undo(context.Background(), r, PlanUndo(h, rec))
	left := Remaining(rec, ures)
	if len(left) != 1 || left[0].Target != "/home/u/.mozilla/firefox/a" {
		t.Errorf("left = %+v, want the Firefox database only", left)
	}
}

func TestParseCertAndNoKey(t *testing.T) {
	dir := t.TempDir()
	ca, err := router.LoadCA(dir)
	if err != nil {
		t.Fatal(err)
	}
	c, err := ParseCert(ca.CertPath(), ca.CertPEM)
	if err != nil {
		t.Fatal(err)
	}
	if !strings.HasPrefix(c.Name, "devstack-ca-") || len(c.Name) != len("devstack-ca-")+8 || len(c.SHA1) != 40 || c.Serial == "" {
		t.Errorf("cert = %+v", c)
	}
	key, _ := os.ReadFile(filepath.Join(dir, router.CAKeyFile))
	if _, err := ParseCert("key", key); !errors.Is(err, ErrNotCertificate) {
		t.Errorf("the key parsed as a certificate: %v", err)
	}
	h := fakeHost("linux", false, []string{"/usr/local/share/ca-certificates/x", "/home/u/.pki/nssdb/cert9.db"}, "update-ca-certificates", "certutil", "sudo")
	p, _ := PlanTrust(h, c, nil)
	for _, s := range cmds(p.Steps, true) {
		if strings.Contains(s, router.CAKeyFile) {
			t.Errorf("a command names the key: %s", s)
		}
	}
}

func TestRecordRoundTrip(t *testing.T) {
	dir := t.TempDir()
	if got, err := ReadRecord(dir); err != nil || got != nil {
		t.Fatalf("no record: %v, %v", got, err)
	}
	want := []Entry{{Kind: "nss", Store: StoreNSS, Target: "/h/.pki/nssdb", Name: "devstack-ca-1", Created: true}}
	if err := WriteRecord(dir, want); err != nil {
		t.Fatal(err)
	}
	if got, err := ReadRecord(dir); err != nil || !reflect.DeepEqual(got, want) {
		t.Fatalf("read back %+v, %v", got, err)
	}
	if err := WriteRecord(dir, nil); err != nil {
		t.Fatal(err)
	}
	if _, err := os.Stat(filepath.Join(dir, RecordFile)); !os.IsNotExist(err) {
		t.Errorf("an empty record left its file: %v", err)
	}
}
