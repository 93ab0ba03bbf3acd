//! The Kerberos messages this client sends and reads: the AS exchange with
//! encrypted-timestamp pre-authentication (RFC 4120 §3.1, RFC 6113 ETYPE-INFO2)
//! and the change-password protocol (RFC 3244, version 1: the new password is
//! the KRB-PRIV user data).
//!
//! The ASN.1 types and the AES-SHA1 crypto are Devolutions' `picky-krb`. What it
//! lacks or gets wrong is written here: its `EncKrbPrivPart.usec` and
//! `KrbError.cusec` are typed as times (they are integers, so a server that
//! sends them could not be read), its kpasswd reply reader rejects error
//! replies, and nothing there keeps the result string. The EncKrbPrivPart
//! holding the new password is encoded by hand into one zeroizing buffer so
//! no copy of the password is left in freed memory by the DER serializer.

use crate::account::ProviderError;
use chrono::{DateTime, Utc};
use picky_asn1::bit_string::BitString;
use picky_asn1::date::GeneralizedTime;
use picky_asn1::restricted_string::IA5String;
use picky_asn1::wrapper::{
    Asn1SequenceOf, ExplicitContextTag0, ExplicitContextTag1, ExplicitContextTag10, ExplicitContextTag11,
    ExplicitContextTag12, ExplicitContextTag2, ExplicitContextTag3, ExplicitContextTag4, ExplicitContextTag5,
    ExplicitContextTag6, ExplicitContextTag7, ExplicitContextTag8, ExplicitContextTag9, GeneralizedTimeAsn1,
    IntegerAsn1, OctetStringAsn1, Optional,
};
use picky_krb::crypto::CipherSuite;
use picky_krb::data_types::{
    AuthenticatorInner, EncryptedData, EncryptionKey, EtypeInfo2, KerberosFlags, KerberosStringAsn1, KerberosTime,
    Microseconds, PaData, PaEncTsEnc, PrincipalName, Realm, Ticket,
};
use picky_krb::messages::{ApRep, ApReqInner, AsRep, AsReq, EncAsRepPart, EncTgsRepPart, KdcReq, KdcReqBody};
use serde::{Deserialize, Serialize};
use zeroize::{Zeroize, Zeroizing};

// Error codes (RFC 4120 §7.5.9).
pub const KDC_ERR_C_PRINCIPAL_UNKNOWN: u32 = 6;
pub const KDC_ERR_S_PRINCIPAL_UNKNOWN: u32 = 7;
pub const KDC_ERR_POLICY: u32 = 12;
pub const KDC_ERR_ETYPE_NOSUPP: u32 = 14;
pub const KDC_ERR_CLIENT_REVOKED: u32 = 18;
pub const KDC_ERR_KEY_EXPIRED: u32 = 23;
pub const KDC_ERR_PREAUTH_FAILED: u32 = 24;
pub const KDC_ERR_PREAUTH_REQUIRED: u32 = 25;
pub const KRB_AP_ERR_SKEW: u32 = 37;
pub const KRB_ERR_RESPONSE_TOO_BIG: u32 = 52;
pub const KDC_ERR_WRONG_REALM: u32 = 68;

const PA_ENC_TIMESTAMP: u8 = 2;
const PA_ETYPE_INFO2: u8 = 19;
/// NT_PRINCIPAL, NT_SRV_INST, NT_ENTERPRISE (RFC 4120 §6.2, RFC 6806).
pub const NT_PRINCIPAL: u8 = 1;
pub const NT_SRV_INST: u8 = 2;
pub const NT_ENTERPRISE: u8 = 10;

/// The encryption types this client speaks: AES-SHA1 (RFC 3962, picky-krb) and
/// AES-SHA2 (RFC 8009, `sha2.rs`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Etype {
    Aes256Sha1,
    Aes128Sha1,
    Aes256Sha384,
    Aes128Sha256,
    /// RC4-HMAC (RFC 4757): offered last, so used only when the account has no AES key.
    Rc4Hmac,
}

/// Offered in MIT krb5's default order (permitted_enctypes), RC4 last.
pub const OFFERED_ETYPES: [Etype; 5] =
    [Etype::Aes256Sha1, Etype::Aes128Sha1, Etype::Aes256Sha384, Etype::Aes128Sha256, Etype::Rc4Hmac];

/// The implementations behind an Etype.
enum Impl {
    Sha1(CipherSuite),
    Sha2(super::sha2::Sha2Type),
    Rc4,
}

fn crypto_err<E: std::fmt::Display>(what: &str) -> impl FnOnce(E) -> ProviderError + '_ {
    move |e| ProviderError::Protocol { detail: format!("{what}: {e}") }
}

