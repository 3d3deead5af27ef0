//! Just enough PEM and DER to load the key formats CDP issues, without quoting key material in
//! any error.

use base64::Engine;
use base64::engine::general_purpose::STANDARD;
use secrecy::zeroize::Zeroizing;

/// id-ecPublicKey, 1.2.840.10045.2.1.
pub(super) const OID_EC_PUBLIC_KEY: &[u8] = &[0x2A, 0x86, 0x48, 0xCE, 0x3D, 0x02, 0x01];
/// prime256v1 / secp256r1, 1.2.840.10045.3.1.7.
pub(super) const OID_P256: &[u8] = &[0x2A, 0x86, 0x48, 0xCE, 0x3D, 0x03, 0x01, 0x07];
/// id-Ed25519, 1.3.101.112.
pub(super) const OID_ED25519: &[u8] = &[0x2B, 0x65, 0x70];

/// The PEM blocks of a text, as `(label, DER)`; `None` when a block is not well-formed.
pub(super) fn pem_blocks(text: &str) -> Option<Vec<(String, Zeroizing<Vec<u8>>)>> {
    let mut rest = text.trim();
    let mut out = Vec::new();
    while !rest.is_empty() {
        let after_begin = rest.strip_prefix("-----BEGIN ")?;
        let (label, body_and_more) = after_begin.split_once("-----")?;
        let end = format!("-----END {label}-----");
        let (body, after) = body_and_more.split_once(end.as_str())?;
        let compact: Zeroizing<String> =
            Zeroizing::new(body.chars().filter(|c| !c.is_whitespace()).collect());
        let der = STANDARD.decode(compact.as_bytes()).ok()?;
        out.push((label.to_owned(), Zeroizing::new(der)));
        rest = after.trim();
    }
    Some(out)
}

/// Reads one DER tag-length-value with the expected tag; returns its value and what follows.
pub(super) fn tlv(input: &[u8], tag: u8) -> Option<(&[u8], &[u8])> {
    let (&found, rest) = input.split_first()?;
    if found != tag {
        return None;
    }
    let (&first, mut rest) = rest.split_first()?;
    let len = if first < 0x80 {
        usize::from(first)
    } else {
        let octets = usize::from(first & 0x7F);
        if octets == 0 || octets > 2 || rest.len() < octets {
            return None;
        }
        let (len_bytes, after) = rest.split_at(octets);
        rest = after;
        len_bytes
            .iter()
            .fold(0usize, |acc, b| (acc << 8) | usize::from(*b))
    };
    (rest.len() >= len).then(|| rest.split_at(len))
}

/// Writes one DER tag-length-value.
pub(super) fn write_tlv(out: &mut Vec<u8>, tag: u8, value: &[u8]) {
    out.push(tag);
    let len = value.len();
    if len < 0x80 {
        out.push(len as u8);
    } else if len <= 0xFF {
        out.extend_from_slice(&[0x81, len as u8]);
    } else {
        out.extend_from_slice(&[0x82, (len >> 8) as u8, len as u8]);
    }
    out.extend_from_slice(value);
}

/// Wraps a SEC1 `ECPrivateKey` of a P-256 key into a PKCS#8 `PrivateKeyInfo` (RFC 5208):
/// `SEQUENCE { INTEGER 0, SEQUENCE { id-ecPublicKey, prime256v1 }, OCTET STRING sec1 }`.
pub(super) fn sec1_to_pkcs8(sec1: &[u8]) -> Zeroizing<Vec<u8>> {
    let mut alg = Vec::new();
    write_tlv(&mut alg, 0x06, OID_EC_PUBLIC_KEY);
    write_tlv(&mut alg, 0x06, OID_P256);
    let mut inner = Zeroizing::new(Vec::new());
    write_tlv(&mut inner, 0x02, &[0]);
    write_tlv(&mut inner, 0x30, &alg);
    write_tlv(&mut inner, 0x04, sec1);
    let mut out = Zeroizing::new(Vec::new());
    write_tlv(&mut out, 0x30, &inner);
    out
}

/// The algorithm OID and key bits of a `SubjectPublicKeyInfo` (RFC 5280): `SEQUENCE {
/// SEQUENCE { OID, params? }, BIT STRING }`; the bits without their unused-bits octet.
pub(super) fn spki(der: &[u8]) -> Option<(&[u8], &[u8])> {
    let (info, _) = tlv(der, 0x30)?;
    let (alg, rest) = tlv(info, 0x30)?;
    let (oid, _) = tlv(alg, 0x06)?;
    let (bits, _) = tlv(rest, 0x03)?;
    let (&unused, key) = bits.split_first()?;
    (unused == 0).then_some((oid, key))
}

/// The algorithm OID of a PKCS#8 `PrivateKeyInfo`.
pub(super) fn pkcs8_algorithm(der: &[u8]) -> Option<&[u8]> {
    let (info, _) = tlv(der, 0x30)?;
    let (_, rest) = tlv(info, 0x02)?;
    let (alg, _) = tlv(rest, 0x30)?;
    tlv(alg, 0x06).map(|(oid, _)| oid)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tlv_round_trips_short_and_long_lengths() {
        for len in [0usize, 5, 127, 128, 255, 256, 1000] {
            let value = vec![7u8; len];
            let mut out = Vec::new();
            write_tlv(&mut out, 0x04, &value);
            let (v, rest) = tlv(&out, 0x04).unwrap();
            assert_eq!(v, value.as_slice());
            assert!(rest.is_empty());
        }
        assert!(tlv(&[0x04, 0x05, 1], 0x04).is_none());
        assert!(tlv(&[0x30, 0x00], 0x04).is_none());
    }
}
