//! Signing keys from CDP secrets, and verifying keys from public keys.

use std::fmt;

use base64::Engine;
use base64::engine::general_purpose::STANDARD;
use ring::rand::SystemRandom;
use ring::signature::{
    self, ECDSA_P256_SHA256_FIXED, ECDSA_P256_SHA256_FIXED_SIGNING, EcdsaKeyPair, Ed25519KeyPair,
    KeyPair, UnparsedPublicKey,
};
use secrecy::zeroize::Zeroizing;

use super::Algorithm;
use super::der::{self, OID_EC_PUBLIC_KEY, OID_ED25519};
use crate::ExchangeError;

fn config(why: &str) -> ExchangeError {
    ExchangeError::Config(format!("coinbase API secret {why}"))
}

enum Inner {
    Es256(EcdsaKeyPair),
    EdDsa(Ed25519KeyPair),
}

/// A private key that signs JWTs: EC P-256 (ES256) or Ed25519 (EdDSA). Never printed.
pub struct SigningKey {
    inner: Inner,
    rng: SystemRandom,
}

impl fmt::Debug for SigningKey {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "SigningKey({}, <redacted>)", self.algorithm().as_str())
    }
}

impl SigningKey {
    /// Loads a CDP secret: SEC1 `EC PRIVATE KEY` PEM, PKCS#8 `PRIVATE KEY` PEM (EC or Ed25519),
    /// or base64 of an Ed25519 32-byte seed or 64-byte seed‖public key. PEM pasted with literal
    /// `\n` escapes is accepted. Errors describe the problem, never the key.
    pub fn from_secret(secret: &str) -> crate::Result<Self> {
        let unescaped;
        let mut text = secret.trim();
        if text.contains("\\n") && !text.contains('\n') {
            unescaped = Zeroizing::new(text.replace("\\n", "\n"));
            text = unescaped.as_str();
        }
        let rng = SystemRandom::new();
        let inner = if text.starts_with("-----BEGIN ") {
            Self::from_pem(text, &rng)?
        } else {
            Self::from_raw_ed25519(text)?
        };
        Ok(SigningKey { inner, rng })
    }

    fn from_pem(text: &str, rng: &SystemRandom) -> crate::Result<Inner> {
        let blocks = der::pem_blocks(text).ok_or_else(|| config("is not well-formed PEM"))?;
        let (label, body) = blocks
            .iter()
            .find(|(label, _)| label != "EC PARAMETERS")
            .ok_or_else(|| config("holds no private key"))?;
        let ec = |pkcs8: &[u8]| {
            EcdsaKeyPair::from_pkcs8(&ECDSA_P256_SHA256_FIXED_SIGNING, pkcs8, rng)
                .map(Inner::Es256)
                .map_err(|e| config(&format!("is not a usable EC P-256 key ({e})")))
        };
        match label.as_str() {
            "EC PRIVATE KEY" => ec(&der::sec1_to_pkcs8(body)),
            "PRIVATE KEY" => match der::pkcs8_algorithm(body) {
                Some(OID_EC_PUBLIC_KEY) => ec(body),
                Some(OID_ED25519) => Ed25519KeyPair::from_pkcs8_maybe_unchecked(body)
                    .map(Inner::EdDsa)
                    .map_err(|e| config(&format!("is not a usable Ed25519 key ({e})"))),
                _ => Err(config(
                    "is a PKCS#8 key of an algorithm other than EC P-256 or Ed25519",
                )),
            },
            _ => Err(config(
                "is a PEM block that is not an EC or PKCS#8 private key",
            )),
        }
    }

    fn from_raw_ed25519(text: &str) -> crate::Result<Inner> {
        let bytes = Zeroizing::new(
            STANDARD
                .decode(text.as_bytes())
                .map_err(|_| config("is neither PEM nor base64"))?,
        );
        let pair = match bytes.len() {
            32 => Ed25519KeyPair::from_seed_unchecked(&bytes),
            64 => Ed25519KeyPair::from_seed_and_public_key(&bytes[..32], &bytes[32..]),
            _ => return Err(config("is base64 but not of a 32- or 64-byte Ed25519 key")),
        };
        pair.map(Inner::EdDsa)
            .map_err(|e| config(&format!("is not a usable Ed25519 key ({e})")))
    }

