package router

import (
	"bytes"
	"os"
	"path/filepath"
)

// OfferDir is the directory, beside the CA, that containers get mounted
// read-only: the CA certificate (never the key) and, when the host has a
// bundle of system roots, that bundle with the CA appended.
const OfferDir = "offer"

// The files of OfferDir.
const (
	OfferCAFile     = "ca.pem"
	OfferBundleFile = "bundle.pem"
)

// systemBundles are where Linux distributions, Alpine and macOS keep their
// PEM bundle of roots (crypto/x509's list); the first found is used.
var systemBundles = []string{
	"/etc/ssl/certs/ca-certificates.crt",
	"/etc/pki/tls/certs/ca-bundle.crt",
	"/etc/ssl/ca-bundle.pem",
	"/etc/pki/tls/cacert.pem",
	"/etc/pki/ca-trust/extracted/pem/tls-ca-bundle.pem",
	"/etc/ssl/cert.pem",
}

// Offer is what WriteOffer made: the directory and whether it holds a
// bundle.
type Offer struct {
	Dir    string
	Bundle bool
}

// WriteOffer writes the CA's offer directory for containers: ca.pem, and
// bundle.pem when the host has a system bundle (SSL_CERT_FILE first, else
// the usual places), so that variables which replace a program's roots
// keep the public ones. Files are replaced only when their content
// changes, by rename (containers see the new file through the directory
// mount).
func (ca *CA) WriteOffer() (Offer, error) {
	dir := filepath.Join(ca.Dir, OfferDir)
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return Offer{}, err
	}
	// The CA directory is 0700: the engine (root) reads it, a rootless
	// engine is its owner.
	if err := writeIfChanged(filepath.Join(dir, OfferCAFile), ca.CertPEM); err != nil {
		return Offer{}, err
	}
	roots := hostBundle()
	bundle := filepath.Join(dir, OfferBundleFile)
	if roots == nil {
		if err := os.Remove(bundle); err != nil && !os.IsNotExist(err) {
			return Offer{}, err
		}
		return Offer{Dir: dir}, nil
	}
	b := append(bytes.TrimRight(roots, "\n"), '\n')
	if !bytes.Contains(roots, bytes.TrimSpace(ca.CertPEM)) {
		b = append(b, ca.CertPEM...)
	}
	if err := writeIfChanged(bundle, b); err != nil {
		return Offer{}, err
	}
	return Offer{Dir: dir, Bundle: true}, nil
}

func hostBundle() []byte {
	paths := systemBundles
	if f := os.Getenv("SSL_CERT_FILE"); f != "" {
		paths = append([]string{f}, paths...)
	}
	for _, p := range paths {
		if b, err := os.ReadFile(p); err == nil && bytes.Contains(b, []byte("-----BEGIN CERTIFICATE-----")) {
			return b
		}
	}
	return nil
}

func writeIfChanged(path string, data []byte) error {
	if old, err := os.ReadFile(path); err == nil && bytes.Equal(old, data) {
		return nil
	}
	tmp := path + ".tmp"
	if err := os.WriteFile(tmp, data, 0o644); err != nil {
		return err
	}
	return os.Rename(tmp, path)
}
