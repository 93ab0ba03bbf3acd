#!/usr/bin/env bash
# Installs the directory servers the tests start as throwaway processes:
# OpenLDAP slapd (ppolicy overlay), a Samba AD DC, pam_wrapper + pam_matrix,
# pam_pwquality, an MIT Kerberos KDC with kadmind. Debian 12, as root, no stdin. Starts no system service.
# Idempotent: quick when everything is already installed.
set -euo pipefail
export DEBIAN_FRONTEND=noninteractive

PKGS=(
  slapd ldap-utils openssl          # OpenLDAP server and CLI (ldapwhoami used only for readiness checks)
  samba samba-ad-dc samba-ad-provision samba-dsdb-modules python3-samba  # Samba AD DC and samba-tool
  libpam-wrapper libpam-pwquality libpam0g  # PAM test harness (pam_matrix) and quality module
  krb5-kdc krb5-admin-server krb5-user      # MIT Kerberos KDC, kadmind (kpasswd) and kinit
)

missing=()
for p in "${PKGS[@]}"; do
  if ! dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed"; then
    missing+=("$p")
  fi
done

if ((${#missing[@]})); then
  echo "setup-directories: installing ${missing[*]}"
  # Packages must not start their own daemons (slapd, samba): tests start throwaway ones.
  if [ ! -e /usr/sbin/policy-rc.d ]; then
    printf '#!/bin/sh\nexit 101\n' > /usr/sbin/policy-rc.d
    chmod 755 /usr/sbin/policy-rc.d
    trap 'rm -f /usr/sbin/policy-rc.d' EXIT
  fi
  # slapd's postinst asks debconf questions; answer "no configuration" so it does not build a system database.
  echo "slapd slapd/no_configuration boolean true" | debconf-set-selections
  apt-get update -qq
  apt-get install -y --no-install-recommends "${missing[@]}"
else
  echo "setup-directories: all packages present"
fi

# Report what the tests will find (and fail loudly if something is still missing).
for b in slapd slapadd slaptest samba samba-tool krb5kdc kadmind kdb5_util kadmin.local kinit; do
  command -v "$b" >/dev/null || { echo "setup-directories: $b missing after install" >&2; exit 1; }
done
ls /usr/lib/ldap/ppolicy.so* >/dev/null || { /usr/bin/python3 -c 'import samba.samdb' || { echo "setup-directories: python3-samba missing" >&2; exit 1; }
echo "setup-directories: slapd ppolicy overlay missing" >&2; exit 1; }
pw=$(ls /usr/lib/*/libpam_wrapper.so* 2>/dev/null | head -n1)
[ -n "$pw" ] || { echo "setup-directories: libpam_wrapper missing" >&2; exit 1; }
ls /usr/lib/*/pam_wrapper/pam_matrix.so >/dev/null || { echo "setup-directories: pam_matrix missing" >&2; exit 1; }
ls /usr/lib/*/security/pam_pwquality.so >/dev/null || { echo "setup-directories: pam_pwquality missing" >&2; exit 1; }
/usr/bin/python3 -c 'import samba.samdb' || { echo "setup-directories: python3-samba missing" >&2; exit 1; }
echo "setup-directories: slapd $(slapd -VV 2>&1 | head -n1 | grep -o '[0-9]\+\.[0-9]\+\.[0-9]\+' | head -n1), samba $(samba -V)"
