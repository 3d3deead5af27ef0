//! Request signing and nonces (§3).
//!
//! `API-Sign = base64(HMAC-SHA512(base64decode(secret), uri_path + SHA256(nonce + post_data)))`,
//! where `uri_path` starts at `/0/private/` and `post_data` is the exact url-encoded body, which
//! itself carries `nonce=`. The API key travels in the `API-Key` header. The official example
//! (`kraken_sign_test_vectors.json`) pins it.
//!
//! Nonces must strictly increase per API key, or Kraken answers `EAPI:Invalid nonce`: the
//! [`NonceGenerator`] hands out `max(now_us, last + 1)` atomically, so concurrent requests never
//! share or reverse a nonce, even when the clock steps back. Microseconds rather than
//! milliseconds: a burst of calls pushes `last + 1` ahead of a millisecond clock, and a second
//! client on the same key (another process, a restarted gateway) that starts from the clock
//! would then send nonces Kraken has already seen.

use std::fmt;
use std::sync::atomic::{AtomicU64, Ordering};

use base64::Engine as _;
use base64::engine::general_purpose::STANDARD;
use hmac::{Hmac, Mac};
use sha2::{Digest, Sha256, Sha512};

use crate::ExchangeError;
use crate::rest::encode_pairs;

/// The header carrying the public API key.
pub const API_KEY_HEADER: &str = "API-Key";
/// The header carrying the signature.
pub const API_SIGN_HEADER: &str = "API-Sign";

type HmacSha512 = Hmac<Sha512>;

/// Signs Kraken private requests with one account's API secret.
#[derive(Clone)]
pub struct Signer {
    mac: HmacSha512,
}

impl fmt::Debug for Signer {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("Signer(<redacted>)")
    }
}

impl Signer {
    /// A signer for this API secret, as Kraken shows it (base64).
    pub fn new(secret_base64: &str) -> crate::Result<Self> {
        let key = STANDARD
            .decode(secret_base64.trim())
            .map_err(|_| ExchangeError::Config("Kraken API secret is not valid base64".into()))?;
        let mac = HmacSha512::new_from_slice(&key)
            .map_err(|_| ExchangeError::Config("Kraken API secret is unusable".into()))?;
        Ok(Signer { mac })
    }

    /// The `API-Sign` header of a private REST request: `uri_path` (`/0/private/AddOrder`),
    /// the nonce as sent, and the exact url-encoded body (which contains `nonce=<nonce>`).
    pub fn sign(&self, uri_path: &str, nonce: &str, post_data: &str) -> String {
        let mut digest = Sha256::new();
        digest.update(nonce.as_bytes());
        digest.update(post_data.as_bytes());
        let mut mac = self.mac.clone();
        mac.update(uri_path.as_bytes());
        mac.update(&digest.finalize());
        STANDARD.encode(mac.finalize().into_bytes())
    }

    /// Signs a form request in place: puts `nonce` first in `pairs` (replacing any earlier
    /// `nonce`, as on a retry), and returns the `API-Sign` of the body exactly as the REST
    /// client will encode it ([`encode_pairs`]).
    pub fn sign_form(
        &self,
        uri_path: &str,
        nonce: u64,
        pairs: &mut Vec<(String, String)>,
    ) -> String {
        pairs.retain(|(k, _)| k != "nonce");
        let nonce = nonce.to_string();
        pairs.insert(0, ("nonce".to_owned(), nonce.clone()));
        self.sign(uri_path, &nonce, &encode_pairs(pairs))
    }

    /// A Kraken Futures WebSocket challenge answer: `base64(HMAC-SHA512(secret, SHA256(challenge)))`.
    /// Same key handling as spot; kept here because the official vectors come as a pair.
    pub fn sign_challenge(&self, challenge: &str) -> String {
        let mut mac = self.mac.clone();
        mac.update(&Sha256::digest(challenge.as_bytes()));
        STANDARD.encode(mac.finalize().into_bytes())
    }
}

/// Strictly increasing nonces for one API key, shared by every task that signs with it.
#[derive(Debug, Default)]
pub struct NonceGenerator {
    last: AtomicU64,
}

impl NonceGenerator {
    /// A generator that has handed out nothing yet.
    pub fn new() -> Self {
        Self::default()
    }

    /// A generator that continues after `last` (e.g. a nonce persisted across restarts).
    pub fn starting_after(last: u64) -> Self {
        NonceGenerator {
            last: AtomicU64::new(last),
        }
    }

    /// The next nonce: the current time in microseconds, or one more than the last nonce when
    /// the clock has not moved on (or stepped back).
    pub fn next(&self) -> u64 {
        let now_us = std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .map(|d| u64::try_from(d.as_micros()).unwrap_or(u64::MAX))
            .unwrap_or(0);
        self.next_at(now_us)
    }

    /// The next nonce given the clock reading `now` (µs): `max(now, last + 1)`, atomically.
    pub fn next_at(&self, now: u64) -> u64 {
        let mut last = self.last.load(Ordering::Relaxed);
        loop {
            let next = now.max(last.saturating_add(1));
            match self
                .last
                .compare_exchange_weak(last, next, Ordering::AcqRel, Ordering::Relaxed)
            {
                Ok(_) => return next,
                Err(actual) => last = actual,
            }
        }
    }

    /// The last nonce handed out (0 when none).
    pub fn last(&self) -> u64 {
        self.last.load(Ordering::Acquire)
    }
}

#[cfg(test)]
mod tests {
    use std::collections::HashSet;
    use std::sync::Arc;

    use super::*;

    #[test]
    fn nonces_follow_the_clock_but_never_go_back() {
        let nonces = NonceGenerator::new();
        assert_eq!(nonces.next_at(1_000), 1_000);
        assert_eq!(nonces.next_at(1_000), 1_001);
        assert_eq!(nonces.next_at(900), 1_002, "clock stepped back");
        assert_eq!(nonces.next_at(5_000), 5_000);
        assert_eq!(nonces.last(), 5_000);
        assert_eq!(NonceGenerator::starting_after(7).next_at(0), 8);
    }

    #[test]
    fn concurrent_nonces_are_unique_and_increase_per_thread() {
        let nonces = Arc::new(NonceGenerator::new());
        let threads: Vec<_> = (0..4)
            .map(|_| {
                let nonces = Arc::clone(&nonces);
                std::thread::spawn(move || {
                    let mut seen = Vec::with_capacity(10_000);
                    for _ in 0..10_000 {
                        seen.push(nonces.next_at(42));
                    }
                    seen
                })
            })
            .collect();
        let mut all = HashSet::new();
        for thread in threads {
            let seen = thread.join().unwrap();
            assert!(seen.windows(2).all(|w| w[0] < w[1]));
            all.extend(seen);
        }
        assert_eq!(all.len(), 40_000);
        assert_eq!(nonces.last(), 42 + 40_000 - 1);
    }

    #[test]
    fn a_bad_secret_is_a_config_error_without_the_secret() {
        let err = Signer::new("not base64 !!").unwrap_err();
        assert_eq!(err.kind(), crate::ErrorKind::Config);
        assert!(!err.to_string().contains("!!"));
        assert_eq!(
            format!("{:?}", Signer::new("AAAA").unwrap()),
            "Signer(<redacted>)"
        );
    }
}
