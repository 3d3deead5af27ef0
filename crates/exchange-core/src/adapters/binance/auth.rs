//! Request signing (§3): HMAC-SHA256 for REST and for the WebSocket API.
//!
//! - **REST**: the signed payload is the query string concatenated, with no separator, to the
//!   `application/x-www-form-urlencoded` body; non-ASCII characters are percent-encoded (UTF-8)
//!   *before* signing; the signature is lower-case hex, sent as the `signature` parameter, and the
//!   API key travels in the `X-MBX-APIKEY` header.
//! - **WebSocket API**: every param except `signature` (and including `apiKey`), sorted by name,
//!   joined as `k=v` with `&`, values as raw UTF-8 (not percent-encoded).
//!
//! The official test vectors (`binance_sign_hmac_test_vectors.json`) pin both. The signer keeps
//! only the keyed HMAC state, never prints it, and signatures are never logged by this module.

use std::fmt;

use hmac::{Hmac, Mac};
use sha2::Sha256;

use crate::ExchangeError;

type HmacSha256 = Hmac<Sha256>;

/// `recvWindow` default (ms), as documented: the request must reach the matching engine within
/// this long of its `timestamp` (taken from [`crate::clock::ServerClock`]).
pub const DEFAULT_RECV_WINDOW_MS: u64 = 5_000;
/// `recvWindow` maximum (ms), as documented.
pub const MAX_RECV_WINDOW_MS: u64 = 60_000;

/// A `recvWindow` within the documented bounds (1 ms to 60 000 ms).
pub fn clamp_recv_window(ms: u64) -> u64 {
    ms.clamp(1, MAX_RECV_WINDOW_MS)
}

/// Signs Binance payloads with one account's HMAC secret key.
#[derive(Clone)]
pub struct HmacSigner {
    mac: HmacSha256,
}

impl fmt::Debug for HmacSigner {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("HmacSigner(<redacted>)")
    }
}

impl HmacSigner {
    /// A signer for this secret key (the UTF-8 bytes of Binance's `secretKey`).
    pub fn new(secret_key: &[u8]) -> crate::Result<Self> {
        let mac = HmacSha256::new_from_slice(secret_key)
            .map_err(|_| ExchangeError::Config("Binance HMAC secret key is unusable".into()))?;
        Ok(HmacSigner { mac })
    }

    /// The lower-case hex HMAC-SHA256 of exactly these payload bytes.
    pub fn sign(&self, payload: &str) -> String {
        let mut mac = self.mac.clone();
        mac.update(payload.as_bytes());
        hex::encode(mac.finalize().into_bytes())
    }

    /// Signs a REST request whose parameters travel as `query` and `body` (either may be empty):
    /// the signature of `query ++ body` after percent-encoding any non-ASCII character.
    pub fn sign_rest(&self, query: &str, body: &str) -> String {
        self.sign(&rest_signature_payload(query, body))
    }

    /// Builds a signed query string: `params`, then `recvWindow` (when given) and `timestamp`,
    /// then `signature`. Send it verbatim as the URL query (or as the form body) of the request.
    pub fn signed_query(
        &self,
        params: &[(&str, String)],
        timestamp_ms: i64,
        recv_window_ms: Option<u64>,
    ) -> String {
        let mut all: Vec<(&str, String)> = params.to_vec();
        if let Some(window) = recv_window_ms {
            all.push(("recvWindow", window.to_string()));
        }
        all.push(("timestamp", timestamp_ms.to_string()));
        let query = query_string(&all);
        let signature = self.sign(&query);
        format!("{query}&signature={signature}")
    }

    /// The `signature` of a WebSocket API request with these params (`apiKey` included; any
    /// `signature` param is ignored).
    pub fn sign_wsapi(&self, params: &[(&str, &str)]) -> String {
        self.sign(&wsapi_signature_payload(params))
    }
}

fn is_unreserved(b: u8) -> bool {
    b.is_ascii_alphanumeric() || matches!(b, b'-' | b'_' | b'.' | b'~')
}

