package router

import (
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/tls"
	"crypto/x509"
	"crypto/x509/pkix"
	"encoding/pem"
	"errors"
	"fmt"
	"io/fs"
	"math/big"
	"os"
	"path/filepath"
	"runtime"
	"sync"
	"time"
)

// The CA's files in its directory.
const (
	CACertFile = "ca.pem"
	CAKeyFile  = "ca-key.pem"
)

var (
	// ErrCADamaged: the CA's files exist but cannot be used. devstack never
	// replaces them on its own: browsers that trust the old CA would stop
	// trusting every local site without a word.
	ErrCADamaged = errors.New("the local CA is damaged")
)

// CA is devstack's local certificate authority: an ECDSA P-256 key and a
// ten-year certificate limited to names under .localhost (a name
// constraint, so even a stolen key signs nothing else).
type CA struct {
	Dir     string
	CertPEM []byte
	cert    *x509.Certificate
	key     *ecdsa.PrivateKey
	now     func() time.Time

	mu    sync.Mutex
	cache map[string]Leaf
}

// Leaf is a certificate for one name, PEM-encoded.
type Leaf struct {
	Cert, Key string
	NotAfter  time.Time
}

// CADir is where devstack keeps the CA: $DEVSTACK_DATA_DIR/router, else
// $XDG_DATA_HOME/devstack/router, else ~/.local/share/devstack/router (on
// macOS and Windows, the user config dir's devstack/router).
func CADir() (string, error) {
	if d := os.Getenv("DEVSTACK_DATA_DIR"); d != "" {
		return filepath.Join(d, "router"), nil
	}
	if d := os.Getenv("XDG_DATA_HOME"); d != "" && filepath.IsAbs(d) {
		return filepath.Join(d, "devstack", "router"), nil
	}
	if runtime.GOOS == "linux" {
		home, err := os.UserHomeDir()
		if err != nil {
			return "", err
		}
		return filepath.Join(home, ".local", "share", "devstack", "router"), nil
	}
	d, err := os.UserConfigDir()
	if err != nil {
		return "", err
	}
	return filepath.Join(d, "devstack", "router"), nil
}

// LoadCA reads the CA in dir; without one (neither file there) it makes
// one: key 0600, directory 0700. Anything else wrong is ErrCADamaged,
// naming the file.
func LoadCA(dir string) (*CA, error) {
	certPath, keyPath := filepath.Join(dir, CACertFile), filepath.Join(dir, CAKeyFile)
	certPEM, cerr := os.ReadFile(certPath)
	keyPEM, kerr := os.ReadFile(keyPath)
	if errors.Is(cerr, fs.ErrNotExist) && errors.Is(kerr, fs.ErrNotExist) {
		return createCA(dir)
	}
	damaged := func(path, why string) error {
		return fmt.Errorf("%w: %s: %s (move %s and %s away to make a new CA, then trust it again)", ErrCADamaged, path, why, CACertFile, CAKeyFile)
	}
	switch {
	case cerr != nil:
		return nil, damaged(certPath, cerr.Error())
	case kerr != nil:
		return nil, damaged(keyPath, kerr.Error())
	}
	cb, _ := pem.Decode(certPEM)
	if cb == nil || cb.Type != "CERTIFICATE" {
		return nil, damaged(certPath, "no PEM certificate")
	}
	cert, err := x509.ParseCertificate(cb.Bytes)
	if err != nil {
		return nil, damaged(certPath, err.Error())
	}
	kb, _ := pem.Decode(keyPEM)
	if kb == nil {
		return nil, damaged(keyPath, "no PEM key")
	}
	key, err := x509.ParseECPrivateKey(kb.Bytes)
	if err != nil {
		return nil, damaged(keyPath, err.Error())
	}
	if pub, ok := cert.PublicKey.(*ecdsa.PublicKey); !ok || !pub.Equal(&key.PublicKey) {
		return nil, damaged(keyPath, "the key does not match "+CACertFile)
	}
	if time.Now().After(cert.NotAfter) {
		return nil, damaged(certPath, "expired on "+cert.NotAfter.Format(time.DateOnly))
	}
	return &CA{Dir: dir, CertPEM: certPEM, cert: cert, key: key, now: time.Now, cache: map[string]Leaf{}}, nil
}