    /// ES256 or EdDSA.
    pub fn algorithm(&self) -> Algorithm {
        match self.inner {
            Inner::Es256(_) => Algorithm::Es256,
            Inner::EdDsa(_) => Algorithm::EdDsa,
        }
    }

    /// Signs `message`: JWS `r||s` (64 bytes) for ES256, the 64-byte signature for EdDSA.
    pub fn sign(&self, message: &[u8]) -> crate::Result<Vec<u8>> {
        match &self.inner {
            Inner::Es256(pair) => pair
                .sign(&self.rng, message)
                .map(|s| s.as_ref().to_vec())
                .map_err(|_| ExchangeError::Config("coinbase: ECDSA signing failed".into())),
            Inner::EdDsa(pair) => Ok(pair.sign(message).as_ref().to_vec()),
        }
    }

    /// The public half, for verification.
    pub fn verifying_key(&self) -> VerifyingKey {
        match &self.inner {
            Inner::Es256(pair) => VerifyingKey::Es256(pair.public_key().as_ref().to_vec()),
            Inner::EdDsa(pair) => {
                let mut key = [0u8; 32];
                key.copy_from_slice(pair.public_key().as_ref());
                VerifyingKey::EdDsa(key)
            }
        }
    }
}

/// A public key that verifies JWTs.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum VerifyingKey {
    /// An uncompressed P-256 point (65 bytes, `0x04‖x‖y`).
    Es256(Vec<u8>),
    /// An Ed25519 public key.
    EdDsa([u8; 32]),
}

impl VerifyingKey {
    /// Reads a `PUBLIC KEY` PEM (SubjectPublicKeyInfo) of an EC P-256 or Ed25519 key.
    pub fn from_public_pem(pem: &str) -> crate::Result<Self> {
        let bad = |why: &str| ExchangeError::Config(format!("coinbase public key {why}"));
        let blocks = der::pem_blocks(pem).ok_or_else(|| bad("is not well-formed PEM"))?;
        let (_, body) = blocks
            .iter()
            .find(|(label, _)| label == "PUBLIC KEY")
            .ok_or_else(|| bad("holds no PUBLIC KEY block"))?;
        match der::spki(body) {
            Some((OID_EC_PUBLIC_KEY, point)) if point.len() == 65 && point[0] == 4 => {
                Ok(VerifyingKey::Es256(point.to_vec()))
            }
            Some((OID_ED25519, key)) => Self::ed25519(key).ok_or_else(|| bad("has a bad length")),
            _ => Err(bad("is not an uncompressed EC P-256 or an Ed25519 key")),
        }
    }

    /// Reads base64 of a 32-byte Ed25519 public key.
    pub fn from_ed25519_base64(text: &str) -> crate::Result<Self> {
        STANDARD
            .decode(text.trim().as_bytes())
            .ok()
            .and_then(|b| Self::ed25519(&b))
            .ok_or_else(|| {
                ExchangeError::Config("coinbase public key is not base64 of 32 bytes".into())
            })
    }

    fn ed25519(bytes: &[u8]) -> Option<Self> {
        <[u8; 32]>::try_from(bytes).ok().map(VerifyingKey::EdDsa)
    }

    /// ES256 or EdDSA.
    pub fn algorithm(&self) -> Algorithm {
        match self {
            VerifyingKey::Es256(_) => Algorithm::Es256,
            VerifyingKey::EdDsa(_) => Algorithm::EdDsa,
        }
    }

    /// Whether `signature` signs `message` under this key.
    pub fn verify(&self, message: &[u8], signature: &[u8]) -> bool {
        match self {
            VerifyingKey::Es256(point) => UnparsedPublicKey::new(&ECDSA_P256_SHA256_FIXED, point)
                .verify(message, signature)
                .is_ok(),
            VerifyingKey::EdDsa(key) => UnparsedPublicKey::new(&signature::ED25519, key)
                .verify(message, signature)
                .is_ok(),
        }
    }
}
