package router

import (
	"crypto/tls"
	"crypto/x509"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

func TestCAMadeOnceAndReused(t *testing.T) {
	dir := filepath.Join(t.TempDir(), "router")
	ca, err := LoadCA(dir)
	if err != nil {
		t.Fatal(err)
	}
	st, err := os.Stat(filepath.Join(dir, CAKeyFile))
	if err != nil || st.Mode().Perm() != 0o600 {
		t.Fatalf("key file: %v %v", st.Mode(), err)
	}
	if d, _ := os.Stat(dir); d.Mode().Perm() != 0o700 {
		t.Errorf("dir mode %v", d.Mode())
	}
	again, err := LoadCA(dir)
	if err != nil || string(again.CertPEM) != string(ca.CertPEM) {
		t.Fatalf("second load made another CA: %v", err)
	}
}

func TestLeafVerifiesAndIsCached(t *testing.T) {
	ca, err := LoadCA(t.TempDir())
	if err != nil {
		t.Fatal(err)
	}
	l, err := ca.Issue("web.proj.localhost")
	if err != nil {
		t.Fatal(err)
	}
	pair, err := tls.X509KeyPair([]byte(l.Cert), []byte(l.Key))
	if err != nil {
		t.Fatal(err)
	}
	leaf, _ := x509.ParseCertificate(pair.Certificate[0])
	roots := x509.NewCertPool()
	roots.AppendCertsFromPEM(ca.CertPEM)
	if _, err := leaf.Verify(x509.VerifyOptions{DNSName: "web.proj.localhost", Roots: roots}); err != nil {
		t.Errorf("leaf does not verify: %v", err)
	}
	if _, err := leaf.Verify(x509.VerifyOptions{DNSName: "web.other.localhost", Roots: roots}); err == nil {
		t.Error("leaf verifies for another name")
	}
	if again, _ := ca.Issue("web.proj.localhost"); again.Cert != l.Cert {
		t.Error("second Issue made a new certificate: not cached")
	}
	// A fresh process gets the leaf back from the router's state.
	fresh, err := LoadCA(ca.Dir)
	if err != nil {
		t.Fatal(err)
	}
	fresh.Keep("web.proj.localhost", l)
	fresh.Keep("web.other.localhost", l) // not its name: ignored
	if got, _ := fresh.Issue("web.proj.localhost"); got.Cert != l.Cert {
		t.Error("Keep did not seed the cache")
	}
	if got, _ := fresh.Issue("web.other.localhost"); got.Cert == l.Cert {
		t.Error("Keep took a certificate for another name")
	}
	// Near its end, a leaf is issued again.
	fresh.now = func() time.Time { return time.Now().AddDate(0, 0, 380) }
	if got, _ := fresh.Issue("web.proj.localhost"); got.Cert == l.Cert {
		t.Error("a leaf 17 days from expiry was reused")
	}
}

// The CA's name constraint: it cannot sign a name outside .localhost.
func TestCAConstrainedToLocalhost(t *testing.T) {
	ca, err := LoadCA(t.TempDir())
	if err != nil {
		t.Fatal(err)
	}
	l, err := ca.Issue("example.com")
	if err != nil {
		t.Fatal(err)
	}
	pair, _ := tls.X509KeyPair([]byte(l.Cert), []byte(l.Key))
	leaf, _ := x509.ParseCertificate(pair.Certificate[0])
	roots := x509.NewCertPool()
	roots.AppendCertsFromPEM(ca.CertPEM)
	if _, err := leaf.Verify(x509.VerifyOptions{DNSName: "example.com", Roots: roots}); err == nil {
		t.Error("a leaf for example.com verifies")
	}
}

func TestDamagedCAIsNeverReplaced(t *testing.T) {
	for name, damage := range map[string]func(dir string){
		"key missing":  func(dir string) { os.Remove(filepath.Join(dir, CAKeyFile)) },
		"cert missing": func(dir string) { os.Remove(filepath.Join(dir, CACertFile)) },
		"key garbage":  func(dir string) { os.WriteFile(filepath.Join(dir, CAKeyFile), []byte("junk"), 0o600) },
		"cert garbage": func(dir string) {
			os.WriteFile(filepath.Join(dir, CACertFile), []byte("-----BEGIN CERTIFICATE-----\nAAAA\n-----END CERTIFICATE-----\n"), 0o644)
		},
		"key unreadable": func(dir string) {
			os.Chmod(filepath.Join(dir, CAKeyFile), 0)
			os.WriteFile(filepath.Join(dir, CAKeyFile), []byte("junk"), 0)
		},
		"another key": func(dir string) {
			other, _ := LoadCA(filepath.Join(dir, "other"))
			k, _ := os.ReadFile(filepath.Join(other.Dir, CAKeyFile))
			os.WriteFile(filepath.Join(dir, CAKeyFile), k, 0o600)
		},
	} {
		t.Run(name, func(t *testing.T) {
			dir := t.TempDir()
			if _, err := LoadCA(dir); err != nil {
				t.Fatal(err)
			}
			damage(dir)
			before, _ := os.ReadFile(filepath.Join(dir, CACertFile))
			_, err := LoadCA(dir)
			if !errors.Is(err, ErrCADamaged) || !strings.Contains(err.Error(), dir) {
				t.Fatalf("err = %v, want ErrCADamaged naming the file", err)
			}
			after, _ := os.ReadFile(filepath.Join(dir, CACertFile))
			if string(before) != string(after) {
				t.Error("the CA certificate was replaced")
			}
		})
	}
}

func TestCADir(t *testing.T) {
	t.Setenv("DEVSTACK_DATA_DIR", "/data")
	if d, _ := CADir(); d != "/data/router" {
		t.Errorf("CADir = %s", d)
	}
	t.Setenv("DEVSTACK_DATA_DIR", "")
	t.Setenv("XDG_DATA_HOME", "/xdg")
	if d, _ := CADir(); d != "/xdg/devstack/router" {
		t.Errorf("CADir = %s", d)
	}
}
