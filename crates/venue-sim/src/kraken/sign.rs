//! API-Sign verification (docs "Spot REST Authentication"):
//! `base64(HMAC-SHA512(base64decode(secret), uri_path + SHA256(nonce + post_data)))`.

use base64::Engine;
use base64::engine::general_purpose::STANDARD;
use hmac::{Hmac, Mac};
use sha2::{Digest, Sha256, Sha512};

/// The API-Sign of a private request, or None when the secret is not valid base64.
pub fn api_sign(secret_b64: &str, uri_path: &str, nonce: &str, post_data: &str) -> Option<String> {
    let key = STANDARD.decode(secret_b64).ok()?;
    let mut inner = Sha256::new();
    inner.update(nonce.as_bytes());
    inner.update(post_data.as_bytes());
    let digest = inner.finalize();
    let mut mac = Hmac::<Sha512>::new_from_slice(&key).ok()?;
    mac.update(uri_path.as_bytes());
    mac.update(&digest);
    Some(STANDARD.encode(mac.finalize().into_bytes()))
}

/// Whether `signature` (base64) is the API-Sign of the request; compared in constant time.
pub fn verify(
    secret_b64: &str,
    uri_path: &str,
    nonce: &str,
    post_data: &str,
    signature: &str,
) -> bool {
    let Ok(key) = STANDARD.decode(secret_b64) else {
        return false;
    };
    let Ok(sig) = STANDARD.decode(signature.trim()) else {
        return false;
    };
    let mut inner = Sha256::new();
    inner.update(nonce.as_bytes());
    inner.update(post_data.as_bytes());
    let digest = inner.finalize();
    let Ok(mut mac) = Hmac::<Sha512>::new_from_slice(&key) else {
        return false;
    };
    mac.update(uri_path.as_bytes());
    mac.update(&digest);
    mac.verify_slice(&sig).is_ok()
}

#[cfg(test)]
mod tests {
    use super::*;

    const SECRET: &str =
        "kQH5HW/8p1uGOVjbgWA7FunAmGO8lsSUXNsu3eow76sz84Q18fWxnyRzBHCd3pd5nE9qa99HAZtuZuj6F1huXg==";
    const BODY: &str =
        "nonce=1616492376594&ordertype=limit&pair=XBTUSD&price=37500&type=buy&volume=1.25";
    const SIGN: &str =
        "4/dpxb3iT4tp/ZCVEwSnEsLxx0bqyhLpdfOpc6fn7OR8+UClSV5n9E6aSS8MPtnRfp32bAb0nmbRn6H8ndwLUQ==";

    #[test]
    fn official_vector() {
        let path = "/0/private/AddOrder";
        assert_eq!(api_sign(SECRET, path, "1616492376594", BODY).unwrap(), SIGN);
        assert!(verify(SECRET, path, "1616492376594", BODY, SIGN));
        assert!(!verify(SECRET, path, "1616492376595", BODY, SIGN));
        assert!(!verify(
            SECRET,
            "/0/private/Balance",
            "1616492376594",
            BODY,
            SIGN
        ));
        assert!(!verify(SECRET, path, "1616492376594", BODY, "not base64!"));
    }
}
