#!/usr/bin/env bash
# Provisions a throwaway Samba AD DC into DIR, listening only on IP (a
# loopback address), with TLS files from TLSDIR (made by make-certs.sh), a
# password policy and test users. Serves LDAP(S) and Kerberos (KDC on 88, kpasswd on 464,
# TCP and UDP, on IP only). Does not start samba; the tests run
#   samba -i -M single -s DIR/etc/smb.conf     (exits when its stdin closes)
# Usage: samba-init.sh DIR TLSDIR IP
#
# Domain EXAMPLE.TEST (NetBIOS EXAMPLE), base DC=example,DC=test. Policy: min
# length 8, complexity on, history 3, lockout after 3 failures, min age 0.
# Users: see samba-users.py (password OldPassw0rd! unless said otherwise).
#   alice, bob   plain users (alice in the groups Staff and Research)
#   mia          must change at next logon (pwdLastSet=0)         -> 773
#   dora         disabled                                         -> 533
#   axel         account expired                                  -> 701
#   yves         fine-grained policy "young": min age 1 day, set just now
#   svc          service account for expired changes (Svc-Passw0rd!)
#   pia          fine-grained policy "long" (readable by users): length 12, no complexity,
#                history 5, min age 1 day, max age 42 days, lockout after 5
set -euo pipefail
D=$1
T=$2
IP=$3
rm -rf "$D"
mkdir -p "$D/tls" "$D/run" "$D/winbindd" "$D/ntp_signd"
cp "$T/ca.pem" "$T/server.pem" "$D/tls/"
install -m 0600 "$T/server.key" "$D/tls/server.key"

samba-tool domain provision --realm=EXAMPLE.TEST --domain=EXAMPLE --server-role=dc --dns-backend=NONE \
  --use-rfc2307 --adminpass='Admin-Passw0rd!' --targetdir="$D" --host-name=dc1 --host-ip="$IP" \
  --option="interfaces=$IP/8" --option="bind interfaces only=yes" --option="server services=ldap kdc" \
  --option="unix password sync=no" --option="log file=$D/samba.log" --option="log level=1" \
  --option="pid directory=$D/run" --option="winbindd socket directory=$D/winbindd" \
  --option="ntp signd socket directory=$D/ntp_signd" \
  --option="tls enabled=yes" --option="tls certfile=$D/tls/server.pem" --option="tls keyfile=$D/tls/server.key" \
  --option="tls cafile=$D/tls/ca.pem" >"$D/provision.log" 2>&1 || { cat "$D/provision.log"; exit 1; }

# A changed password must stop working at once (AD's default accepts the previous one for
# 60 minutes over NTLM, and Samba applies that to simple binds too). Provision does not keep it.
sed -i 's/^\[global\]$/[global]\n\told password allowed period = 0/' "$D/etc/smb.conf"
/usr/bin/python3 "$(dirname "$0")/samba-users.py" "$D/etc/smb.conf" >>"$D/provision.log" 2>&1 || { tail -30 "$D/provision.log"; exit 1; }
