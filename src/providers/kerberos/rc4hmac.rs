//! RC4-HMAC (RFC 4757, etype 23), which picky-krb does not implement. Offered
//! last, so a KDC uses it only for an account that has no AES keys (old Active
//! Directory accounts whose password was last set before AES existed there).
//! Built from RustCrypto's md4, md-5 and rc4.

use hmac::{Hmac, KeyInit, Mac};
use md5::Md5;
use rc4::{Rc4, StreamCipher};
use zeroize::Zeroizing;

#[derive(Debug, PartialEq, Eq)]
pub struct CryptoError(pub &'static str);

/// The key: MD4 of the password in UTF-16LE (no salt).
pub fn string_to_key(password: &[u8]) -> Result<Zeroizing<Vec<u8>>, CryptoError> {
    use md4::Digest;
    let text = std::str::from_utf8(password).map_err(|_| CryptoError("the password is not UTF-8"))?;
    let mut utf16 = Zeroizing::new(Vec::with_capacity(text.len() * 2));
    for u in text.encode_utf16() {
        utf16.extend_from_slice(&u.to_le_bytes());
    }
    let mut h = md4::Md4::new();
    h.update(&utf16[..]);
    Ok(Zeroizing::new(h.finalize().to_vec()))
}

fn hmac_md5(key: &[u8], parts: &[&[u8]]) -> Zeroizing<Vec<u8>> {
    let mut m = <Hmac<Md5> as KeyInit>::new_from_slice(key).expect("any key length");
    for p in parts {
        m.update(p);
    }
    Zeroizing::new(m.finalize().into_bytes().to_vec())
}

/// RFC 4757 §3 / MIT's arcfour_translate_usage: the AS-REP part is sealed as usage 8.
fn ms_usage(usage: i32) -> i32 {
    match usage {
        3 => 8,
        23 => 13,
        u => u,
    }
}

fn rc4(key: &[u8], data: &mut [u8]) -> Result<(), CryptoError> {
    let mut c = <Rc4 as KeyInit>::new_from_slice(key).map_err(|_| CryptoError("bad RC4 key"))?;
    c.apply_keystream(data);
    Ok(())
}

pub fn encrypt(key: &[u8], usage: i32, plain: &[u8]) -> Result<Vec<u8>, CryptoError> {
    use rand::RngCore;
    let mut confounder = [0u8; 8];
    rand::rng().fill_bytes(&mut confounder);
    encrypt_with(key, usage, plain, &confounder)
}

/// Checksum = HMAC-MD5(K1, confounder | plain), K1 = HMAC-MD5(K, usage LE),
/// K3 = HMAC-MD5(K1, checksum); out = checksum | RC4(K3, confounder | plain).
pub fn encrypt_with(key: &[u8], usage: i32, plain: &[u8], confounder: &[u8; 8]) -> Result<Vec<u8>, CryptoError> {
    let k1 = hmac_md5(key, &[&ms_usage(usage).to_le_bytes()]);
    let mut data = Zeroizing::new(Vec::with_capacity(8 + plain.len()));
    data.extend_from_slice(confounder);
    data.extend_from_slice(plain);
    let checksum = hmac_md5(&k1, &[&data]);
    let k3 = hmac_md5(&k1, &[&checksum]);
    rc4(&k3, &mut data)?;
    let mut out = checksum.to_vec();
    out.extend_from_slice(&data);
    Ok(out)
}

pub fn decrypt(key: &[u8], usage: i32, cipher: &[u8]) -> Result<Vec<u8>, CryptoError> {
    if cipher.len() < 24 {
        return Err(CryptoError("ciphertext too short"));
    }
    let (checksum, enc) = cipher.split_at(16);
    let k1 = hmac_md5(key, &[&ms_usage(usage).to_le_bytes()]);
    let k3 = hmac_md5(&k1, &[checksum]);
    let mut data = Zeroizing::new(enc.to_vec());
    rc4(&k3, &mut data)?;
    let want = hmac_md5(&k1, &[&data]);
    let diff = want.iter().zip(checksum).fold(0u8, |a, (x, y)| a | (x ^ y));
    if diff != 0 {
        return Err(CryptoError("integrity check failed"));
    }
    Ok(data[8..].to_vec())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn key_is_the_nt_hash() {
        // The well-known NT hash of "password".
        let k = string_to_key(b"password").unwrap();
        let hex: String = k.iter().map(|b| format!("{b:02x}")).collect();
        assert_eq!(hex, "8846f7eaee8fb117ad06bdd830b7586c");
    }

    #[test]
    fn round_trip_and_integrity() {
        let k = string_to_key("Pässwörd".as_bytes()).unwrap();
        for len in [0usize, 1, 8, 33] {
            let p: Vec<u8> = (0..len as u8).collect();
            let c = encrypt(&k, 3, &p).unwrap();
            assert_eq!(decrypt(&k, 3, &c).unwrap(), p);
            assert_eq!(decrypt(&k, 2, &c), Err(CryptoError("integrity check failed")), "usage is bound");
        }
    }
}