impl Etype {
    pub fn number(self) -> u8 {
        match self {
            Etype::Aes128Sha1 => 17,
            Etype::Aes256Sha1 => 18,
            Etype::Aes128Sha256 => 19,
            Etype::Aes256Sha384 => 20,
            Etype::Rc4Hmac => 23,
        }
    }
    pub fn from_number(n: i64) -> Option<Etype> {
        match n {
            17 => Some(Etype::Aes128Sha1),
            18 => Some(Etype::Aes256Sha1),
            19 => Some(Etype::Aes128Sha256),
            20 => Some(Etype::Aes256Sha384),
            23 => Some(Etype::Rc4Hmac),
            _ => None,
        }
    }
    fn imp(self) -> Impl {
        match self {
            Etype::Aes128Sha1 => Impl::Sha1(CipherSuite::Aes128CtsHmacSha196),
            Etype::Aes256Sha1 => Impl::Sha1(CipherSuite::Aes256CtsHmacSha196),
            Etype::Aes128Sha256 => Impl::Sha2(super::sha2::Sha2Type::Aes128Sha256),
            Etype::Aes256Sha384 => Impl::Sha2(super::sha2::Sha2Type::Aes256Sha384),
            Etype::Rc4Hmac => Impl::Rc4,
        }
    }
    pub fn key_size(self) -> usize {
        match self {
            Etype::Aes128Sha1 | Etype::Aes128Sha256 | Etype::Rc4Hmac => 16,
            Etype::Aes256Sha1 | Etype::Aes256Sha384 => 32,
        }
    }
    pub fn encrypt(self, key: &[u8], usage: i32, plain: &[u8]) -> Result<Vec<u8>, ProviderError> {
        match self.imp() {
            Impl::Sha1(s) => s.cipher().encrypt(key, usage, plain).map_err(crypto_err("encrypting")),
            Impl::Sha2(t) => t.encrypt(key, usage, plain).map_err(|e| crypto_err("encrypting")(e.0)),
            Impl::Rc4 => super::rc4hmac::encrypt(key, usage, plain).map_err(|e| crypto_err("encrypting")(e.0)),
        }
    }
    pub fn decrypt(self, key: &[u8], usage: i32, cipher: &[u8]) -> Result<Vec<u8>, ProviderError> {
        match self.imp() {
            Impl::Sha1(s) => s.cipher().decrypt(key, usage, cipher).map_err(crypto_err("decrypting")),
            Impl::Sha2(t) => t.decrypt(key, usage, cipher).map_err(|e| crypto_err("decrypting")(e.0)),
            Impl::Rc4 => super::rc4hmac::decrypt(key, usage, cipher).map_err(|e| crypto_err("decrypting")(e.0)),
        }
    }
    /// A fresh random key (random-to-key is the identity for AES).
    pub fn random_key(self) -> Zeroizing<Vec<u8>> {
        use rand::RngCore;
        let mut k = Zeroizing::new(vec![0u8; self.key_size()]);
        rand::rng().fill_bytes(&mut k);
        k
    }
}

/// A client principal: name components and realm.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Principal {
    pub name_type: u8,
    pub components: Vec<String>,
    pub realm: String,
}

impl Principal {
    /// `alice`, `alice@REALM`, `DOMAIN\alice`, or a user principal name whose
    /// suffix is not the realm (sent as an enterprise name, which AD resolves).
    pub fn parse(user: &str, realm: &str) -> Result<Principal, ProviderError> {
        let user = user.trim();
        let bad = || ProviderError::UnknownUser;
        if user.is_empty() || user.chars().any(|c| c.is_control()) {
            return Err(bad());
        }
        if !user.is_ascii() || !realm.is_ascii() {
            // KerberosString is IA5 in picky-krb: say what is wrong, not "no such account".
            return Err(ProviderError::Protocol {
                detail: "Kerberos names with letters outside ASCII cannot be sent by this client; sign in with the account's ASCII name (for Active Directory: its pre-Windows 2000 name)".into(),
            });
        }
        if let Some((_, name)) = user.split_once('\\') {
            return Ok(Principal { name_type: NT_PRINCIPAL, components: vec![name.to_owned()], realm: realm.into() });
        }
        if let Some((name, suffix)) = user.rsplit_once('@') {
            if name.is_empty() || suffix.is_empty() {
                return Err(bad());
            }
            if suffix.eq_ignore_ascii_case(realm) || realm.is_empty() {
                let realm = if realm.is_empty() { suffix.to_ascii_uppercase() } else { realm.to_owned() };
                return Ok(Principal {
                    name_type: NT_PRINCIPAL,
                    components: name.split('/').map(str::to_owned).collect(),
                    realm,
                });
            }
            return Ok(Principal { name_type: NT_ENTERPRISE, components: vec![user.to_owned()], realm: realm.into() });
        }
        Ok(Principal {
            name_type: NT_PRINCIPAL,
            components: user.split('/').map(str::to_owned).collect(),
            realm: realm.into(),
        })
    }

    /// `name@REALM`, as kinit prints it.
    pub fn display(&self) -> String {
        format!("{}@{}", self.components.join("/"), self.realm)
    }
}

fn kstring(s: &str) -> Result<KerberosStringAsn1, ProviderError> {
    IA5String::from_string(s.to_owned())
        .map(KerberosStringAsn1::from)
        .map_err(|_| ProviderError::Protocol { detail: format!("{s:?} is not a valid Kerberos name") })
}

fn principal_name(name_type: u8, components: &[String]) -> Result<PrincipalName, ProviderError> {
    Ok(PrincipalName {
        name_type: ExplicitContextTag0::from(IntegerAsn1::from(vec![name_type])),
        name_string: ExplicitContextTag1::from(Asn1SequenceOf::from(
            components.iter().map(|c| kstring(c)).collect::<Result<Vec<_>, _>>()?,
        )),
    })
}

fn int(v: u32) -> IntegerAsn1 {
    IntegerAsn1::from_bytes_be_signed(v.to_be_bytes().to_vec())
}

fn int_value(i: &IntegerAsn1) -> i64 {
    let b = i.as_signed_bytes_be();
    if b.is_empty() || b.len() > 8 {
        return 0;
    }
    let neg = b[0] & 0x80 != 0;
    let mut v: i64 = if neg { -1 } else { 0 };
    for x in b {
        v = (v << 8) | *x as i64;
    }
    v
}

fn ktime(t: DateTime<Utc>) -> KerberosTime {
    GeneralizedTimeAsn1::from(GeneralizedTime::from(t))
}

fn from_ktime(t: &KerberosTime) -> DateTime<Utc> {
    DateTime::<Utc>::from(t.0.clone())
}

fn garbled(what: &str) -> ProviderError {
    ProviderError::Protocol { detail: format!("the Kerberos server sent {what} that could not be read") }
}

fn etype_number(e: &Etype) -> u8 {
    e.number()
}

