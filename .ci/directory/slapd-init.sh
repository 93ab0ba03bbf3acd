#!/usr/bin/env bash
# Prepares a throwaway OpenLDAP server in DIR: slapd.conf (mdb, ppolicy with
# lockout, lastbind), test users in several password states, and TLS files
# from TLSDIR (made by make-certs.sh). Does not start slapd; the tests run
#   slapd -f DIR/slapd.conf -h "ldap://127.0.0.1:PORT/ ldaps://127.0.0.1:PORT/" -d 0
# Usage: slapd-init.sh DIR TLSDIR
#
# Users (password OldPassw0rd unless said otherwise), suffix dc=example,dc=org:
#   alice, bob     default policy (min length 8, quality 2, history 3, lockout after 3 failures)
#   rita           pwdReset: must change after an administrator reset
#   gina           expired (policy "expiring"), 2 grace logins
#   eve            expired (policy "nograce"), no grace login
#   wanda          expires in about 30 minutes (policy "expiring")
#   yuri           changed just now, minimum age 1 hour (policy "strict", also pwdSafeModify)
#   nora           may not change her own password (policy "nochange")
#   kim            SSH keys (openssh-lpk): one Ed25519 key (tests/fixtures/sshkeys/ed25519.pub)
#   lars           SSH keys: none yet, and no ldapPublicKey class (added with the first key)
#   nils           SSH keys: one key, but the ACL does not let him change his own keys
#   lisa           policy "long" (issue 12): length 12 to 40, quality 2, history 5, lockout after 4,
#                  max age 90 days, 2 grace logins
#   cn=reader      service account that may search (password ReaderPassw0rd)
#   cn=changer     service account that may set passwords (password ChangerPassw0rd)
set -euo pipefail
D=$1
T=$2
HERE=$(cd "$(dirname "$0")" && pwd)
SSH_KEY=$(cat "$HERE/../../tests/fixtures/sshkeys/ed25519.pub")
mkdir -p "$D/db"
hash() { slappasswd -h '{SSHA}' -s "$1"; }
OLD=$(hash OldPassw0rd)
now=$(date -u +%Y%m%d%H%M%SZ)
half_hour_ago=$(date -u -d '-30 minutes' +%Y%m%d%H%M%SZ)

cat > "$D/slapd.conf" <<CONF
include /etc/ldap/schema/core.schema
include /etc/ldap/schema/cosine.schema
include /etc/ldap/schema/nis.schema
include /etc/ldap/schema/inetorgperson.schema
include $HERE/openssh-lpk.schema
modulepath /usr/lib/ldap
moduleload back_mdb
moduleload ppolicy
moduleload lastbind
pidfile $D/slapd.pid
argsfile $D/slapd.args
TLSCACertificateFile $T/ca.pem
TLSCertificateFile $T/server.pem
TLSCertificateKeyFile $T/server.key
password-hash {SSHA}
database mdb
maxsize 67108864
suffix "dc=example,dc=org"
rootdn "cn=admin,dc=example,dc=org"
rootpw adminpw
directory $D/db
overlay ppolicy
ppolicy_default "cn=default,ou=policies,dc=example,dc=org"
ppolicy_use_lockout
ppolicy_hash_cleartext
overlay lastbind
access to attrs=userPassword
  by self =wx
  by dn.exact="cn=changer,dc=example,dc=org" =wx
  by anonymous auth
  by * none
access to dn.exact="uid=nils,ou=people,dc=example,dc=org" attrs=sshPublicKey,objectClass
  by users read
  by * none
access to attrs=sshPublicKey
  by self write
  by users read
  by * none
access to attrs=objectClass val=ldapPublicKey
  by self write
  by users read
  by * none
access to *
  by self read
  by users read
  by * none
CONF