fn push_escaped(out: &mut String, b: u8) {
    const HEX: &[u8; 16] = b"0123456789ABCDEF";
    out.push('%');
    out.push(char::from(HEX[usize::from(b >> 4)]));
    out.push(char::from(HEX[usize::from(b & 0x0f)]));
}

/// Percent-encodes a query component: everything but `A-Z a-z 0-9 - _ . ~` becomes `%XX`
/// (upper-case hex of its UTF-8 bytes), so the text the URL carries is exactly the text signed.
pub fn encode_component(value: &str) -> String {
    let mut out = String::with_capacity(value.len());
    for b in value.bytes() {
        if is_unreserved(b) {
            out.push(char::from(b));
        } else {
            push_escaped(&mut out, b);
        }
    }
    out
}

/// Percent-encodes only the non-ASCII bytes of an already-assembled payload (§3: non-ASCII is
/// encoded before signing; ASCII, including `&` and `=`, is left as is).
pub fn encode_non_ascii(payload: &str) -> String {
    let mut out = String::with_capacity(payload.len());
    for b in payload.bytes() {
        if b.is_ascii() {
            out.push(char::from(b));
        } else {
            push_escaped(&mut out, b);
        }
    }
    out
}

/// `k1=v1&k2=v2…` in the given order, keys as given and values [`encode_component`]-ed.
pub fn query_string(params: &[(&str, String)]) -> String {
    let mut out = String::new();
    for (i, (key, value)) in params.iter().enumerate() {
        if i > 0 {
            out.push('&');
        }
        out.push_str(key);
        out.push('=');
        out.push_str(&encode_component(value));
    }
    out
}

/// The REST signature payload: `query` and `body` concatenated without a separator, non-ASCII
/// percent-encoded.
pub fn rest_signature_payload(query: &str, body: &str) -> String {
    encode_non_ascii(&format!("{query}{body}"))
}

/// The WebSocket API signature payload: all params but `signature`, sorted by name, joined as
/// `k=v` with `&`, values raw.
pub fn wsapi_signature_payload(params: &[(&str, &str)]) -> String {
    let mut sorted: Vec<&(&str, &str)> = params.iter().filter(|(k, _)| *k != "signature").collect();
    sorted.sort_by(|a, b| a.0.cmp(b.0));
    sorted
        .iter()
        .map(|(k, v)| format!("{k}={v}"))
        .collect::<Vec<_>>()
        .join("&")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn encodes_components_and_non_ascii() {
        assert_eq!(encode_component("0.1"), "0.1");
        assert_eq!(
            encode_component("[\"BTCUSDT\",\"BNBUSDT\"]"),
            "%5B%22BTCUSDT%22%2C%22BNBUSDT%22%5D"
        );
        assert_eq!(encode_component("１"), "%EF%BC%91");
        assert_eq!(encode_non_ascii("a=１&b=2"), "a=%EF%BC%91&b=2");
    }

    #[test]
    fn signed_query_appends_window_timestamp_and_signature() {
        let signer = HmacSigner::new(b"k").unwrap();
        let q = signer.signed_query(&[("symbol", "BTCUSDT".into())], 42, Some(5000));
        let (payload, sig) = q.split_once("&signature=").unwrap();
        assert_eq!(payload, "symbol=BTCUSDT&recvWindow=5000&timestamp=42");
        assert_eq!(sig, signer.sign(payload));
        assert_eq!(sig.len(), 64);
        assert_eq!(format!("{signer:?}"), "HmacSigner(<redacted>)");
    }

    #[test]
    fn recv_window_stays_within_documented_bounds() {
        assert_eq!(clamp_recv_window(120_000), 60_000);
        assert_eq!(clamp_recv_window(0), 1);
        assert_eq!(clamp_recv_window(DEFAULT_RECV_WINDOW_MS), 5_000);
    }

    #[test]
    fn wsapi_payload_sorts_and_skips_signature() {
        let p = wsapi_signature_payload(&[("b", "2"), ("signature", "x"), ("a", "１")]);
        assert_eq!(p, "a=１&b=2");
    }
}