/// KRB-ERROR with the integer fields typed as integers (picky-krb types cusec as a time).
#[derive(Debug, Serialize, Deserialize, PartialEq, Eq, Clone)]
pub struct KrbErrorBody {
    pub pvno: ExplicitContextTag0<IntegerAsn1>,
    pub msg_type: ExplicitContextTag1<IntegerAsn1>,
    #[serde(default)]
    pub ctime: Optional<Option<ExplicitContextTag2<KerberosTime>>>,
    #[serde(default)]
    pub cusec: Optional<Option<ExplicitContextTag3<Microseconds>>>,
    pub stime: ExplicitContextTag4<KerberosTime>,
    pub susec: ExplicitContextTag5<Microseconds>,
    pub error_code: ExplicitContextTag6<IntegerAsn1>,
    #[serde(default)]
    pub crealm: Optional<Option<ExplicitContextTag7<Realm>>>,
    #[serde(default)]
    pub cname: Optional<Option<ExplicitContextTag8<PrincipalName>>>,
    pub realm: ExplicitContextTag9<Realm>,
    pub sname: ExplicitContextTag10<PrincipalName>,
    #[serde(default)]
    pub e_text: Optional<Option<ExplicitContextTag11<KerberosStringAsn1>>>,
    #[serde(default)]
    pub e_data: Optional<Option<ExplicitContextTag12<OctetStringAsn1>>>,
}
pub type KrbErrorMsg = picky_asn1_der::application_tag::ApplicationTag<KrbErrorBody, 30>;

/// A KRB-ERROR, reduced to what this client acts on.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct KdcError {
    pub code: u32,
    pub text: Option<String>,
    pub data: Option<Vec<u8>>,
    pub server_time: DateTime<Utc>,
}

impl KdcError {
    fn from_msg(m: &KrbErrorMsg) -> KdcError {
        let b = &m.0;
        KdcError {
            code: int_value(&b.error_code.0).clamp(0, u32::MAX as i64) as u32,
            text: b.e_text.0.as_ref().map(|t| String::from_utf8_lossy(t.0.as_bytes()).into_owned()),
            data: b.e_data.0.as_ref().map(|d| d.0 .0.clone()),
            server_time: from_ktime(&b.stime.0),
        }
    }

    /// The NTSTATUS in an Active Directory KERB-EXT-ERROR (MS-KILE §2.2.1 KERB-EXT-ERROR,
    /// carried in KERB-ERROR-DATA with data-type 3 or in a PA-DATA of type 3 inside METHOD-DATA).
    pub fn ntstatus(&self) -> Option<u32> {
        let d = self.data.as_deref()?;
        #[derive(Deserialize)]
        struct KerbErrorData {
            data_type: ExplicitContextTag1<IntegerAsn1>,
            #[serde(default)]
            data_value: Optional<Option<ExplicitContextTag2<OctetStringAsn1>>>,
        }
        let le = |v: &[u8]| (v.len() >= 4).then(|| u32::from_le_bytes([v[0], v[1], v[2], v[3]]));
        if let Ok(k) = picky_asn1_der::from_bytes::<KerbErrorData>(d) {
            if int_value(&k.data_type.0) == 3 {
                return k.data_value.0.as_ref().and_then(|v| le(&v.0 .0));
            }
        }
        if let Ok(pas) = picky_asn1_der::from_bytes::<Asn1SequenceOf<PaData>>(d) {
            for p in pas.0 {
                if int_value(&p.padata_type.0) == 3 {
                    return le(&p.padata_data.0 .0);
                }
            }
        }
        None
    }

    /// The salt (and encryption type) the KDC asks for, from ETYPE-INFO2 in METHOD-DATA.
    pub fn etype_info2(&self) -> Vec<(Etype, Option<String>, Option<Vec<u8>>)> {
        let Some(d) = self.data.as_deref() else { return Vec::new() };
        let Ok(pas) = picky_asn1_der::from_bytes::<Asn1SequenceOf<PaData>>(d) else { return Vec::new() };
        let mut out = Vec::new();
        for p in pas.0 {
            if int_value(&p.padata_type.0) != PA_ETYPE_INFO2 as i64 {
                continue;
            }
            if let Ok(info) = picky_asn1_der::from_bytes::<EtypeInfo2>(&p.padata_data.0 .0) {
                for e in info.0 {
                    if let Some(s) = Etype::from_number(int_value(&e.etype.0)) {
                        let salt = e.salt.0.as_ref().map(|s| String::from_utf8_lossy(s.0.as_bytes()).into_owned());
                        out.push((s, salt, e.s2kparams.0.as_ref().map(|p| p.0 .0.clone())));
                    }
                }
            }
        }
        out
    }
}

/// What came back from the KDC.
pub enum KdcReply {
    AsRep(Box<AsRep>),
    Error(KdcError),
}

pub fn parse_kdc_reply(b: &[u8]) -> Result<KdcReply, ProviderError> {
    match b.first() {
        Some(0x6b) => picky_asn1_der::from_bytes::<AsRep>(b)
            .map(|r| KdcReply::AsRep(Box::new(r)))
            .map_err(|_| garbled("an AS reply")),
        Some(0x7e) => picky_asn1_der::from_bytes::<KrbErrorMsg>(b)
            .map(|e| KdcReply::Error(KdcError::from_msg(&e)))
            .map_err(|_| garbled("an error")),
        _ => Err(garbled("a reply")),
    }
}

