//go:build linux

package e2e

import (
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/tls"
	"crypto/x509"
	"crypto/x509/pkix"
	"encoding/pem"
	"math/big"
	"net"
	"os"
	"path/filepath"
	"time"

	"github.com/rogpeppe/go-internal/testscript"
)

// cmdTLSProxy serves the engine's unix socket on 127.0.0.1 over TLS with
// client certificates, as a dockerd with --tlsverify listens: it makes a
// CA, a server certificate for 127.0.0.1 and a client certificate, writes
// the client's material as docker expects it (ca.pem, cert.pem, key.pem)
// into $WORK/certs, and the same made by another CA into $WORK/wrongca
// (which trusts neither way). Sets $TLSHOST to tcp://ADDR; the listener
// closes when the script ends.
func cmdTLSProxy(ts *testscript.TestScript, neg bool, args []string) {
	if neg || len(args) != 0 {
		ts.Fatalf("usage: tlsproxy")
	}
	target := engineSocket(ts, "tlsproxy")
	work := ts.Getenv("WORK")
	ca, caKey := newCA(ts, "devstack-e2e CA")
	server := issue(ts, ca, caKey, "127.0.0.1", x509.ExtKeyUsageServerAuth)
	writeClientCerts(ts, filepath.Join(work, "certs"), ca, caKey)
	wrong, wrongKey := newCA(ts, "devstack-e2e other CA")
	writeClientCerts(ts, filepath.Join(work, "wrongca"), wrong, wrongKey)

	pool := x509.NewCertPool()
	pool.AddCert(ca)
	l, err := tls.Listen("tcp", "127.0.0.1:0", &tls.Config{
		Certificates: []tls.Certificate{server},
		ClientAuth:   tls.RequireAndVerifyClientCert,
		ClientCAs:    pool,
		MinVersion:   tls.VersionTLS12,
	})
	ts.Check(err)
	serveEngine(ts, l, target)
	ts.Setenv("TLSHOST", "tcp://"+l.Addr().String())
}

func newCA(ts *testscript.TestScript, name string) (*x509.Certificate, *ecdsa.PrivateKey) {
	key, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	ts.Check(err)
	tmpl := &x509.Certificate{
		SerialNumber: serial(ts), Subject: pkix.Name{CommonName: name},
		NotBefore: time.Now().Add(-time.Hour), NotAfter: time.Now().Add(24 * time.Hour),
		IsCA: true, BasicConstraintsValid: true,
		KeyUsage: x509.KeyUsageCertSign | x509.KeyUsageDigitalSignature,
	}
	der, err := x509.CreateCertificate(rand.Reader, tmpl, tmpl, &key.PublicKey, key)
	ts.Check(err)
	cert, err := x509.ParseCertificate(der)
	ts.Check(err)
	return cert, key
}

// issue makes a certificate signed by the CA, for 127.0.0.1 (a server) or
// a client.
func issue(ts *testscript.TestScript, ca *x509.Certificate, caKey *ecdsa.PrivateKey, name string, usage x509.ExtKeyUsage) tls.Certificate {
	key, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	ts.Check(err)
	tmpl := &x509.Certificate{
		SerialNumber: serial(ts), Subject: pkix.Name{CommonName: name},
		NotBefore: time.Now().Add(-time.Hour), NotAfter: time.Now().Add(24 * time.Hour),
		KeyUsage: x509.KeyUsageDigitalSignature, ExtKeyUsage: []x509.ExtKeyUsage{usage},
	}
	if ip := net.ParseIP(name); ip != nil {
		tmpl.IPAddresses = []net.IP{ip}
	}
	der, err := x509.CreateCertificate(rand.Reader, tmpl, ca, &key.PublicKey, caKey)
	ts.Check(err)
	return tls.Certificate{Certificate: [][]byte{der}, PrivateKey: key}
}

// writeClientCerts writes ca.pem (the CA), cert.pem and key.pem (a client
// certificate it signed) into dir.
func writeClientCerts(ts *testscript.TestScript, dir string, ca *x509.Certificate, caKey *ecdsa.PrivateKey) {
	ts.Check(os.MkdirAll(dir, 0o700))
	client := issue(ts, ca, caKey, "devstack-e2e client", x509.ExtKeyUsageClientAuth)
	keyDER, err := x509.MarshalECPrivateKey(client.PrivateKey.(*ecdsa.PrivateKey))
	ts.Check(err)
	for name, block := range map[string]*pem.Block{
		"ca.pem":   {Type: "CERTIFICATE", Bytes: ca.Raw},
		"cert.pem": {Type: "CERTIFICATE", Bytes: client.Certificate[0]},
		"key.pem":  {Type: "EC PRIVATE KEY", Bytes: keyDER},
	} {
		ts.Check(os.WriteFile(filepath.Join(dir, name), pem.EncodeToMemory(block), 0o600))
	}
}

func serial(ts *testscript.TestScript) *big.Int {
	n, err := rand.Int(rand.Reader, new(big.Int).Lsh(big.NewInt(1), 62))
	ts.Check(err)
	return n
}
