package main

import (
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/tls"
	"crypto/x509"
	"crypto/x509/pkix"
	"fmt"
	"math/big"
	"net"
	"time"

	"github.com/vitrine/vitrine/internal/envflag"
)

// tlsFlags are the TLS flags serve and edge share.
type tlsFlags struct {
	TLSCert       string
	TLSKey        string
	TLSSelfSigned bool
}

func (c *tlsFlags) register(s *envflag.Set) {
	s.String(&c.TLSCert, "tls-cert", "VITRINE_TLS_CERT", "TLS certificate file (PEM)")
	s.String(&c.TLSKey, "tls-key", "VITRINE_TLS_KEY", "TLS key file (PEM)")
	s.Bool(&c.TLSSelfSigned, "tls-self-signed", "VITRINE_TLS_SELF_SIGNED", "serve TLS with a generated self-signed certificate")
}

// validate checks the flags go together and loads the pair once, so a
// missing or bad file fails the start before anything else is touched.
func (c *tlsFlags) validate(s *envflag.Set) error {
	if (c.TLSCert == "") != (c.TLSKey == "") {
		return fmt.Errorf("%s and %s go together", s.Source("tls-cert"), s.Source("tls-key"))
	}
	if c.TLSCert != "" {
		if _, err := tls.LoadX509KeyPair(c.TLSCert, c.TLSKey); err != nil {
			return fmt.Errorf("%s=%q, %s=%q: %w", s.Source("tls-cert"), c.TLSCert, s.Source("tls-key"), c.TLSKey, err)
		}
	}
	return nil
}

// tlsConfig loads the configured pair, or makes a self-signed one for
// localhost. HTTP/2 is negotiated by ALPN.
func tlsConfig(cfg *tlsFlags) (*tls.Config, error) {
	var cert tls.Certificate
	var err error
	if cfg.TLSCert != "" {
		cert, err = tls.LoadX509KeyPair(cfg.TLSCert, cfg.TLSKey)
	} else {
		cert, err = selfSigned()
	}
	if err != nil {
		return nil, fmt.Errorf("tls: %w", err)
	}
	return &tls.Config{Certificates: []tls.Certificate{cert}, MinVersion: tls.VersionTLS12, NextProtos: []string{"h2", "http/1.1"}}, nil
}

func selfSigned() (tls.Certificate, error) {
	key, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	if err != nil {
		return tls.Certificate{}, err
	}
	serial, _ := rand.Int(rand.Reader, big.NewInt(1<<62))
	tmpl := &x509.Certificate{
		SerialNumber: serial,
		Subject:      pkix.Name{CommonName: "vitrine self-signed"},
		NotBefore:    time.Now().Add(-time.Hour),
		NotAfter:     time.Now().Add(365 * 24 * time.Hour),
		KeyUsage:     x509.KeyUsageDigitalSignature,
		ExtKeyUsage:  []x509.ExtKeyUsage{x509.ExtKeyUsageServerAuth},
		DNSNames:     []string{"localhost"},
		IPAddresses:  []net.IP{net.IPv4(127, 0, 0, 1), net.IPv6loopback},
	}
	der, err := x509.CreateCertificate(rand.Reader, tmpl, tmpl, &key.PublicKey, key)
	if err != nil {
		return tls.Certificate{}, err
	}
	return tls.Certificate{Certificate: [][]byte{der}, PrivateKey: key}, nil
}