func createCA(dir string) (*CA, error) {
	key, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	if err != nil {
		return nil, err
	}
	now := time.Now()
	tmpl := &x509.Certificate{
		SerialNumber:                serial(),
		Subject:                     pkix.Name{Organization: []string{"devstack"}, CommonName: "devstack local CA " + now.UTC().Format(time.DateOnly)},
		NotBefore:                   now.Add(-time.Hour),
		NotAfter:                    now.AddDate(10, 0, 0),
		KeyUsage:                    x509.KeyUsageCertSign | x509.KeyUsageCRLSign,
		BasicConstraintsValid:       true,
		IsCA:                        true,
		MaxPathLenZero:              true,
		PermittedDNSDomainsCritical: true,
		PermittedDNSDomains:         []string{Suffix},
	}
	der, err := x509.CreateCertificate(rand.Reader, tmpl, tmpl, &key.PublicKey, key)
	if err != nil {
		return nil, err
	}
	kder, err := x509.MarshalECPrivateKey(key)
	if err != nil {
		return nil, err
	}
	if err := os.MkdirAll(dir, 0o700); err != nil {
		return nil, err
	}
	// The key first, exclusively: two devstacks racing here, the second
	// fails and reads the first's CA.
	if err := writeNew(filepath.Join(dir, CAKeyFile), pem.EncodeToMemory(&pem.Block{Type: "EC PRIVATE KEY", Bytes: kder}), 0o600); err != nil {
		if errors.Is(err, fs.ErrExist) {
			time.Sleep(100 * time.Millisecond)
			return LoadCA(dir)
		}
		return nil, err
	}
	certPEM := pem.EncodeToMemory(&pem.Block{Type: "CERTIFICATE", Bytes: der})
	if err := writeNew(filepath.Join(dir, CACertFile), certPEM, 0o644); err != nil {
		return nil, err
	}
	return LoadCA(dir)
}

func writeNew(path string, data []byte, mode os.FileMode) error {
	f, err := os.OpenFile(path, os.O_WRONLY|os.O_CREATE|os.O_EXCL, mode)
	if err != nil {
		return err
	}
	if _, err := f.Write(data); err != nil {
		f.Close()
		return err
	}
	return f.Close()
}

func serial() *big.Int {
	n, _ := rand.Int(rand.Reader, new(big.Int).Lsh(big.NewInt(1), 127))
	return n
}

// CertPath is the CA certificate's file (what curl --cacert takes).
func (ca *CA) CertPath() string { return filepath.Join(ca.Dir, CACertFile) }

// Keep offers a leaf issued earlier (read back from the router) to the
// cache: Issue returns it while it is this CA's and valid 30 days more.
func (ca *CA) Keep(host string, l Leaf) {
	pair, err := tls.X509KeyPair([]byte(l.Cert), []byte(l.Key))
	if err != nil || len(pair.Certificate) == 0 {
		return
	}
	c, err := x509.ParseCertificate(pair.Certificate[0])
	if err != nil || c.CheckSignatureFrom(ca.cert) != nil || c.VerifyHostname(host) != nil {
		return
	}
	l.NotAfter = c.NotAfter
	ca.mu.Lock()
	ca.cache[host] = l
	ca.mu.Unlock()
}

// Issue gives a certificate for host, from the cache while it is valid 30
// days more, else a new one (ECDSA P-256, valid 397 days).
func (ca *CA) Issue(host string) (Leaf, error) {
	ca.mu.Lock()
	defer ca.mu.Unlock()
	now := ca.now()
	if l, ok := ca.cache[host]; ok && now.Add(30*24*time.Hour).Before(l.NotAfter) {
		return l, nil
	}
	key, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	if err != nil {
		return Leaf{}, err
	}
	tmpl := &x509.Certificate{
		SerialNumber: serial(),
		Subject:      pkix.Name{CommonName: host},
		DNSNames:     []string{host},
		NotBefore:    now.Add(-time.Hour),
		NotAfter:     now.AddDate(0, 0, 397),
		KeyUsage:     x509.KeyUsageDigitalSignature,
		ExtKeyUsage:  []x509.ExtKeyUsage{x509.ExtKeyUsageServerAuth},
	}
	der, err := x509.CreateCertificate(rand.Reader, tmpl, ca.cert, &key.PublicKey, ca.key)
	if err != nil {
		return Leaf{}, fmt.Errorf("certificate for %s: %w", host, err)
	}
	kder, err := x509.MarshalECPrivateKey(key)
	if err != nil {
		return Leaf{}, err
	}
	l := Leaf{
		Cert:     string(pem.EncodeToMemory(&pem.Block{Type: "CERTIFICATE", Bytes: der})),
		Key:      string(pem.EncodeToMemory(&pem.Block{Type: "EC PRIVATE KEY", Bytes: kder})),
		NotAfter: tmpl.NotAfter,
	}
	ca.cache[host] = l
	return l, nil
}
