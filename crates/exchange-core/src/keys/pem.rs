//! Just enough PEM and DER to tell private-key formats apart, without quoting key material.
//!
//! Signing itself lives in the adapters (`auth.rs`); this module only answers "is this a
//! well-formed EC or Ed25519 private key, and which?" so that a wrong key fails when the
//! credentials load, with a message that names the problem and never the key.

use base64::Engine;
use base64::engine::general_purpose::STANDARD;
use secrecy::zeroize::Zeroizing;

/// Why a secret is not a usable private key. Messages never contain key material.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub(crate) enum PemError {
    /// A `-----BEGIN` line without a well-formed label or matching `-----END` line.
    #[error("is a PEM block that is not well-formed (missing or mismatched BEGIN/END lines)")]
    Malformed,
    /// The body between the lines is not base64.
    #[error("is a PEM block whose body is not valid base64")]
    Body,
    /// A label we do not sign with (`RSA PRIVATE KEY`, `OPENSSH PRIVATE KEY`, ...).
    #[error("is a PEM block labelled {0:?}; expected \"EC PRIVATE KEY\" or \"PRIVATE KEY\"")]
    Label(String),
    /// A `PRIVATE KEY` block whose content is not PKCS#8.
    #[error("is a PEM PRIVATE KEY block that is not well-formed PKCS#8")]
    Pkcs8,
    /// A PKCS#8 key of another algorithm (RSA, ...).
    #[error("is a PKCS#8 key of an algorithm other than EC or Ed25519 (RSA is not supported)")]
    Algorithm,
    /// An `EC PRIVATE KEY` block whose content is not a DER sequence.
    #[error("is a PEM EC PRIVATE KEY block that is not well-formed SEC1")]
    Sec1,
}

/// The algorithm of a private key found in a PEM block.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum PemKey {
    /// An EC key (SEC1 `EC PRIVATE KEY` or PKCS#8 with id-ecPublicKey), for ES256.
    Ec,
    /// An Ed25519 key (PKCS#8 with id-Ed25519).
    Ed25519,
}

/// id-ecPublicKey, 1.2.840.10045.2.1 (RFC 5480).
const OID_EC_PUBLIC_KEY: &[u8] = &[0x2A, 0x86, 0x48, 0xCE, 0x3D, 0x02, 0x01];
/// id-Ed25519, 1.3.101.112 (RFC 8410).
const OID_ED25519: &[u8] = &[0x2B, 0x65, 0x70];

/// Whether `text` starts like a PEM block.
pub(crate) fn looks_like_pem(text: &str) -> bool {
    text.trim_start().starts_with("-----BEGIN ")
}

/// Classifies the private key in a PEM text. An `EC PARAMETERS` block in front of the key (as
/// `openssl ecparam -genkey` writes it) is skipped.
pub(crate) fn classify(text: &str) -> Result<PemKey, PemError> {
    let mut rest = text.trim();
    loop {
        let (label, der, after) = next_block(rest)?;
        match label {
            "EC PARAMETERS" if !after.trim().is_empty() => rest = after.trim(),
            "EC PRIVATE KEY" => {
                Der(&der).tlv(0x30).map_err(|_| PemError::Sec1)?;
                return Ok(PemKey::Ec);
            }
            "PRIVATE KEY" => return pkcs8_algorithm(&der),
            other => return Err(PemError::Label(other.to_owned())),
        }
    }
}

/// Splits off the first PEM block: its label, decoded body, and the text after it.
fn next_block(text: &str) -> Result<(&str, Zeroizing<Vec<u8>>, &str), PemError> {
    let rest = text
        .strip_prefix("-----BEGIN ")
        .ok_or(PemError::Malformed)?;
    let (label, rest) = rest.split_once("-----").ok_or(PemError::Malformed)?;
    let label_ok = !label.is_empty()
        && label.len() <= 40
        && label
            .bytes()
            .all(|b| b.is_ascii_uppercase() || b.is_ascii_digit() || b == b' ');
    if !label_ok {
        return Err(PemError::Malformed);
    }
    let end = format!("-----END {label}-----");
    let (body, after) = rest.split_once(end.as_str()).ok_or(PemError::Malformed)?;
    let compact: Zeroizing<String> =
        Zeroizing::new(body.chars().filter(|c| !c.is_whitespace()).collect());
    let der = STANDARD
        .decode(compact.as_bytes())
        .map_err(|_| PemError::Body)?;
    Ok((label, Zeroizing::new(der), after))
}