/// Builds an AS-REQ for `service` (e.g. ["kadmin", "changepw"] or ["krbtgt", REALM]).
pub fn as_req(
    client: &Principal,
    service: &[String],
    nonce: u32,
    padata: Vec<PaData>,
    now: DateTime<Utc>,
) -> Result<Vec<u8>, ProviderError> {
    // KDC options: canonicalize (bit 15) so an enterprise name resolves; nothing else.
    let mut flags = BitString::with_len(32);
    if client.name_type == NT_ENTERPRISE {
        flags.set(15, true);
    }
    let till = now + chrono::Duration::hours(1);
    let body = KdcReqBody {
        kdc_options: ExplicitContextTag0::from(KerberosFlags::from(flags)),
        cname: Optional::from(Some(ExplicitContextTag1::from(principal_name(client.name_type, &client.components)?))),
        realm: ExplicitContextTag2::from(kstring(&client.realm)?),
        sname: Optional::from(Some(ExplicitContextTag3::from(principal_name(NT_SRV_INST, service)?))),
        from: Optional::from(None),
        till: ExplicitContextTag5::from(ktime(till)),
        rtime: Optional::from(None),
        nonce: ExplicitContextTag7::from(int(nonce & 0x7fff_ffff)),
        etype: ExplicitContextTag8::from(Asn1SequenceOf::from(
            OFFERED_ETYPES.iter().map(|e| IntegerAsn1::from(vec![etype_number(e)])).collect::<Vec<_>>(),
        )),
        addresses: Optional::from(None),
        enc_authorization_data: Optional::from(None),
        additional_tickets: Optional::from(None),
    };
    let req = AsReq::from(KdcReq {
        pvno: ExplicitContextTag1::from(IntegerAsn1::from(vec![5])),
        msg_type: ExplicitContextTag2::from(IntegerAsn1::from(vec![10])),
        padata: Optional::from((!padata.is_empty()).then(|| ExplicitContextTag3::from(Asn1SequenceOf::from(padata)))),
        req_body: ExplicitContextTag4::from(body),
    });
    picky_asn1_der::to_vec(&req).map_err(|e| ProviderError::Protocol { detail: format!("encoding AS-REQ: {e}") })
}

/// A long-term key derived from the password (zeroed on drop).
pub struct Key {
    pub etype: Etype,
    pub bytes: Zeroizing<Vec<u8>>,
}

impl std::fmt::Debug for Key {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Key").field("etype", &self.etype).finish_non_exhaustive()
    }
}

/// string-to-key (RFC 3962: PBKDF2-HMAC-SHA1, 4096 iterations unless s2kparams say otherwise).
pub fn string_to_key(
    etype: &Etype,
    password: &[u8],
    salt: &str,
    s2kparams: Option<&[u8]>,
) -> Result<Key, ProviderError> {
    let bytes = match etype.imp() {
        Impl::Rc4 => super::rc4hmac::string_to_key(password).map_err(|e| crypto_err("deriving the key")(e.0))?,
        Impl::Sha1(suite) => {
            // picky-krb derives with RFC 3962's default 4096 iterations only.
            if s2kparams.is_some_and(|p| p != [0, 0, 0x10, 0]) {
                return Err(ProviderError::Protocol {
                    detail: "the realm uses a non-default string-to-key iteration count for AES-SHA1, which this client does not support".into(),
                });
            }
            Zeroizing::new(
                suite
                    .cipher()
                    .generate_key_from_password(password, salt.as_bytes())
                    .map_err(crypto_err("deriving the key"))?,
            )
        }
        Impl::Sha2(t) => {
            t.string_to_key(password, salt.as_bytes(), s2kparams).map_err(|e| crypto_err("deriving the key")(e.0))?
        }
    };
    Ok(Key { etype: *etype, bytes })
}

/// PA-ENC-TIMESTAMP (key usage 1).
pub fn pa_enc_timestamp(key: &Key, now: DateTime<Utc>) -> Result<PaData, ProviderError> {
    let ts = PaEncTsEnc {
        patimestamp: ExplicitContextTag0::from(ktime(now)),
        pausec: Optional::from(Some(ExplicitContextTag1::from(int(now.timestamp_subsec_micros().min(999_999))))),
    };
    let plain = picky_asn1_der::to_vec(&ts).map_err(|e| ProviderError::Protocol { detail: e.to_string() })?;
    let cipher = key.etype.encrypt(&key.bytes, 1, &plain)?;
    let ed = EncryptedData {
        etype: ExplicitContextTag0::from(IntegerAsn1::from(vec![etype_number(&key.etype)])),
        kvno: Optional::from(None),
        cipher: ExplicitContextTag2::from(OctetStringAsn1::from(cipher)),
    };
    Ok(PaData {
        padata_type: ExplicitContextTag1::from(IntegerAsn1::from(vec![PA_ENC_TIMESTAMP])),
        padata_data: ExplicitContextTag2::from(OctetStringAsn1::from(
            picky_asn1_der::to_vec(&ed).map_err(|e| ProviderError::Protocol { detail: e.to_string() })?,
        )),
    })
}

/// What a successful AS exchange gives: a ticket for the service, its session key,
/// and what the KDC said about the client.
pub struct Credentials {
    pub client: Principal,
    pub ticket: Ticket,
    pub session_key: Key,
    /// When the password expires (key-expiration, or last-req type 6).
    pub password_expires: Option<DateTime<Utc>>,
    pub auth_time: DateTime<Utc>,
}

