//! Signature checks: HMAC-SHA256 over the REST payload (query string concatenated with the body,
//! `signature` removed) and over the WebSocket API payload (params sorted by name, `k=v` joined by
//! `&`, `signature` removed), plus the `timestamp`/`recvWindow` rule (rest-api.md "Timing security").

use hmac::{Hmac, Mac};
use sha2::Sha256;

use super::error::ApiError;

type HmacSha256 = Hmac<Sha256>;

/// Hex HMAC-SHA256 of `payload` with `secret`.
pub fn sign(secret: &str, payload: &str) -> String {
    let Ok(mut mac) = HmacSha256::new_from_slice(secret.as_bytes()) else {
        return String::new();
    };
    mac.update(payload.as_bytes());
    hex::encode(mac.finalize().into_bytes())
}

/// Constant-time check of a hex signature (case-insensitive).
pub fn verify(secret: &str, payload: &str, signature: &str) -> bool {
    let Ok(sig) = hex::decode(signature.to_ascii_lowercase()) else {
        return false;
    };
    let Ok(mut mac) = HmacSha256::new_from_slice(secret.as_bytes()) else {
        return false;
    };
    mac.update(payload.as_bytes());
    mac.verify_slice(&sig).is_ok()
}

/// Removes the `signature=` pair from a raw form string, keeping everything else byte for byte.
fn strip_signature(raw: &str) -> String {
    raw.split('&')
        .filter(|p| !p.starts_with("signature="))
        .collect::<Vec<_>>()
        .join("&")
}

/// The REST payload that was signed: raw query then raw body, no separator, `signature` removed.
pub fn rest_payload(raw_query: &str, raw_body: &str) -> String {
    format!(
        "{}{}",
        strip_signature(raw_query),
        strip_signature(raw_body)
    )
}

/// The WebSocket API payload: all params but `signature`, sorted by name, raw values.
pub fn ws_payload(params: &[(String, String)]) -> String {
    let mut sorted: Vec<&(String, String)> =
        params.iter().filter(|(k, _)| k != "signature").collect();
    sorted.sort_by(|a, b| a.0.cmp(&b.0));
    sorted
        .iter()
        .map(|(k, v)| format!("{k}={v}"))
        .collect::<Vec<_>>()
        .join("&")
}

/// Normalizes a timestamp to milliseconds (16-digit values are microseconds).
pub fn to_millis(ts: u64) -> u64 {
    if ts >= 10_000_000_000_000 {
        ts / 1000
    } else {
        ts
    }
}

/// Applies the timing rule: reject if `timestamp >= now + 1000` or `now - timestamp > recvWindow`.
pub fn check_timing(timestamp: u64, recv_window: Option<u64>, now: u64) -> Result<(), ApiError> {
    let window = recv_window.unwrap_or(5000);
    if window > 60_000 {
        return Err(ApiError::bad(-1131, "recvWindow must be less than 60000"));
    }
    let ts = to_millis(timestamp);
    if ts >= now + 1000 {
        return Err(ApiError::ahead());
    }
    if now.saturating_sub(ts) > window {
        return Err(ApiError::outside_window());
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    const SECRET: &str = "NhqPtmdSJYdKjVHjA7PZj4Mge3R5YNiP1e3UZjInClVN65XAbvqqM6A7H5fATj0j";

    #[test]
    fn rest_vectors() {
        let q = "symbol=LTCBTC&side=BUY&type=LIMIT&timeInForce=GTC&quantity=1&price=0.1&recvWindow=5000&timestamp=1499827319559";
        assert_eq!(
            sign(SECRET, &rest_payload(q, "")),
            "c8db56825ae71d6d79447849e617115f4a920fa2acdcab2b053c4b2838bd6b71"
        );
        let mixed = rest_payload(
            "symbol=LTCBTC&side=BUY&type=LIMIT&timeInForce=GTC",
            "quantity=1&price=0.1&recvWindow=5000&timestamp=1499827319559&signature=abc",
        );
        assert!(verify(
            SECRET,
            &mixed,
            "0FD168B8DDB4876A0358A8D14D0C9F3DA0E9B20C5D52B2A00FCF7D1C602F9A77"
        ));
        assert!(!verify(SECRET, &mixed, "zz"));
    }

    #[test]
    fn timing() {
        assert!(check_timing(10_000, None, 14_000).is_ok());
        assert_eq!(check_timing(10_000, None, 15_001).unwrap_err().code, -1021);
        assert_eq!(check_timing(11_000, None, 10_000).unwrap_err().code, -1021);
        assert!(check_timing(1_700_000_000_000_000, None, 1_700_000_000_100).is_ok());
        assert_eq!(check_timing(1, Some(70_000), 1).unwrap_err().code, -1131);
    }
}