/// Reads the algorithm OID of a PKCS#8 `PrivateKeyInfo` (RFC 5208 §5):
/// `SEQUENCE { version INTEGER, algorithm SEQUENCE { OID, params }, privateKey OCTET STRING }`.
fn pkcs8_algorithm(der: &[u8]) -> Result<PemKey, PemError> {
    let info = Der(der).tlv(0x30)?;
    let mut fields = Der(info);
    fields.tlv(0x02)?;
    let algorithm = fields.tlv(0x30)?;
    let oid = Der(algorithm).tlv(0x06)?;
    match oid {
        OID_EC_PUBLIC_KEY => Ok(PemKey::Ec),
        OID_ED25519 => Ok(PemKey::Ed25519),
        _ => Err(PemError::Algorithm),
    }
}

/// A cursor over DER bytes.
struct Der<'a>(&'a [u8]);

impl<'a> Der<'a> {
    /// Reads one tag-length-value with the expected tag and returns its value.
    fn tlv(&mut self, tag: u8) -> Result<&'a [u8], PemError> {
        let (&found, rest) = self.0.split_first().ok_or(PemError::Pkcs8)?;
        if found != tag {
            return Err(PemError::Pkcs8);
        }
        let (&first, mut rest) = rest.split_first().ok_or(PemError::Pkcs8)?;
        let len = if first < 0x80 {
            usize::from(first)
        } else {
            let octets = usize::from(first & 0x7F);
            if octets == 0 || octets > 2 || rest.len() < octets {
                return Err(PemError::Pkcs8);
            }
            let (len_bytes, after) = rest.split_at(octets);
            rest = after;
            len_bytes
                .iter()
                .fold(0usize, |acc, b| (acc << 8) | usize::from(*b))
        };
        if rest.len() < len {
            return Err(PemError::Pkcs8);
        }
        let (value, after) = rest.split_at(len);
        self.0 = after;
        Ok(value)
    }
}