/// Decrypts the AS-REP with the client's key (usage 3) and checks the nonce.
pub fn read_as_rep(rep: &AsRep, key: &Key, nonce: u32) -> Result<Credentials, ProviderError> {
    let enc = &rep.0.enc_part.0;
    let et = int_value(&enc.etype.0);
    if et != etype_number(&key.etype) as i64 {
        return Err(ProviderError::Protocol { detail: format!("the KDC answered with encryption type {et}") });
    }
    let plain = Zeroizing::new(key.etype.decrypt(&key.bytes, 3, &enc.cipher.0 .0).map_err(|_| {
        ProviderError::Protocol { detail: "the KDC's reply did not decrypt with this password".into() }
    })?);
    // Windows sends EncTGSRepPart in AS replies (RFC 4120 §5.4.2 tells clients to accept both).
    let part = match picky_asn1_der::from_bytes::<EncAsRepPart>(&plain) {
        Ok(p) => p.0,
        Err(_) => picky_asn1_der::from_bytes::<EncTgsRepPart>(&plain).map_err(|_| garbled("an AS reply"))?.0,
    };
    if int_value(&part.nonce.0) != (nonce & 0x7fff_ffff) as i64 {
        return Err(ProviderError::Protocol { detail: "the KDC's reply does not match the request (nonce)".into() });
    }
    let ket = Etype::from_number(int_value(&part.key.0.key_type.0)).ok_or_else(|| ProviderError::Protocol {
        detail: "the session key has an unsupported encryption type".into(),
    })?;
    let mut kv = part.key.0.key_value.0 .0.clone();
    let session_key = Key { etype: ket, bytes: Zeroizing::new(std::mem::take(&mut kv)) };
    // last-req type 6: password expiration time (RFC 4120 §5.4.2 / RFC 3244 practice).
    let lr = part.last_req.0 .0.iter().find(|l| int_value(&l.lr_type.0).abs() == 6).map(|l| from_ktime(&l.lr_value.0));
    let password_expires = part.key_expiration.0.as_ref().map(|t| from_ktime(&t.0)).or(lr);
    let cname = &rep.0.cname.0;
    let client = Principal {
        name_type: int_value(&cname.name_type.0).clamp(0, 255) as u8,
        components: cname
            .name_string
            .0
             .0
            .iter()
            .map(|s| String::from_utf8_lossy(s.0.as_bytes()).into_owned())
            .collect(),
        realm: String::from_utf8_lossy(rep.0.crealm.0 .0.as_bytes()).into_owned(),
    };
    Ok(Credentials {
        client,
        ticket: rep.0.ticket.0.clone(),
        session_key,
        password_expires,
        auth_time: from_ktime(&part.auth_time.0),
    })
}

// ---- DER by hand, for the one structure that holds the new password ----

fn der_len(out: &mut Vec<u8>, n: usize) {
    if n < 0x80 {
        out.push(n as u8);
    } else {
        let b = (n as u32).to_be_bytes();
        let skip = b.iter().take_while(|x| **x == 0).count();
        out.push(0x80 | (4 - skip) as u8);
        out.extend_from_slice(&b[skip..]);
    }
}

fn der_tlv(out: &mut Vec<u8>, tag: u8, content: &[u8]) {
    out.push(tag);
    der_len(out, content.len());
    out.extend_from_slice(content);
}

fn der_int(v: u32) -> Vec<u8> {
    let mut b = v.to_be_bytes().to_vec();
    while b.len() > 1 && b[0] == 0 && b[1] & 0x80 == 0 {
        b.remove(0);
    }
    if b[0] & 0x80 != 0 {
        b.insert(0, 0);
    }
    let mut out = Vec::new();
    der_tlv(&mut out, 0x02, &b);
    out
}

/// EncKrbPrivPart ::= [APPLICATION 28] SEQUENCE { user-data [0] OCTET STRING,
/// timestamp [1] KerberosTime, seq-number [3] UInt32, s-address [4] HostAddress },
/// built in one zeroizing buffer of the right size (no reallocation leaves a copy).
pub fn enc_krb_priv_part(
    user_data: &[u8],
    now: DateTime<Utc>,
    seq: u32,
    addr: &std::net::IpAddr,
) -> Zeroizing<Vec<u8>> {
    let ts = now.format("%Y%m%d%H%M%SZ").to_string();
    let mut ts_tlv = Vec::new();
    der_tlv(&mut ts_tlv, 0x18, ts.as_bytes());
    let (atype, abytes): (u32, Vec<u8>) = match addr {
        std::net::IpAddr::V4(a) => (2, a.octets().to_vec()),
        std::net::IpAddr::V6(a) => (24, a.octets().to_vec()),
    };
    let mut host = Vec::new();
    {
        let mut inner = Vec::new();
        der_tlv(&mut inner, 0xa0, &der_int(atype));
        let mut oct = Vec::new();
        der_tlv(&mut oct, 0x04, &abytes);
        der_tlv(&mut inner, 0xa1, &oct);
        der_tlv(&mut host, 0x30, &inner);
    }
    let cap = user_data.len() + ts_tlv.len() + host.len() + 64;
    // user-data: [0] { OCTET STRING }
    let mut ud = Zeroizing::new(Vec::with_capacity(user_data.len() + 16));
    {
        let mut oct = Zeroizing::new(Vec::with_capacity(user_data.len() + 8));
        der_tlv(&mut oct, 0x04, user_data);
        der_tlv(&mut ud, 0xa0, &oct);
    }
    let mut seq_body = Zeroizing::new(Vec::with_capacity(cap));
    seq_body.extend_from_slice(&ud);
    der_tlv(&mut seq_body, 0xa1, &ts_tlv);
    der_tlv(&mut seq_body, 0xa3, &der_int(seq));
    der_tlv(&mut seq_body, 0xa4, &host);
    let mut seq_tlv = Zeroizing::new(Vec::with_capacity(cap));
    der_tlv(&mut seq_tlv, 0x30, &seq_body);
    let mut out = Zeroizing::new(Vec::with_capacity(cap));
    der_tlv(&mut out, 0x7c, &seq_tlv);
    out
}

/// The reply's EncKrbPrivPart, with usec as the integer it is.
#[derive(Debug, Serialize, Deserialize, PartialEq, Eq, Clone)]
struct EncKrbPrivBody {
    user_data: ExplicitContextTag0<OctetStringAsn1>,
    #[serde(default)]
    timestamp: Optional<Option<ExplicitContextTag1<KerberosTime>>>,
    #[serde(default)]
    usec: Optional<Option<ExplicitContextTag2<Microseconds>>>,
    #[serde(default)]
    seq_number: Optional<Option<ExplicitContextTag3<IntegerAsn1>>>,
}
type EncKrbPrivReply = picky_asn1_der::application_tag::ApplicationTag<EncKrbPrivBody, 28>;

