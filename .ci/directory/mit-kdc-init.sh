#!/usr/bin/env bash
# Creates a throwaway MIT Kerberos realm in DIR: krb5.conf, kdc.conf, the
# database, a password policy and test principals. Does not start anything;
# the tests run (with KRB5_CONFIG=DIR/krb5.conf KRB5_KDC_PROFILE=DIR/kdc.conf)
#   krb5kdc -n -P DIR/krb5kdc.pid          (KDC on 127.0.0.1:KDCPORT, TCP and UDP)
#   kadmind -nofork -P DIR/kadmind.pid     (kpasswd on 127.0.0.1:KPWPORT, kadmin on ADMPORT)
# Usage: mit-kdc-init.sh DIR KDCPORT KPWPORT ADMPORT
#
# Realm MIT.TEST. Policy "std": minimum length 8, 2 character classes, history 3.
# Principals (password OldPassw0rd! unless said otherwise), all with policy std:
#   alice, bob   plain users
#   eve          password expired yesterday            -> KDC_ERR_KEY_EXPIRED
#   mia          must change now (+needchange)          -> KDC_ERR_KEY_EXPIRED
#   hank         history: changed from Hist0ry-One! to OldPassw0rd!, so Hist0ry-One! is refused
#   pat, pia, pet, pim   expired, for the end-to-end tests (one per mode and language)
#   lock         may not get tickets (-allow_tix)                -> KDC_ERR_CLIENT_REVOKED
#   rc4          an RC4 key only (arcfour-hmac), as an old AD account
#   sha2         AES-SHA2 keys only (RFC 8009: aes256-cts-hmac-sha384-192, aes128-cts-hmac-sha256-128)
set -euo pipefail
D=$1
KDC=$2
KPW=$3
ADM=$4
rm -rf "$D"
mkdir -p "$D"
cat > "$D/krb5.conf" <<CONF
[libdefaults]
    default_realm = MIT.TEST
    dns_lookup_kdc = false
    dns_lookup_realm = false
    rdns = false
    udp_preference_limit = 1
[realms]
    MIT.TEST = {
        kdc = 127.0.0.1:$KDC
        admin_server = 127.0.0.1:$ADM
        kpasswd_server = 127.0.0.1:$KPW
    }
CONF
cat > "$D/kdc.conf" <<CONF
[kdcdefaults]
    kdc_listen = 127.0.0.1:$KDC
    kdc_tcp_listen = 127.0.0.1:$KDC
[realms]
    MIT.TEST = {
        database_name = $D/principal
        key_stash_file = $D/stash
        acl_file = $D/kadm5.acl
        kadmind_listen = 127.0.0.1:$ADM
        kpasswd_listen = 127.0.0.1:$KPW
        kadmind_port = $ADM
        kpasswd_port = $KPW
        max_life = 10h
        default_principal_flags = +preauth
        supported_enctypes = aes256-cts-hmac-sha1-96:normal aes128-cts-hmac-sha1-96:normal
    }
[logging]
    kdc = FILE:$D/kdc.log
    admin_server = FILE:$D/kadmind.log
CONF
: > "$D/kadm5.acl"
export KRB5_CONFIG="$D/krb5.conf" KRB5_KDC_PROFILE="$D/kdc.conf"
kdb5_util create -s -r MIT.TEST -P 'Master-Passw0rd!' >"$D/init.log" 2>&1 || { cat "$D/init.log"; exit 1; }
q() { kadmin.local -r MIT.TEST -q "$1" >>"$D/init.log" 2>&1 || { cat "$D/init.log"; exit 1; }; }
q "addpol -minlength 8 -minclasses 2 -history 3 std"
for u in alice bob eve mia; do q "addprinc -policy std -pw OldPassw0rd! $u"; done
q "modprinc -pwexpire yesterday eve"
for u in pat pia pet pim; do q "addprinc -policy std -pw OldPassw0rd! -pwexpire yesterday $u"; done
q "addprinc -policy std -pw OldPassw0rd! -allow_tix lock"
q "addprinc -policy std -pw OldPassw0rd! -e arcfour-hmac:normal rc4"
q "addprinc -policy std -pw OldPassw0rd! -e aes256-cts-hmac-sha384-192:normal,aes128-cts-hmac-sha256-128:normal sha2"
q "modprinc +needchange mia"
q "addprinc -policy std -pw Hist0ry-One! hank"
q "cpw -pw OldPassw0rd! hank"