/// Whether `text` is base64 of a raw Ed25519 key: a 32-byte seed, or 64 bytes of seed and
/// public key (the Coinbase CDP format).
pub(crate) fn is_raw_ed25519(text: &str) -> bool {
    STANDARD
        .decode(text.trim().as_bytes())
        .map(|bytes| matches!(Zeroizing::new(bytes).len(), 32 | 64))
        .unwrap_or(false)
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Generated with `openssl ecparam -name prime256v1 -genkey -noout` (a throwaway test key).
    const EC_SEC1: &str = "-----BEGIN EC PRIVATE KEY-----
MHcCAQEEIDi8REru9laZ1407qM98CAoqVLHNgJ23KqnijpLJP/eEoAoGCCqGSM49
AwEHoUQDQgAEhjzbcwSXrlHKDgAQWShTU7jDf11CwW9QjXDAeazUeCGH4sSvtbnA
dXfiy88wZwooWepJocdVhOCepSyUUcLZlA==
-----END EC PRIVATE KEY-----
";

    /// The same EC key as PKCS#8 (`openssl pkcs8 -topk8 -nocrypt`).
    const EC_PKCS8: &str = "-----BEGIN PRIVATE KEY-----
MIGHAgEAMBMGByqGSM49AgEGCCqGSM49AwEHBG0wawIBAQQgOLxESu72VpnXjTuo
z3wICipUsc2AnbcqqeKOksk/94ShRANCAASGPNtzBJeuUcoOABBZKFNTuMN/XULB
b1CNcMB5rNR4IYfixK+1ucB1d+LLzzBnCihZ6kmhx1WE4J6lLJRRwtmU
-----END PRIVATE KEY-----
";

    /// Generated with `openssl genpkey -algorithm ed25519` (a throwaway test key).
    const ED25519_PKCS8: &str = "-----BEGIN PRIVATE KEY-----
MC4CAQAwBQYDK2VwBCIEIKBuCBszs5zXi6ST1KsoPmOkbm5eoQWLtDo34dkN7KKF
-----END PRIVATE KEY-----
";

    /// Generated with `openssl genpkey -algorithm rsa -pkeyopt rsa_keygen_bits:512` (throwaway).
    const RSA_PKCS8: &str = "-----BEGIN PRIVATE KEY-----
MIIBVQIBADANBgkqhkiG9w0BAQEFAASCAT8wggE7AgEAAkEAzUpj62jLXvZO6Pml
CH/PI6rozc71AKwFq+T01yTWNVYNzK65z4PLL/qHpN8IEONKpx4bgiZAl8WLTrRC
BI1k9QIDAQABAkAsvmYAzRpmXDDevmql65VuJLYRBWaI+vVRfdmPesvlW7PiucMj
NUffAVxxl6Bk6uA2Dw/Hp4/+n64TWGaPWsEBAiEA+aQ6mEu7rVWnYb5iWRGWkDf/
Wyfdn7LhIAhQZXYEIbECIQDShPld2/OBNUaKbTBMs9MfyPV/WqdoOI8Gf42fMhsk
hQIhAIpfM3NTFxX+0iZlhtHj49bQkyQNttRcLFi7AwUaIzQhAiEAwxdT+PVivjTf
AF2byxlC6EvVpoYeaekwMnd2iTdoC/kCIFrTGbbqKON90fxL2GKWDSX2GXGMXEax
YIk2PM/qSk2S
-----END PRIVATE KEY-----
";

    #[test]
    fn classifies_ec_and_ed25519_keys() {
        assert_eq!(classify(EC_SEC1), Ok(PemKey::Ec));
        assert_eq!(classify(EC_PKCS8), Ok(PemKey::Ec));
        assert_eq!(classify(ED25519_PKCS8), Ok(PemKey::Ed25519));
        let params = "-----BEGIN EC PARAMETERS-----\nBggqhkjOPQMBBw==\n-----END EC PARAMETERS-----";
        let with_params = format!("{params}\n{EC_SEC1}");
        assert_eq!(classify(&with_params), Ok(PemKey::Ec));
    }

    #[test]
    fn refuses_malformed_blocks_without_quoting_them() {
        let truncated = &EC_SEC1[..EC_SEC1.len() - 30];
        assert_eq!(classify(truncated), Err(PemError::Malformed));
        let bad_body = EC_SEC1.replace("MHcCAQEE", "MHc*AQEE");
        assert_eq!(classify(&bad_body), Err(PemError::Body));
        let rsa = "-----BEGIN RSA PRIVATE KEY-----\nAAAA\n-----END RSA PRIVATE KEY-----";
        assert_eq!(
            classify(rsa),
            Err(PemError::Label("RSA PRIVATE KEY".into()))
        );
        let not_pkcs8 = "-----BEGIN PRIVATE KEY-----\nAAAA\n-----END PRIVATE KEY-----";
        assert_eq!(classify(not_pkcs8), Err(PemError::Pkcs8));
        assert_eq!(classify(RSA_PKCS8), Err(PemError::Algorithm));
        for e in [classify(truncated), classify(&bad_body)] {
            let text = e.err().unwrap().to_string();
            assert!(!text.contains("MHc"), "{text}");
        }
    }

    #[test]
    fn raw_ed25519_is_32_or_64_bytes_of_base64() {
        assert!(is_raw_ed25519(&STANDARD.encode([7u8; 32])));
        assert!(is_raw_ed25519(&STANDARD.encode([7u8; 64])));
        assert!(!is_raw_ed25519(&STANDARD.encode([7u8; 48])));
        assert!(!is_raw_ed25519("not base64 at all"));
    }
}