#[derive(Debug, Serialize, Deserialize, PartialEq, Eq, Clone)]
struct KrbPrivBody {
    pvno: ExplicitContextTag0<IntegerAsn1>,
    msg_type: ExplicitContextTag1<IntegerAsn1>,
    enc_part: ExplicitContextTag3<EncryptedData>,
}
type KrbPrivMsg = picky_asn1_der::application_tag::ApplicationTag<KrbPrivBody, 21>;

/// A change-password request (RFC 3244 framing, protocol version 1) and the
/// subkey its reply is sealed with.
pub struct KpasswdRequest {
    pub message: Vec<u8>,
    pub subkey: Key,
}

/// Builds AP-REQ (authenticator with a fresh subkey, usage 11) + KRB-PRIV
/// (the new password, sealed with the subkey, usage 13).
pub fn kpasswd_request(
    creds: &Credentials,
    new_password: &[u8],
    local: &std::net::IpAddr,
    now: DateTime<Utc>,
) -> Result<KpasswdRequest, ProviderError> {
    use rand::RngCore;
    let perr = |e: String| ProviderError::Protocol { detail: e };
    let et = creds.session_key.etype;
    let subkey = Key { etype: et, bytes: et.random_key() };
    let seq = rand::rng().next_u32() & 0x3fff_ffff;
    let mut auth = picky_krb::data_types::Authenticator::from(AuthenticatorInner {
        authenticator_vno: ExplicitContextTag0::from(IntegerAsn1::from(vec![5])),
        crealm: ExplicitContextTag1::from(kstring(&creds.client.realm)?),
        cname: ExplicitContextTag2::from(principal_name(creds.client.name_type, &creds.client.components)?),
        cksum: Optional::from(None),
        cusec: ExplicitContextTag4::from(int(now.timestamp_subsec_micros().min(999_999))),
        ctime: ExplicitContextTag5::from(ktime(now)),
        subkey: Optional::from(Some(ExplicitContextTag6::from(EncryptionKey {
            key_type: ExplicitContextTag0::from(IntegerAsn1::from(vec![etype_number(&et)])),
            key_value: ExplicitContextTag1::from(OctetStringAsn1::from(subkey.bytes.to_vec())),
        }))),
        seq_number: Optional::from(Some(ExplicitContextTag7::from(int(seq)))),
        authorization_data: Optional::from(None),
    });
    let auth_plain = Zeroizing::new(picky_asn1_der::to_vec(&auth).map_err(|e| perr(e.to_string()))?);
    if let Some(k) = auth.0.subkey.0.as_mut() {
        k.0.key_value.0 .0.zeroize();
    }
    let auth_enc = et.encrypt(&creds.session_key.bytes, 11, &auth_plain)?;
    let ap_req = picky_krb::messages::ApReq::from(ApReqInner {
        pvno: ExplicitContextTag0::from(IntegerAsn1::from(vec![5])),
        msg_type: ExplicitContextTag1::from(IntegerAsn1::from(vec![14])),
        ap_options: ExplicitContextTag2::from(KerberosFlags::from(BitString::with_len(32))),
        ticket: ExplicitContextTag3::from(creds.ticket.clone()),
        authenticator: ExplicitContextTag4::from(EncryptedData {
            etype: ExplicitContextTag0::from(IntegerAsn1::from(vec![etype_number(&et)])),
            kvno: Optional::from(None),
            cipher: ExplicitContextTag2::from(OctetStringAsn1::from(auth_enc)),
        }),
    });
    let ap = picky_asn1_der::to_vec(&ap_req).map_err(|e| perr(e.to_string()))?;
    let plain = enc_krb_priv_part(new_password, now, seq, local);
    let sealed = et.encrypt(&subkey.bytes, 13, &plain)?;
    drop(plain);
    let krb_priv = KrbPrivMsg::from(KrbPrivBody {
        pvno: ExplicitContextTag0::from(IntegerAsn1::from(vec![5])),
        msg_type: ExplicitContextTag1::from(IntegerAsn1::from(vec![21])),
        enc_part: ExplicitContextTag3::from(EncryptedData {
            etype: ExplicitContextTag0::from(IntegerAsn1::from(vec![etype_number(&et)])),
            kvno: Optional::from(None),
            cipher: ExplicitContextTag2::from(OctetStringAsn1::from(sealed)),
        }),
    });
    let pr = picky_asn1_der::to_vec(&krb_priv).map_err(|e| perr(e.to_string()))?;
    let total = 6 + ap.len() + pr.len();
    if total > u16::MAX as usize {
        return Err(perr("the change-password request is too large".into()));
    }
    let mut message = Vec::with_capacity(total);
    message.extend_from_slice(&(total as u16).to_be_bytes());
    message.extend_from_slice(&[0, 1]);
    message.extend_from_slice(&(ap.len() as u16).to_be_bytes());
    message.extend_from_slice(&ap);
    message.extend_from_slice(&pr);
    Ok(KpasswdRequest { message, subkey })
}

/// The server's answer: result code (RFC 3244 §2) and result string (raw bytes:
/// text, or Active Directory's policy block).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct KpasswdResult {
    pub code: u16,
    pub data: Vec<u8>,
}

fn split_result(user_data: &[u8]) -> Result<KpasswdResult, ProviderError> {
    if user_data.len() < 2 {
        return Err(garbled("a change-password result"));
    }
    Ok(KpasswdResult { code: u16::from_be_bytes([user_data[0], user_data[1]]), data: user_data[2..].to_vec() })
}

