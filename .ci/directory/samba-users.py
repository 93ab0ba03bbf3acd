#!/usr/bin/python3
# Adds the test policy and users to a freshly provisioned Samba AD DC, in one
# process (each samba-tool call costs ~2 s of start-up). Runs offline on
# sam.ldb as the system. Usage: samba-users.py SMB_CONF
import sys
import samba
from samba.auth import system_session
from samba.param import LoadParm
from samba.samdb import SamDB
import ldb
import time

lp = LoadParm()
lp.load(sys.argv[1])
# For the openssh-lpk schema extension below (this process only; not written to smb.conf).
lp.set("dsdb:schema update allowed", "true")
db = SamDB(url=lp.samdb_url(), session_info=system_session(), lp=lp)
base = str(db.domain_dn())

# Domain policy: min length 8, complexity, history 3, lockout after 3 failures for 30 min, no min/max age.
MIN = -10_000_000 * 60  # one minute in FILETIME intervals (negative: a duration)
db.modify_ldif(f"""dn: {base}
changetype: modify
replace: minPwdLength
minPwdLength: 8
-
replace: pwdProperties
pwdProperties: 1
-
replace: pwdHistoryLength
pwdHistoryLength: 3
-
replace: lockoutThreshold
lockoutThreshold: 3
-
replace: lockoutDuration
lockoutDuration: {30 * MIN}
-
replace: lockOutObservationWindow
lockOutObservationWindow: {30 * MIN}
-
replace: minPwdAge
minPwdAge: 0
-
replace: maxPwdAge
maxPwdAge: -9223372036854775808
""")

# One user per test that changes state (tests share this DC and run in parallel):
#   mia, mona, mats  must change at next logon (773)      dora  disabled (533)
#   axel             account expired (701)                yves  minimum age 1 day (policy "young")
#   ezra, emil       password expired (532)               svc   service account (Svc-Passw0rd!)
#   others           plain users; alice and olof are in the groups Staff and Research
# Kerberos (kpasswd, no service account): kate, kira, kent, kris, kim must change; eric, ella expired.
USERS = ["alice", "bob", "carl", "dave", "lena", "lars", "kurt", "nils", "olof", "pete",
         "mia", "mona", "mats", "dora", "axel", "yves", "ezra", "emil",
         "kate", "kira", "kent", "kris", "eric", "ella", "kim"]
for u in USERS:
    db.newuser(u, "OldPassw0rd!", givenname=u.capitalize(), surname="Tester", mailaddress=f"{u}@example.test",
               jobtitle="Engineer", department="Research")
db.newuser("svc", "Svc-Passw0rd!")
for g, members in [("Staff", ["alice", "bob", "olof"]), ("Research", ["alice", "olof"])]:
    db.newgroup(g)
    db.add_remove_group_members(g, members, add_members_operation=True)

def user_dn(u):
    return f"CN={u},CN=Users,{base}"

db.disable_account(f"(sAMAccountName=dora)")
# Account expired: accountExpires one day in the past.
db.setexpiry("(sAMAccountName=axel)", -86400, no_expiry_req=False)
# Must change at next logon.
for u in ["mia", "mona", "mats", "kate", "kira", "kent", "kris", "kim"]:
    db.modify_ldif(f"dn: {user_dn(u)}\nchangetype: modify\nreplace: pwdLastSet\npwdLastSet: 0\n")
# Fine-grained policy with a minimum age of one day for yves (his password was just set).
DAY = -10_000_000 * 86400
db.add_ldif(f"""dn: CN=young,CN=Password Settings Container,CN=System,{base}
objectClass: msDS-PasswordSettings
msDS-PasswordSettingsPrecedence: 1
msDS-PasswordReversibleEncryptionEnabled: FALSE
msDS-PasswordHistoryLength: 3
msDS-PasswordComplexityEnabled: TRUE
msDS-MinimumPasswordLength: 8
msDS-MinimumPasswordAge: {DAY}
msDS-MaximumPasswordAge: -9223372036854775808
msDS-LockoutThreshold: 3
msDS-LockoutObservationWindow: {30 * MIN}
msDS-LockoutDuration: {30 * MIN}
msDS-PSOAppliesTo: {user_dn('yves')}
""")
# Passwords of ezra and emil expired: a policy with a maximum age of 2 days (Samba treats
# anything under a day as "never"), and pwdLastSet 5 days ago (only settable with the
# bypass-last-set control, offline as the system).
db.add_ldif(f"""dn: CN=expiring,CN=Password Settings Container,CN=System,{base}
objectClass: msDS-PasswordSettings
msDS-PasswordSettingsPrecedence: 2
msDS-PasswordReversibleEncryptionEnabled: FALSE
msDS-PasswordHistoryLength: 3
msDS-PasswordComplexityEnabled: TRUE
msDS-MinimumPasswordLength: 8
msDS-MinimumPasswordAge: 0
msDS-MaximumPasswordAge: {2 * DAY}
msDS-LockoutThreshold: 3
msDS-LockoutObservationWindow: {30 * MIN}
msDS-LockoutDuration: {30 * MIN}
msDS-PSOAppliesTo: {user_dn('ezra')}
msDS-PSOAppliesTo: {user_dn('emil')}
msDS-PSOAppliesTo: {user_dn('eric')}
msDS-PSOAppliesTo: {user_dn('ella')}
""")
BYPASS_LAST_SET = "local_oid:1.3.6.1.4.1.7165.4.3.20:0"
five_days_ago = int((time.time() - 5 * 86400 + 11644473600) * 10_000_000)
for u in ["ezra", "emil", "eric", "ella"]:
    m = ldb.Message()
    m.dn = ldb.Dn(db, user_dn(u))
    m["pwdLastSet"] = ldb.MessageElement(str(five_days_ago), ldb.FLAG_MOD_REPLACE, "pwdLastSet")
    db.modify(m, controls=[BYPASS_LAST_SET])
