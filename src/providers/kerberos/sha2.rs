//! The AES-SHA2 encryption types of RFC 8009 (aes128-cts-hmac-sha256-128 = 19,
//! aes256-cts-hmac-sha384-192 = 20), which picky-krb does not implement. Built
//! from the RustCrypto primitives picky-krb already uses (aes, hmac, pbkdf2) plus
//! sha2; checked against the RFC's Appendix A vectors and against MIT's KDC.

use aes::cipher::{BlockCipherDecrypt, BlockCipherEncrypt, KeyInit};
use hmac::{Hmac, Mac};
use zeroize::Zeroizing;

const BLOCK: usize = 16;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Sha2Type {
    /// 19: AES-128, HMAC-SHA-256 truncated to 128 bits.
    Aes128Sha256,
    /// 20: AES-256, HMAC-SHA-384 truncated to 192 bits.
    Aes256Sha384,
}

#[derive(Debug, PartialEq, Eq)]
pub struct CryptoError(pub &'static str);

impl Sha2Type {
    pub fn key_len(self) -> usize {
        match self {
            Sha2Type::Aes128Sha256 => 16,
            Sha2Type::Aes256Sha384 => 32,
        }
    }
    fn mac_len(self) -> usize {
        match self {
            Sha2Type::Aes128Sha256 => 16,
            Sha2Type::Aes256Sha384 => 24,
        }
    }
    fn name(self) -> &'static str {
        match self {
            Sha2Type::Aes128Sha256 => "aes128-cts-hmac-sha256-128",
            Sha2Type::Aes256Sha384 => "aes256-cts-hmac-sha384-192",
        }
    }

    fn hmac(self, key: &[u8], parts: &[&[u8]]) -> Zeroizing<Vec<u8>> {
        match self {
            Sha2Type::Aes128Sha256 => {
                let mut m = <Hmac<sha2::Sha256> as hmac::KeyInit>::new_from_slice(key).expect("any key length");
                for p in parts {
                    m.update(p);
                }
                Zeroizing::new(m.finalize().into_bytes().to_vec())
            }
            Sha2Type::Aes256Sha384 => {
                let mut m = <Hmac<sha2::Sha384> as hmac::KeyInit>::new_from_slice(key).expect("any key length");
                for p in parts {
                    m.update(p);
                }
                Zeroizing::new(m.finalize().into_bytes().to_vec())
            }
        }
    }

    /// KDF-HMAC-SHA2(key, label, k) (RFC 8009 §3): one HMAC round, truncated to `bits`.
    fn kdf(self, key: &[u8], label: &[u8], bits: u32) -> Zeroizing<Vec<u8>> {
        let mut out = self.hmac(key, &[&1u32.to_be_bytes(), label, &[0], &bits.to_be_bytes()]);
        out.truncate(bits as usize / 8);
        out
    }

    /// string-to-key (RFC 8009 §4): PBKDF2-HMAC-SHA2 over enctype-name | 0x00 | salt,
    /// then KDF(tkey, "kerberos"). Default 32768 iterations; s2kparams can set another count.
    pub fn string_to_key(
        self,
        password: &[u8],
        salt: &[u8],
        s2kparams: Option<&[u8]>,
    ) -> Result<Zeroizing<Vec<u8>>, CryptoError> {
        let iterations = match s2kparams {
            None => 32_768,
            Some(p) if p.len() == 4 => u32::from_be_bytes([p[0], p[1], p[2], p[3]]),
            Some(_) => return Err(CryptoError("malformed s2kparams")),
        };
        if iterations == 0 || iterations > 1 << 24 {
            return Err(CryptoError("unreasonable iteration count"));
        }
        let mut saltp = Zeroizing::new(Vec::with_capacity(self.name().len() + 1 + salt.len()));
        saltp.extend_from_slice(self.name().as_bytes());
        saltp.push(0);
        saltp.extend_from_slice(salt);
        let mut tkey = Zeroizing::new(vec![0u8; self.key_len()]);
        match self {
            Sha2Type::Aes128Sha256 => pbkdf2::pbkdf2_hmac::<sha2::Sha256>(password, &saltp, iterations, &mut tkey),
            Sha2Type::Aes256Sha384 => pbkdf2::pbkdf2_hmac::<sha2::Sha384>(password, &saltp, iterations, &mut tkey),
        }
        Ok(self.kdf(&tkey, b"kerberos", self.key_len() as u32 * 8))
    }

    fn ke_ki(self, key: &[u8], usage: i32) -> (Zeroizing<Vec<u8>>, Zeroizing<Vec<u8>>) {
        let u = usage.to_be_bytes();
        let ke = self.kdf(key, &[&u[..], &[0xAA]].concat(), self.key_len() as u32 * 8);
        let ki = self.kdf(key, &[&u[..], &[0x55]].concat(), self.mac_len() as u32 * 8);
        (ke, ki)
    }

    pub fn encrypt(self, key: &[u8], usage: i32, plain: &[u8]) -> Result<Vec<u8>, CryptoError> {
        use rand::RngCore;
        let mut confounder = [0u8; BLOCK];
        rand::rng().fill_bytes(&mut confounder);
        self.encrypt_with(key, usage, plain, &confounder)
    }

    /// C = AES-CTS(Ke, confounder | plain, iv 0); H = HMAC(Ki, iv | C) truncated; C | H.
    pub fn encrypt_with(
        self,
        key: &[u8],
        usage: i32,
        plain: &[u8],
        confounder: &[u8; BLOCK],
    ) -> Result<Vec<u8>, CryptoError> {
        if key.len() != self.key_len() {
            return Err(CryptoError("wrong key length"));
        }
        let (ke, ki) = self.ke_ki(key, usage);
        let mut data = Zeroizing::new(Vec::with_capacity(BLOCK + plain.len()));
        data.extend_from_slice(confounder);
        data.extend_from_slice(plain);
        let mut c = cts_encrypt(&ke, &data)?;
        let h = self.hmac(&ki, &[&[0u8; BLOCK], &c]);
        c.extend_from_slice(&h[..self.mac_len()]);
        Ok(c)
    }

    pub fn decrypt(self, key: &[u8], usage: i32, cipher: &[u8]) -> Result<Vec<u8>, CryptoError> {
        if key.len() != self.key_len() {
            return Err(CryptoError("wrong key length"));
        }
        if cipher.len() < BLOCK + self.mac_len() {
            return Err(CryptoError("ciphertext too short"));
        }
        let (c, h) = cipher.split_at(cipher.len() - self.mac_len());
        let (ke, ki) = self.ke_ki(key, usage);
        let want = self.hmac(&ki, &[&[0u8; BLOCK], c]);
        // Constant-time comparison of the truncated MAC.
        let diff = want[..self.mac_len()].iter().zip(h).fold(0u8, |a, (x, y)| a | (x ^ y));
        if diff != 0 {
            return Err(CryptoError("integrity check failed"));
        }
        let mut p = cts_decrypt(&ke, c)?;
        let out = p[BLOCK..].to_vec();
        zeroize::Zeroize::zeroize(&mut p);
        Ok(out)
    }
}