/// Reads a kpasswd reply: AP-REP + KRB-PRIV, or (AP-REP length 0) a KRB-ERROR whose
/// e-data holds the result.
pub fn read_kpasswd_reply(b: &[u8], req: &KpasswdRequest, session_key: &Key) -> Result<KpasswdResult, ProviderError> {
    // A KDC-style KRB-ERROR sent without kpasswd framing (some servers do when they cannot parse the request).
    if b.first() == Some(&0x7e) {
        let e = picky_asn1_der::from_bytes::<KrbErrorMsg>(b).map_err(|_| garbled("an error"))?;
        return Err(kpasswd_krb_error(KdcError::from_msg(&e)));
    }
    if b.len() < 6 {
        return Err(garbled("a change-password reply"));
    }
    let len = u16::from_be_bytes([b[0], b[1]]) as usize;
    let ver = u16::from_be_bytes([b[2], b[3]]);
    let ap_len = u16::from_be_bytes([b[4], b[5]]) as usize;
    if len != b.len() || 6 + ap_len > b.len() {
        return Err(garbled("a change-password reply of the wrong length"));
    }
    let rest = &b[6 + ap_len..];
    if ap_len == 0 || ver == 0 {
        let e = picky_asn1_der::from_bytes::<KrbErrorMsg>(rest).map_err(|_| garbled("a change-password error"))?;
        let e = KdcError::from_msg(&e);
        if let Some(d) = e.data.as_deref() {
            if let Ok(r) = split_result(d) {
                if r.code != 0 {
                    return Ok(r);
                }
            }
        }
        return Err(kpasswd_krb_error(e));
    }
    if ver != 1 {
        return Err(ProviderError::Protocol {
            detail: format!("the change-password server answered with version {ver}"),
        });
    }
    let ap: ApRep = picky_asn1_der::from_bytes(&b[6..6 + ap_len]).map_err(|_| garbled("an AP-REP"))?;
    // The AP-REP proves the server holds the service key (usage 12, session key).
    let cipher = session_key.etype;
    let ap_plain =
        Zeroizing::new(cipher.decrypt(&session_key.bytes, 12, &ap.0.enc_part.0.cipher.0 .0).map_err(|_| {
            ProviderError::Protocol { detail: "the change-password server's reply is not authentic".into() }
        })?);
    let ap_part: picky_krb::data_types::EncApRepPart =
        picky_asn1_der::from_bytes(&ap_plain).map_err(|_| garbled("an AP-REP"))?;
    let priv_msg: KrbPrivMsg = picky_asn1_der::from_bytes(rest).map_err(|_| garbled("a KRB-PRIV"))?;
    let sealed = &priv_msg.0.enc_part.0.cipher.0 .0;
    // Sealed with our subkey (MIT, Samba); a server subkey in the AP-REP or the session key otherwise.
    let mut keys: Vec<Zeroizing<Vec<u8>>> = vec![Zeroizing::new(req.subkey.bytes.to_vec())];
    if let Some(k) = ap_part.0.subkey.0.as_ref() {
        keys.push(Zeroizing::new(k.0.key_value.0 .0.clone()));
    }
    keys.push(Zeroizing::new(session_key.bytes.to_vec()));
    for k in keys {
        if let Ok(plain) = cipher.decrypt(&k, 13, sealed) {
            let plain = Zeroizing::new(plain);
            let part: EncKrbPrivReply = picky_asn1_der::from_bytes(&plain).map_err(|_| garbled("a KRB-PRIV"))?;
            return split_result(&part.0.user_data.0 .0);
        }
    }
    Err(ProviderError::Protocol { detail: "the change-password server's answer did not decrypt".into() })
}

fn kpasswd_krb_error(e: KdcError) -> ProviderError {
    match e.code {
        KRB_AP_ERR_SKEW => ProviderError::Protocol {
            detail: "this computer's clock differs too much from the Kerberos server's; correct the time and try again"
                .into(),
        },
        code => ProviderError::Protocol {
            detail: format!(
                "the change-password server refused the request (Kerberos error {code}{})",
                e.text.map(|t| format!(": {t}")).unwrap_or_default()
            ),
        },
    }
}

/// Active Directory's password policy, sent as the result string of a refusal
/// (30 bytes, big-endian: 0x0000, MinPasswordLength u32, PasswordHistoryLength u32,
/// PasswordProperties u32, MaxPasswordAge u64, MinPasswordAge u64; ages in 100 ns).
/// Unconfirmed against Microsoft's own documentation (not found here; MS-KILE does
/// not describe kpasswd): the layout and the property bits are as MIT krb5 decodes
/// them (lib/krb5/krb/chpw.c, struct ad_policy_info), which is what kpasswd users see.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct AdPolicy {
    pub min_length: u32,
    pub history: u32,
    pub complex: bool,
    /// DOMAIN_REFUSE_PASSWORD_CHANGE (0x20): users may not change passwords at all.
    pub refuse_change: bool,
    pub max_age_secs: u64,
    pub min_age_secs: u64,
}

pub fn ad_policy(data: &[u8]) -> Option<AdPolicy> {
    if data.len() != 30 || data[0] != 0 || data[1] != 0 {
        return None;
    }
    let u32_at = |i: usize| u32::from_be_bytes([data[i], data[i + 1], data[i + 2], data[i + 3]]);
    let u64_at = |i: usize| u64::from_be_bytes(data[i..i + 8].try_into().unwrap_or([0; 8]));
    Some(AdPolicy {
        min_length: u32_at(2),
        history: u32_at(6),
        complex: u32_at(10) & 1 != 0,
        refuse_change: u32_at(10) & 0x20 != 0,
        max_age_secs: u64_at(14) / 10_000_000,
        min_age_secs: u64_at(22) / 10_000_000,
    })
}