policy() { # name, extra lines
  printf 'dn: cn=%s,ou=policies,dc=example,dc=org\nobjectClass: device\nobjectClass: pwdPolicy\ncn: %s\npwdAttribute: userPassword\npwdMinLength: 8\npwdCheckQuality: 2\npwdInHistory: 3\npwdLockout: TRUE\npwdMaxFailure: 3\npwdLockoutDuration: 0\npwdMustChange: TRUE\n%s\n\n' "$1" "$1" "$2"
}
user() { # uid, cn, extra lines
  printf 'dn: uid=%s,ou=people,dc=example,dc=org\nobjectClass: inetOrgPerson\nuid: %s\ncn: %s\nsn: %s\nmail: %s@example.org\ntitle: Engineer\nou: Research\nuserPassword: %s\n%s\n\n' "$1" "$1" "$2" "${2##* }" "$1" "$OLD" "$3"
}
{
  printf 'dn: dc=example,dc=org\nobjectClass: dcObject\nobjectClass: organization\ndc: example\no: Example Org\n\n'
  for ou in people groups policies; do printf 'dn: ou=%s,dc=example,dc=org\nobjectClass: organizationalUnit\nou: %s\n\n' $ou $ou; done
  policy default $'pwdSafeModify: FALSE\npwdAllowUserChange: TRUE'
  policy expiring $'pwdAllowUserChange: TRUE\npwdSafeModify: FALSE\npwdMaxAge: 3600\npwdExpireWarning: 3600\npwdGraceAuthNLimit: 2'
  policy nograce $'pwdAllowUserChange: TRUE\npwdSafeModify: FALSE\npwdMaxAge: 3600\npwdGraceAuthNLimit: 0'
  policy strict $'pwdAllowUserChange: TRUE\npwdSafeModify: TRUE\npwdMinAge: 3600'
  policy nochange $'pwdSafeModify: FALSE\npwdAllowUserChange: FALSE'
  user alice "Alice Andersson" ""
  user bob "Bob Berg" ""
  user rita "Rita Reset" "pwdReset: TRUE"
  user gina "Gina Grace" $'pwdPolicySubentry: cn=expiring,ou=policies,dc=example,dc=org\npwdChangedTime: 20000101000000Z'
  user eve "Eve Expired" $'pwdPolicySubentry: cn=nograce,ou=policies,dc=example,dc=org\npwdChangedTime: 20000101000000Z'
  user wanda "Wanda Warning" "pwdPolicySubentry: cn=expiring,ou=policies,dc=example,dc=org
pwdChangedTime: $half_hour_ago"
  user yuri "Yuri Young" "pwdPolicySubentry: cn=strict,ou=policies,dc=example,dc=org
pwdChangedTime: $now"
  user nora "Nora Nochange" "pwdPolicySubentry: cn=nochange,ou=policies,dc=example,dc=org"
  printf 'dn: cn=long,ou=policies,dc=example,dc=org\nobjectClass: device\nobjectClass: pwdPolicy\ncn: long\npwdAttribute: userPassword\npwdMinLength: 12\npwdMaxLength: 40\npwdCheckQuality: 2\npwdInHistory: 5\npwdLockout: TRUE\npwdMaxFailure: 4\npwdLockoutDuration: 0\npwdMaxAge: 7776000\npwdGraceAuthNLimit: 2\npwdAllowUserChange: TRUE\npwdSafeModify: FALSE\n\n'
  user lisa "Lisa Long" "pwdPolicySubentry: cn=long,ou=policies,dc=example,dc=org"
  printf 'dn: cn=staff,ou=groups,dc=example,dc=org\nobjectClass: groupOfNames\ncn: staff\nmember: uid=alice,ou=people,dc=example,dc=org\nmember: uid=bob,ou=people,dc=example,dc=org\n\n'
  printf 'dn: cn=research,ou=groups,dc=example,dc=org\nobjectClass: groupOfNames\ncn: research\nmember: uid=alice,ou=people,dc=example,dc=org\n\n'
  for s in reader changer; do
    cap=${s^}
    printf 'dn: cn=%s,dc=example,dc=org\nobjectClass: organizationalRole\nobjectClass: simpleSecurityObject\ncn: %s\nuserPassword: %s\n\n' $s $s "$(hash "${cap}Passw0rd")"
  done
  # slapadd wants an attribute's values on adjacent lines: the key holders get their own printf.
  user lars "Lars Lpk" ""
  for u in kim:Keys nils:Nokeys; do
    printf 'dn: uid=%s,ou=people,dc=example,dc=org\nobjectClass: inetOrgPerson\nobjectClass: ldapPublicKey\nuid: %s\ncn: %s\nsn: %s\nuserPassword: %s\nsshPublicKey: %s\n\n' \
      "${u%%:*}" "${u%%:*}" "${u%%:*} ${u#*:}" "${u#*:}" "$OLD" "$SSH_KEY"
  done
} > "$D/data.ldif"

slaptest -Q -u -f "$D/slapd.conf"
slapadd -q -f "$D/slapd.conf" -l "$D/data.ldif"
