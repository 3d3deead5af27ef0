//! What kind of secret a credential holds, and the checks that establish it when it loads.

use std::fmt;
use std::str::FromStr;

use serde::{Deserialize, Deserializer, Serialize};

use super::pem::{self, PemError, PemKey};
use super::redact;

/// The kind of a credential's secret, which decides how an adapter signs with it.
///
/// When the configuration does not say, it is inferred: a PEM block is an EC or Ed25519 key by
/// its label and algorithm; anything else is an HMAC secret. A raw (base64, non-PEM) Ed25519 key
/// looks like an HMAC secret, so it must be declared `ed25519`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum SecretKind {
    /// A shared secret for HMAC signatures (Binance HMAC keys, Kraken's base64 secret).
    Hmac,
    /// A PEM EC private key (SEC1 or PKCS#8) for ES256 JWTs (Coinbase Advanced Trade).
    EcPem,
    /// An Ed25519 private key: PEM PKCS#8, or base64 of the 32-byte seed or 64-byte keypair
    /// (Binance Ed25519 keys, Coinbase CDP Ed25519 keys).
    Ed25519,
}

impl SecretKind {
    /// Every kind.
    pub const ALL: [SecretKind; 3] = [SecretKind::Hmac, SecretKind::EcPem, SecretKind::Ed25519];

    /// The configuration spelling: `hmac`, `ec_pem`, `ed25519`.
    pub fn as_str(self) -> &'static str {
        match self {
            SecretKind::Hmac => "hmac",
            SecretKind::EcPem => "ec_pem",
            SecretKind::Ed25519 => "ed25519",
        }
    }
}

impl fmt::Display for SecretKind {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// A text that is not a [`SecretKind`]. It does not quote the text: a secret pasted into the
/// wrong setting must not come back in an error message.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("unknown secret kind (expected hmac, ec_pem or ed25519)")]
pub struct UnknownSecretKind;

impl FromStr for SecretKind {
    type Err = UnknownSecretKind;

    fn from_str(s: &str) -> Result<Self, Self::Err> {
        SecretKind::ALL
            .into_iter()
            .find(|k| k.as_str().eq_ignore_ascii_case(s.trim()))
            .ok_or(UnknownSecretKind)
    }
}

impl<'de> Deserialize<'de> for SecretKind {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        let text = redact::deserialize_text(deserializer, "hmac, ec_pem or ed25519")?;
        text.parse().map_err(serde::de::Error::custom)
    }
}

/// Why a secret does not fit its kind. Messages describe the secret, never quote it.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub(crate) enum KeyFormatError {
    /// A PEM problem.
    #[error(transparent)]
    Pem(#[from] PemError),
    /// Declared one kind, found another.
    #[error("was declared {declared} but is a PEM {} private key", pem_algorithm(*found))]
    Mismatch {
        /// What the configuration said.
        declared: SecretKind,
        /// What the key is.
        found: SecretKind,
    },
    /// Declared `ec_pem` but not PEM at all.
    #[error("was declared ec_pem but is not a PEM block")]
    NotPem,
    /// Declared `ed25519` but neither PEM nor a raw key.
    #[error("was declared ed25519 but is neither a PEM PKCS#8 key nor base64 of 32 or 64 bytes")]
    Ed25519Raw,
}

/// The algorithm name of a PEM key kind, for messages.
fn pem_algorithm(kind: SecretKind) -> &'static str {
    match kind {
        SecretKind::EcPem => "EC",
        SecretKind::Ed25519 => "Ed25519",
        SecretKind::Hmac => "HMAC",
    }
}

/// Rewrites a PEM block pasted with literal `\n` escapes (as in Coinbase's downloaded JSON key
/// file) into real line breaks; returns `None` when nothing needs rewriting.
pub(crate) fn unescape_pem(secret: &str) -> Option<String> {
    (pem::looks_like_pem(secret) && secret.contains("\\n") && !secret.contains('\n'))
        .then(|| secret.replace("\\n", "\n"))
}