enum Aes {
    A128(Box<aes::Aes128>),
    A256(Box<aes::Aes256>),
}

impl Aes {
    fn new(key: &[u8]) -> Result<Aes, CryptoError> {
        match key.len() {
            16 => Ok(Aes::A128(Box::new(
                <aes::Aes128 as KeyInit>::new_from_slice(key).map_err(|_| CryptoError("bad AES key"))?,
            ))),
            32 => Ok(Aes::A256(Box::new(
                <aes::Aes256 as KeyInit>::new_from_slice(key).map_err(|_| CryptoError("bad AES key"))?,
            ))),
            _ => Err(CryptoError("bad AES key length")),
        }
    }
    fn enc(&self, b: &mut [u8; BLOCK]) {
        let mut blk = aes::Block::from(*b);
        match self {
            Aes::A128(a) => a.encrypt_block(&mut blk),
            Aes::A256(a) => a.encrypt_block(&mut blk),
        }
        b.copy_from_slice(&blk);
    }
    fn dec(&self, b: &mut [u8; BLOCK]) {
        let mut blk = aes::Block::from(*b);
        match self {
            Aes::A128(a) => a.decrypt_block(&mut blk),
            Aes::A256(a) => a.decrypt_block(&mut blk),
        }
        b.copy_from_slice(&blk);
    }
}

