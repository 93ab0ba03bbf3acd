#!/usr/bin/env bash
# Makes a throwaway test CA and a server certificate signed by it, plus an
# unrelated second CA (for "unknown CA" tests).
# Usage: make-certs.sh OUTDIR SAN   e.g. make-certs.sh /tmp/x/tls "IP:127.0.0.1,DNS:localhost"
# Writes ca.pem, ca.key, server.pem, server.key (mode 0600), other-ca.pem.
set -euo pipefail
out=$1
san=$2
mkdir -p "$out"
cd "$out"
umask 077
ec() { openssl genpkey -algorithm EC -pkeyopt ec_paramgen_curve:P-256 -out "$1" 2>/dev/null; }
ec ca.key
openssl req -x509 -new -key ca.key -sha256 -days 3650 -subj "/CN=myaccount test CA" \
  -addext "basicConstraints=critical,CA:TRUE" -addext "keyUsage=critical,keyCertSign,cRLSign" -out ca.pem 2>/dev/null
ec server.key
openssl req -new -key server.key -subj "/CN=myaccount test server" -out server.csr 2>/dev/null
printf 'basicConstraints=CA:FALSE\nkeyUsage=critical,digitalSignature\nextendedKeyUsage=serverAuth\nsubjectAltName=%s\n' "$san" > ext.cnf
openssl x509 -req -in server.csr -CA ca.pem -CAkey ca.key -CAcreateserial -days 3650 -sha256 \
  -extfile ext.cnf -out server.pem 2>/dev/null
ec other-ca.key
openssl req -x509 -new -key other-ca.key -sha256 -days 3650 -subj "/CN=some other CA" \
  -addext "basicConstraints=critical,CA:TRUE" -out other-ca.pem 2>/dev/null
rm -f server.csr ext.cnf ca.srl
chmod 0644 ca.pem server.pem other-ca.pem
chmod 0600 server.key ca.key other-ca.key