# SSH keys page: AD has no openssh-lpk schema by default; sites extend the schema (below) or name
# another attribute with --ssh-key-attribute.
# altSecurityIdentities (also holding certificate mappings) is one; by default a user may not
# write their own. sven is granted it (SELF: write property on altSecurityIdentities, as an
# administrator would delegate it); sara is not. Both start with a certificate mapping and one key.
import os
from samba.sd_utils import SDUtils
ALT_SECURITY_IDENTITIES_GUID = "00fbf30c-91fe-11d1-aebc-0000f80367c1"
here = os.path.dirname(os.path.abspath(__file__))
with open(os.path.join(here, "../../tests/fixtures/sshkeys/ed25519.pub")) as f:
    ssh_key = f.read().strip()
for u in ["sven", "sara"]:
    db.newuser(u, "OldPassw0rd!", givenname=u.capitalize(), surname="Tester", mailaddress=f"{u}@example.test")
    db.modify_ldif(f"""dn: {user_dn(u)}
changetype: modify
add: altSecurityIdentities
altSecurityIdentities: X509:<I>DC=test,DC=example,CN=Example CA<S>CN={u}
altSecurityIdentities: {ssh_key}
""")
SDUtils(db).dacl_add_ace(user_dn("sven"), f"(OA;;WP;{ALT_SECURITY_IDENTITIES_GUID};;PS)")

# The other AD way: the openssh-lpk schema added to AD (sshPublicKey, octet string; the
# auxiliary class ldapPublicKey linked to the user class, so no object lists it itself).
# sami may write his own sshPublicKey (SELF, delegated); he starts with one key.
from samba.ndr import ndr_unpack
from samba.dcerpc import misc
sdb = db
schema = str(sdb.get_schema_basedn())
update_now = "dn:\nchangetype: modify\nadd: schemaUpdateNow\nschemaUpdateNow: 1\n"
sdb.add_ldif(f"""dn: CN=sshPublicKey,{schema}
objectClass: top
objectClass: attributeSchema
attributeID: 1.3.6.1.4.1.24552.500.1.1.1.13
lDAPDisplayName: sshPublicKey
adminDisplayName: sshPublicKey
attributeSyntax: 2.5.5.10
oMSyntax: 4
isSingleValued: FALSE
searchFlags: 0
""")
sdb.modify_ldif(update_now)
sdb.add_ldif(f"""dn: CN=ldapPublicKey,{schema}
objectClass: top
objectClass: classSchema
governsID: 1.3.6.1.4.1.24552.500.1.1.2.0
lDAPDisplayName: ldapPublicKey
adminDisplayName: ldapPublicKey
subClassOf: top
objectClassCategory: 3
mayContain: sshPublicKey
mayContain: uid
""")
sdb.modify_ldif(update_now)
sdb.modify_ldif(f"dn: CN=User,{schema}\nchangetype: modify\nadd: auxiliaryClass\nauxiliaryClass: ldapPublicKey\n")
sdb.modify_ldif(update_now)
res = sdb.search(f"CN=sshPublicKey,{schema}", scope=ldb.SCOPE_BASE, attrs=["schemaIDGUID"])
ssh_public_key_guid = str(ndr_unpack(misc.GUID, res[0]["schemaIDGUID"][0]))
sdb.newuser("sami", "OldPassw0rd!", givenname="Sami", surname="Tester", mailaddress="sami@example.test")
sdb.modify_ldif(f"dn: {user_dn('sami')}\nchangetype: modify\nadd: sshPublicKey\nsshPublicKey: {ssh_key}\n")
SDUtils(sdb).dacl_add_ace(user_dn("sami"), f"(OA;;WP;{ssh_public_key_guid};;PS)")

# Fine-grained policy "long" for pia (issue 12): rules unlike the domain's, and readable by
# every authenticated user (AD lets only administrators read PSOs unless an administrator
# delegates it, as here), so the app can show them. Her password was just set and the
# policy's minimum age is one day, so the Password page says when she may change it.
db.newuser("pia", "OldPassw0rd!", givenname="Pia", surname="Tester", mailaddress="pia@example.test")
db.add_ldif(f"""dn: CN=long,CN=Password Settings Container,CN=System,{base}
objectClass: msDS-PasswordSettings
msDS-PasswordSettingsPrecedence: 3
msDS-PasswordReversibleEncryptionEnabled: FALSE
msDS-PasswordHistoryLength: 5
msDS-PasswordComplexityEnabled: FALSE
msDS-MinimumPasswordLength: 12
msDS-MinimumPasswordAge: {DAY}
msDS-MaximumPasswordAge: {42 * DAY}
msDS-LockoutThreshold: 5
msDS-LockoutObservationWindow: {30 * MIN}
msDS-LockoutDuration: {30 * MIN}
msDS-PSOAppliesTo: {user_dn('pia')}
""")
from samba.sd_utils import SDUtils
SDUtils(db).dacl_add_ace(f"CN=long,CN=Password Settings Container,CN=System,{base}", "(A;;RPLCLORC;;;AU)")
# yves's policy "young" stays unreadable by users; the service account svc may read it, so the
# app reads it on the service account's connection when --bind-dn is given.
from samba.ndr import ndr_unpack
from samba.dcerpc import security
svc_sid = ndr_unpack(security.dom_sid, db.search(base=user_dn("svc"), scope=ldb.SCOPE_BASE, attrs=["objectSid"])[0]["objectSid"][0])
SDUtils(db).dacl_add_ace(f"CN=young,CN=Password Settings Container,CN=System,{base}", f"(A;;RPLCLORC;;;{svc_sid})")
print("samba-users: done")