fn xor(a: &mut [u8; BLOCK], b: &[u8]) {
    for (x, y) in a.iter_mut().zip(b) {
        *x ^= y;
    }
}

/// AES-CBC with ciphertext stealing, IV 0, last two blocks swapped (RFC 3962 §5, CBC-CS3).
fn cts_encrypt(key: &[u8], p: &[u8]) -> Result<Vec<u8>, CryptoError> {
    if p.len() < BLOCK {
        return Err(CryptoError("CTS needs at least one block"));
    }
    let aes = Aes::new(key)?;
    let n = p.len().div_ceil(BLOCK);
    let mut out: Vec<[u8; BLOCK]> = Vec::with_capacity(n);
    let mut prev = [0u8; BLOCK];
    for i in 0..n {
        let chunk = &p[i * BLOCK..((i + 1) * BLOCK).min(p.len())];
        let mut b = [0u8; BLOCK];
        b[..chunk.len()].copy_from_slice(chunk);
        xor(&mut b, &prev);
        aes.enc(&mut b);
        prev = b;
        out.push(b);
    }
    if n >= 2 {
        out.swap(n - 2, n - 1);
    }
    let mut flat: Vec<u8> = out.concat();
    flat.truncate(p.len());
    Ok(flat)
}

fn cts_decrypt(key: &[u8], c: &[u8]) -> Result<Vec<u8>, CryptoError> {
    if c.len() < BLOCK {
        return Err(CryptoError("CTS needs at least one block"));
    }
    let aes = Aes::new(key)?;
    let n = c.len().div_ceil(BLOCK);
    if n == 1 {
        let mut b = [0u8; BLOCK];
        b.copy_from_slice(c);
        aes.dec(&mut b);
        return Ok(b.to_vec());
    }
    let m = c.len() - BLOCK * (n - 1); // bytes in the last (partial) block, 1..=16
    let mut out = vec![0u8; c.len()];
    let block = |i: usize| -> [u8; BLOCK] {
        let mut b = [0u8; BLOCK];
        b.copy_from_slice(&c[i * BLOCK..(i + 1) * BLOCK]);
        b
    };
    let mut prev = [0u8; BLOCK];
    for i in 0..n - 2 {
        let cb = block(i);
        let mut b = cb;
        aes.dec(&mut b);
        xor(&mut b, &prev);
        out[i * BLOCK..(i + 1) * BLOCK].copy_from_slice(&b);
        prev = cb;
    }
    // The block at n-2 is the original last block; the m bytes after it begin the original C(n-1).
    let last_full = block(n - 2);
    let mut d = last_full;
    aes.dec(&mut d);
    let mut cn1 = [0u8; BLOCK];
    cn1[..m].copy_from_slice(&c[(n - 1) * BLOCK..]);
    cn1[m..].copy_from_slice(&d[m..]);
    let mut pn = d;
    xor(&mut pn, &cn1);
    let mut pn1 = cn1;
    aes.dec(&mut pn1);
    xor(&mut pn1, &prev);
    out[(n - 2) * BLOCK..(n - 1) * BLOCK].copy_from_slice(&pn1);
    out[(n - 1) * BLOCK..].copy_from_slice(&pn[..m]);
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn hex(s: &str) -> Vec<u8> {
        (0..s.len()).step_by(2).map(|i| u8::from_str_radix(&s[i..i + 2], 16).unwrap()).collect()
    }

    // RFC 8009 Appendix A.
    #[test]
    fn string_to_key_vectors() {
        let mut salt = hex("10DF9DD783E5BC8ACEA1730E74355F61");
        salt.extend_from_slice(b"ATHENA.MIT.EDUraeburn");
        let k = Sha2Type::Aes128Sha256.string_to_key(b"password", &salt, Some(&[0, 0, 0x80, 0])).unwrap();
        assert_eq!(*k, hex("089BCA48B105EA6EA77CA5D2F39DC5E7"));
        let k = Sha2Type::Aes256Sha384.string_to_key(b"password", &salt, None).unwrap();
        assert_eq!(*k, hex("45BD806DBF6A833A9CFFC1C94589A222367A79BC21C413718906E9F578A78467"));
    }

    #[test]
    fn key_derivation_vectors() {
        let (ke, ki) = Sha2Type::Aes128Sha256.ke_ki(&hex("3705D96080C17728A0E800EAB6E0D23C"), 2);
        assert_eq!(*ke, hex("9B197DD1E8C5609D6E67C3E37C62C72E"));
        assert_eq!(*ki, hex("9FDA0E56AB2D85E1569A688696C26A6C"));
        let (ke, ki) =
            Sha2Type::Aes256Sha384.ke_ki(&hex("6D404D37FAF79F9DF0D33568D320669800EB4836472EA8A026D16B7182460C52"), 2);
        assert_eq!(*ke, hex("56AB22BEE63D82D7BC5227F6773F8EA7A5EB1C825160C38312980C442E5C7E49"));
        assert_eq!(*ki, hex("69B16514E3CD8E56B82010D5C73012B622C4D00FFC23ED1F"));
    }

    #[test]
    fn encryption_vectors() {
        let k128 = hex("3705D96080C17728A0E800EAB6E0D23C");
        let k256 = hex("6D404D37FAF79F9DF0D33568D320669800EB4836472EA8A026D16B7182460C52");
        let cases: [(Sha2Type, &[u8], &str, &str, &str); 5] = [
            (Sha2Type::Aes128Sha256, &k128, "", "7E5895EAF2672435BAD817F545A37148",
             "EF85FB890BB8472F4DAB20394DCA781DAD877EDA39D50C870C0D5A0A8E48C718"),
            (Sha2Type::Aes128Sha256, &k128, "000102030405", "7BCA285E2FD4130FB55B1A5C83BC5B24",
             "84D7F30754ED987BAB0BF3506BEB09CFB55402CEF7E6877CE99E247E52D16ED4421DFDF8976C"),
            (Sha2Type::Aes128Sha256, &k128, "000102030405060708090A0B0C0D0E0F", "56AB21713FF62C0A1457200F6FA9948F",
             "3517D640F50DDC8AD3628722B3569D2AE07493FA8263254080EA65C1008E8FC295FB4852E7D83E1E7C48C37EEBE6B0D3"),
            (Sha2Type::Aes128Sha256, &k128, "000102030405060708090A0B0C0D0E0F1011121314", "A7A4E29A4728CE10664FB64E49AD3FAC",
             "720F73B18D9859CD6CCB4346115CD336C70F58EDC0C4437C5573544C31C813BCE1E6D072C186B39A413C2F92CA9B8334A287FFCBFC"),
            (Sha2Type::Aes256Sha384, &k256, "000102030405060708090A0B0C0D0E0F1011121314", "763E65367E864F02F55153C7E3B58AF1",
             "40013E2DF58E8751957D2878BCD2D6FE101CCFD556CB1EAE79DB3C3EE86429F2B2A602AC86FEF6ECB647D6295FAE077A1FEB517508D2C16B4192E01F62"),
        ];
        for (t, key, plain, conf, want) in cases {
            let conf: [u8; 16] = hex(conf).try_into().unwrap();
            let c = t.encrypt_with(key, 2, &hex(plain), &conf).unwrap();
            assert_eq!(c, hex(want), "{t:?} {plain}");
            assert_eq!(t.decrypt(key, 2, &c).unwrap(), hex(plain));
            let mut bad = c.clone();
            bad[3] ^= 1;
            assert_eq!(t.decrypt(key, 2, &bad), Err(CryptoError("integrity check failed")));
        }
        // Round trips of every length around the block boundaries.
        for len in 0..70 {
            let p: Vec<u8> = (0..len as u8).collect();
            let c = Sha2Type::Aes256Sha384.encrypt(&k256, 13, &p).unwrap();
            assert_eq!(Sha2Type::Aes256Sha384.decrypt(&k256, 13, &c).unwrap(), p);
        }
    }
}
