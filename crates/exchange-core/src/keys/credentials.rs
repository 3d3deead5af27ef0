//! [`Credentials`]: one account's API key, secret and passphrase, never shown.

use std::fmt;

use secrecy::{ExposeSecret, SecretString};
use serde::ser::SerializeStruct;
use serde::{Serialize, Serializer};

use super::redact::REDACTED;
use super::secret_kind::{self, SecretKind};
use crate::{ExchangeError, Result};

/// Where a set of credentials came from (never the values, never a file path).
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize)]
#[serde(tag = "from", rename_all = "snake_case")]
pub enum CredentialSource {
    /// Environment variables with this prefix (`EXGW_BINANCE_MAIN_`), directly or via `*_FILE`.
    Env {
        /// The variables' common prefix.
        prefix: String,
    },
    /// The `[credentials.<venue>.<account>]` entry of the configuration.
    Config,
    /// Built in code with [`Credentials::new`].
    Code,
}

impl fmt::Display for CredentialSource {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            CredentialSource::Env { prefix } => write!(f, "environment ({prefix}*)"),
            CredentialSource::Config => f.write_str("configuration"),
            CredentialSource::Code => f.write_str("code"),
        }
    }
}

/// The credentials of one account at one venue.
///
/// The secret material (API key, secret, passphrase) is held in [`SecretString`]s: `Debug`,
/// `Display` and `Serialize` show `[REDACTED]` in their place, and memory is zeroed on drop.
/// Adapters read it with [`ExposeSecret::expose_secret`] at the one place they sign, and nowhere
/// else. The API key is treated as a secret too: alone it cannot sign, but it identifies the
/// account and belongs in no log.
///
/// The secret is checked when the credentials are built: its [`SecretKind`] is inferred or
/// checked against the declared one, and a PEM key must be well-formed, so a broken key fails at
/// start-up with a message that describes it without quoting it.
#[derive(Clone)]
pub struct Credentials {
    api_key: SecretString,
    secret: SecretString,
    passphrase: Option<SecretString>,
    kind: SecretKind,
    source: CredentialSource,
}

impl Credentials {
    /// Builds credentials in code, inferring the secret's kind unless `kind` says.
    ///
    /// Fails with [`ExchangeError::Config`] when the key or secret is empty or the secret does
    /// not fit its kind; the message never contains the values.
    pub fn new(
        api_key: SecretString,
        secret: SecretString,
        passphrase: Option<SecretString>,
        kind: Option<SecretKind>,
    ) -> Result<Self> {
        Self::build(api_key, secret, passphrase, kind, CredentialSource::Code)
            .map_err(|why| ExchangeError::Config(format!("invalid credentials: {why}")))
    }

    /// Builds and checks credentials; the error says what is wrong, in a phrase that follows
    /// "the <field> ..." or stands alone, without any secret.
    pub(crate) fn build(
        api_key: SecretString,
        secret: SecretString,
        passphrase: Option<SecretString>,
        kind: Option<SecretKind>,
        source: CredentialSource,
    ) -> std::result::Result<Self, String> {
        let api_key = trimmed(api_key);
        let secret = match secret_kind::unescape_pem(secret.expose_secret()) {
            Some(unescaped) => SecretString::from(unescaped),
            None => secret,
        };
        let secret = trimmed(secret);
        let passphrase = passphrase.map(trimmed);
        if api_key.expose_secret().is_empty() {
            return Err("the API key is empty".to_owned());
        }
        if secret.expose_secret().is_empty() {
            return Err("the API secret is empty".to_owned());
        }
        if passphrase
            .as_ref()
            .is_some_and(|p| p.expose_secret().is_empty())
        {
            return Err("the API passphrase is empty".to_owned());
        }
        let kind = secret_kind::resolve(secret.expose_secret(), kind)
            .map_err(|why| format!("the API secret {why}"))?;
        Ok(Credentials {
            api_key,
            secret,
            passphrase,
            kind,
            source,
        })
    }

    /// The API key (Binance `X-MBX-APIKEY`, Coinbase key name, Kraken `API-Key`).
    pub fn api_key(&self) -> &SecretString {
        &self.api_key
    }

    /// The secret: HMAC secret text, or the private key (PEM or base64) for [`Self::kind`].
    pub fn secret(&self) -> &SecretString {
        &self.secret
    }

    /// The passphrase, for venues whose keys have one.
    pub fn passphrase(&self) -> Option<&SecretString> {
        self.passphrase.as_ref()
    }

    /// What kind of secret [`Self::secret`] is.
    pub fn kind(&self) -> SecretKind {
        self.kind
    }

    /// Where these credentials came from.
    pub fn source(&self) -> &CredentialSource {
        &self.source
    }
}

/// Trims surrounding whitespace (a secret file's trailing newline), copying only when needed.
fn trimmed(value: SecretString) -> SecretString {
    let text = value.expose_secret();
    if text.trim() == text {
        value
    } else {
        SecretString::from(text.trim())
    }
}

impl fmt::Debug for Credentials {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Credentials")
            .field("api_key", &REDACTED)
            .field("secret", &REDACTED)
            .field("passphrase", &self.passphrase.as_ref().map(|_| REDACTED))
            .field("kind", &self.kind)
            .field("source", &self.source)
            .finish()
    }
}

impl fmt::Display for Credentials {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{} credentials from {}", self.kind, self.source)
    }
}

impl Serialize for Credentials {
    fn serialize<S: Serializer>(&self, serializer: S) -> std::result::Result<S::Ok, S::Error> {
        let mut s = serializer.serialize_struct("Credentials", 5)?;
        s.serialize_field("api_key", REDACTED)?;
        s.serialize_field("secret", REDACTED)?;
        s.serialize_field("passphrase", &self.passphrase.as_ref().map(|_| REDACTED))?;
        s.serialize_field("kind", &self.kind)?;
        s.serialize_field("source", &self.source)?;
        s.end()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn secret(text: &str) -> SecretString {
        SecretString::from(text)
    }

    #[test]
    fn trims_and_infers_hmac() {
        let c = Credentials::new(secret(" key\n"), secret("s3cret\n"), None, None).unwrap();
        assert_eq!(c.api_key().expose_secret(), "key");
        assert_eq!(c.secret().expose_secret(), "s3cret");
        assert_eq!(c.kind(), SecretKind::Hmac);
        assert_eq!(c.source(), &CredentialSource::Code);
    }

    #[test]
    fn empty_parts_are_refused() {
        let e = Credentials::new(secret(" "), secret("s"), None, None).unwrap_err();
        assert!(e.to_string().contains("API key is empty"), "{e}");
        let e = Credentials::new(secret("k"), secret("\n"), None, None).unwrap_err();
        assert!(e.to_string().contains("API secret is empty"), "{e}");
        let e = Credentials::new(secret("k"), secret("s"), Some(secret("")), None).unwrap_err();
        assert!(e.to_string().contains("passphrase is empty"), "{e}");
    }
}