/// Maps a result (RFC 3244 §2 codes 0-7) to the app's words.
pub fn kpasswd_outcome(r: &KpasswdResult) -> Result<(), ProviderError> {
    if r.code == 0 {
        return Ok(());
    }
    if let Some(p) = ad_policy(&r.data) {
        if p.refuse_change {
            return Err(ProviderError::PasswordChangeNotAllowed);
        }
        return Err(ProviderError::KerberosPolicy {
            min_length: p.min_length,
            history: p.history,
            complex: p.complex,
            min_age_days: p.min_age_secs.div_ceil(86_400),
        });
    }
    let text = String::from_utf8_lossy(&r.data).trim().trim_end_matches('\0').trim().to_owned();
    let lower = text.to_ascii_lowercase();
    if r.code == 4 {
        // MIT kadmind's and Samba's sentences (kadm5 error table; Samba's kpasswd-helper.c).
        if lower.contains("reuse") || lower.contains("history") || lower.contains("used previously") {
            return Err(ProviderError::PasswordRecentlyUsed);
        }
        if lower.contains("minimum life") || lower.contains("too soon") || lower.contains("too young") {
            return Err(ProviderError::PasswordTooYoung);
        }
        if lower.contains("dictionary") {
            return Err(ProviderError::PasswordBanned);
        }
        if ["short", "complex", "character classes", "quality"].iter().any(|w| lower.contains(w)) {
            return Err(ProviderError::PasswordTooWeak { detail: Some(text) });
        }
    }
    Err(ProviderError::KerberosRefused { code: r.code, text })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn principals_are_read_the_way_kinit_and_windows_read_them() {
        let p = Principal::parse("alice", "MIT.TEST").unwrap();
        assert_eq!((p.name_type, p.display()), (NT_PRINCIPAL, "alice@MIT.TEST".into()));
        assert_eq!(Principal::parse("alice@mit.test", "MIT.TEST").unwrap().display(), "alice@MIT.TEST");
        assert_eq!(Principal::parse("EXAMPLE\\mia", "EXAMPLE.TEST").unwrap().display(), "mia@EXAMPLE.TEST");
        let e = Principal::parse("mia@corp.example", "EXAMPLE.TEST").unwrap();
        assert_eq!((e.name_type, e.components[0].as_str()), (NT_ENTERPRISE, "mia@corp.example"));
        assert_eq!(Principal::parse("bob@OTHER.TEST", "").unwrap().realm, "OTHER.TEST");
        assert!(Principal::parse("", "R").is_err());
        assert!(matches!(Principal::parse("bjö", "R"), Err(ProviderError::Protocol { .. })));
    }

    #[test]
    fn ad_policy_block_is_decoded() {
        let mut b = vec![0u8, 0];
        b.extend_from_slice(&7u32.to_be_bytes());
        b.extend_from_slice(&24u32.to_be_bytes());
        b.extend_from_slice(&1u32.to_be_bytes());
        b.extend_from_slice(&(42u64 * 86_400 * 10_000_000).to_be_bytes());
        b.extend_from_slice(&(86_400u64 * 10_000_000).to_be_bytes());
        let p = ad_policy(&b).unwrap();
        assert_eq!(
            p,
            AdPolicy {
                min_length: 7,
                history: 24,
                complex: true,
                refuse_change: false,
                max_age_secs: 42 * 86_400,
                min_age_secs: 86_400
            }
        );
        assert_eq!(
            kpasswd_outcome(&KpasswdResult { code: 4, data: b }),
            Err(ProviderError::KerberosPolicy { min_length: 7, history: 24, complex: true, min_age_days: 1 })
        );
        assert!(ad_policy(b"Password too short").is_none());
        // DOMAIN_REFUSE_PASSWORD_CHANGE: nobody may change, whatever the password.
        let mut refuse = vec![0u8; 30];
        refuse[13] = 0x20;
        assert_eq!(
            kpasswd_outcome(&KpasswdResult { code: 4, data: refuse }),
            Err(ProviderError::PasswordChangeNotAllowed)
        );
    }

    #[test]
    fn result_codes_and_strings_are_mapped() {
        let r = |code, s: &str| kpasswd_outcome(&KpasswdResult { code, data: s.as_bytes().to_vec() });
        assert_eq!(r(0, ""), Ok(()));
        assert_eq!(r(4, "Password cannot be reused"), Err(ProviderError::PasswordRecentlyUsed));
        assert_eq!(r(4, "Current password's minimum life has not expired"), Err(ProviderError::PasswordTooYoung));
        assert_eq!(
            r(4, "Password is too short"),
            Err(ProviderError::PasswordTooWeak { detail: Some("Password is too short".into()) })
        );
        assert_eq!(
            r(4, "Password is already in password history. New password must not match any of your 3 previous passwords."),
            Err(ProviderError::PasswordRecentlyUsed)
        );
        assert_eq!(
            r(4, "Something else"),
            Err(ProviderError::KerberosRefused { code: 4, text: "Something else".into() })
        );
        assert_eq!(r(5, ""), Err(ProviderError::KerberosRefused { code: 5, text: String::new() }));
    }

    #[test]
    fn enc_krb_priv_part_is_valid_der() {
        let now = DateTime::parse_from_rfc3339("2026-12-05T21:00:00Z").unwrap().with_timezone(&Utc);
        let pw = vec![b'x'; 300];
        let der = enc_krb_priv_part(&pw, now, 0x1234_5678, &"127.0.0.1".parse().unwrap());
        #[derive(Deserialize, Debug, PartialEq)]
        struct Full {
            user_data: ExplicitContextTag0<OctetStringAsn1>,
            timestamp: Optional<Option<ExplicitContextTag1<KerberosTime>>>,
            #[serde(default)]
            _usec: Optional<Option<ExplicitContextTag2<Microseconds>>>,
            seq_number: Optional<Option<ExplicitContextTag3<IntegerAsn1>>>,
            s_address: ExplicitContextTag4<picky_krb::data_types::HostAddress>,
        }
        let p: picky_asn1_der::application_tag::ApplicationTag<Full, 28> = picky_asn1_der::from_bytes(&der).unwrap();
        assert_eq!(p.0.user_data.0 .0, pw);
        assert_eq!(from_ktime(&p.0.timestamp.0.unwrap().0), now);
        assert_eq!(int_value(&p.0.seq_number.0.unwrap().0), 0x1234_5678);
        assert_eq!(p.0.s_address.0.address.0 .0, vec![127, 0, 0, 1]);
    }
}
