package router

import (
	"bytes"
	"os"
	"path/filepath"
	"testing"
)

func TestWriteOffer(t *testing.T) {
	ca, err := LoadCA(t.TempDir())
	if err != nil {
		t.Fatal(err)
	}
	roots := filepath.Join(t.TempDir(), "roots.pem")
	const public = "-----BEGIN CERTIFICATE-----\nMIIB\n-----END CERTIFICATE-----\n"
	if err := os.WriteFile(roots, []byte(public), 0o644); err != nil {
		t.Fatal(err)
	}
	saved := systemBundles
	t.Cleanup(func() { systemBundles = saved })

	// A host bundle: the bundle is the public roots, then the CA.
	systemBundles = nil
	t.Setenv("SSL_CERT_FILE", roots)
	o, err := ca.WriteOffer()
	if err != nil {
		t.Fatal(err)
	}
	if !o.Bundle || o.Dir != filepath.Join(ca.Dir, OfferDir) {
		t.Fatalf("offer = %+v", o)
	}
	b, _ := os.ReadFile(filepath.Join(o.Dir, OfferBundleFile))
	if want := append([]byte(public), ca.CertPEM...); !bytes.Equal(b, want) {
		t.Errorf("bundle.pem =\n%s\nwant the roots then the CA", b)
	}
	c, _ := os.ReadFile(filepath.Join(o.Dir, OfferCAFile))
	if !bytes.Equal(c, ca.CertPEM) {
		t.Errorf("ca.pem is not the CA certificate")
	}
	// Only the certificate and the bundle: never the key.
	entries, _ := os.ReadDir(o.Dir)
	for _, e := range entries {
		if e.Name() != OfferCAFile && e.Name() != OfferBundleFile {
			t.Errorf("the offer holds %s", e.Name())
		}
		data, _ := os.ReadFile(filepath.Join(o.Dir, e.Name()))
		if bytes.Contains(data, []byte("PRIVATE KEY")) {
			t.Errorf("%s holds a private key", e.Name())
		}
	}
	// No host bundle: no bundle.pem, and the offer says so.
	t.Setenv("SSL_CERT_FILE", "")
	if o, err = ca.WriteOffer(); err != nil || o.Bundle {
		t.Fatalf("offer = %+v, %v; want no bundle", o, err)
	}
	if _, err := os.Stat(filepath.Join(o.Dir, OfferBundleFile)); !os.IsNotExist(err) {
		t.Errorf("bundle.pem left behind: %v", err)
	}
}