/// Establishes the kind of `secret`, checking it against `declared` when the configuration said.
pub(crate) fn resolve(
    secret: &str,
    declared: Option<SecretKind>,
) -> Result<SecretKind, KeyFormatError> {
    if pem::looks_like_pem(secret) {
        let found = match pem::classify(secret)? {
            PemKey::Ec => SecretKind::EcPem,
            PemKey::Ed25519 => SecretKind::Ed25519,
        };
        return match declared {
            Some(declared) if declared != found => {
                Err(KeyFormatError::Mismatch { declared, found })
            }
            _ => Ok(found),
        };
    }
    match declared {
        None | Some(SecretKind::Hmac) => Ok(SecretKind::Hmac),
        Some(SecretKind::EcPem) => Err(KeyFormatError::NotPem),
        Some(SecretKind::Ed25519) if pem::is_raw_ed25519(secret) => Ok(SecretKind::Ed25519),
        Some(SecretKind::Ed25519) => Err(KeyFormatError::Ed25519Raw),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const ED25519_PKCS8: &str = "-----BEGIN PRIVATE KEY-----
MC4CAQAwBQYDK2VwBCIEIKBuCBszs5zXi6ST1KsoPmOkbm5eoQWLtDo34dkN7KKF
-----END PRIVATE KEY-----";

    #[test]
    fn kinds_parse_case_insensitively_and_errors_do_not_quote() {
        for kind in SecretKind::ALL {
            assert_eq!(kind.as_str().parse::<SecretKind>(), Ok(kind));
            assert_eq!(kind.as_str().to_uppercase().parse::<SecretKind>(), Ok(kind));
        }
        let err = "sup3r-secret"
            .parse::<SecretKind>()
            .unwrap_err()
            .to_string();
        assert!(!err.contains("sup3r"), "{err}");
        let err = serde_json::from_str::<SecretKind>("\"sup3r-secret\"")
            .unwrap_err()
            .to_string();
        assert!(!err.contains("sup3r"), "{err}");
    }

    #[test]
    fn infers_hmac_and_pem_kinds() {
        assert_eq!(resolve("plain-hmac-secret", None), Ok(SecretKind::Hmac));
        assert_eq!(resolve(ED25519_PKCS8, None), Ok(SecretKind::Ed25519));
        assert_eq!(
            resolve(ED25519_PKCS8, Some(SecretKind::Ed25519)),
            Ok(SecretKind::Ed25519)
        );
    }

    #[test]
    fn declared_kind_must_match_the_key() {
        assert_eq!(
            resolve(ED25519_PKCS8, Some(SecretKind::EcPem)),
            Err(KeyFormatError::Mismatch {
                declared: SecretKind::EcPem,
                found: SecretKind::Ed25519
            })
        );
        assert_eq!(
            resolve(ED25519_PKCS8, Some(SecretKind::Hmac)),
            Err(KeyFormatError::Mismatch {
                declared: SecretKind::Hmac,
                found: SecretKind::Ed25519
            })
        );
        let mismatch = resolve(ED25519_PKCS8, Some(SecretKind::EcPem)).unwrap_err();
        assert_eq!(
            mismatch.to_string(),
            "was declared ec_pem but is a PEM Ed25519 private key"
        );
        assert_eq!(
            resolve("abc", Some(SecretKind::EcPem)),
            Err(KeyFormatError::NotPem)
        );
        assert_eq!(
            resolve("abc", Some(SecretKind::Ed25519)),
            Err(KeyFormatError::Ed25519Raw)
        );
        let seed = "AAECAwQFBgcICQoLDA0ODxAREhMUFRYXGBkaGxwdHh8=";
        assert_eq!(
            resolve(seed, Some(SecretKind::Ed25519)),
            Ok(SecretKind::Ed25519)
        );
    }

    #[test]
    fn escaped_newlines_in_pem_are_unescaped() {
        let escaped = ED25519_PKCS8.replace('\n', "\\n");
        assert_eq!(unescape_pem(&escaped).as_deref(), Some(ED25519_PKCS8));
        assert_eq!(unescape_pem(ED25519_PKCS8), None);
        assert_eq!(unescape_pem("hmac\\nsecret"), None);
    }
}
