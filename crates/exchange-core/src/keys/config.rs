//! The `[credentials]` configuration section, as figment/serde read it.
//!
//! ```toml
//! [credentials.binance.main]
//! api_key = "vmPUZE6mv9SD5VNHk4HlWFsOr6aKE2zvsw0MuIgwCIPy6utIco14y7Ju91duEh8A"
//! api_secret_file = "/run/secrets/binance_main_secret"   # docker secret
//!
//! [credentials.coinbase.trading]
//! api_key = "organizations/…/apiKeys/…"
//! api_secret_file = "/run/secrets/coinbase_trading_key.pem"
//! secret_kind = "ec_pem"                                   # optional: inferred from the PEM
//! ```
//!
//! Each of `api_key`, `api_secret` and `api_passphrase` may be given inline or as `<name>_file`
//! (a path whose content is the value, trimmed), not both. Values serialize as `[REDACTED]`;
//! paths are shown, since they name secrets without being secrets.

use std::collections::BTreeMap;
use std::fmt;
use std::path::PathBuf;

use secrecy::SecretString;
use serde::{Deserialize, Deserializer, Serialize};

use super::SecretKind;
use super::redact;

/// One account's entry: `[credentials.<venue>.<account>]`.
#[derive(Clone, Default, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct CredentialEntry {
    /// The API key, inline.
    #[serde(
        default,
        deserialize_with = "redact::deserialize_opt",
        serialize_with = "redact::serialize_opt"
    )]
    pub api_key: Option<SecretString>,
    /// A file holding the API key.
    #[serde(default, deserialize_with = "redact::deserialize_path_opt")]
    pub api_key_file: Option<PathBuf>,
    /// The API secret (HMAC secret or private key), inline.
    #[serde(
        default,
        deserialize_with = "redact::deserialize_opt",
        serialize_with = "redact::serialize_opt"
    )]
    pub api_secret: Option<SecretString>,
    /// A file holding the API secret (a docker secret, a PEM file).
    #[serde(default, deserialize_with = "redact::deserialize_path_opt")]
    pub api_secret_file: Option<PathBuf>,
    /// The passphrase, inline, for keys that have one.
    #[serde(
        default,
        deserialize_with = "redact::deserialize_opt",
        serialize_with = "redact::serialize_opt"
    )]
    pub api_passphrase: Option<SecretString>,
    /// A file holding the passphrase.
    #[serde(default, deserialize_with = "redact::deserialize_path_opt")]
    pub api_passphrase_file: Option<PathBuf>,
    /// The secret's kind; inferred when absent (see [`SecretKind`]).
    #[serde(default)]
    pub secret_kind: Option<SecretKind>,
}

impl fmt::Debug for CredentialEntry {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("CredentialEntry")
            .field("api_key", &redact::debug_opt(&self.api_key))
            .field("api_key_file", &self.api_key_file)
            .field("api_secret", &redact::debug_opt(&self.api_secret))
            .field("api_secret_file", &self.api_secret_file)
            .field("api_passphrase", &redact::debug_opt(&self.api_passphrase))
            .field("api_passphrase_file", &self.api_passphrase_file)
            .field("secret_kind", &self.secret_kind)
            .finish()
    }
}

/// An entry read as a table only, so that a value where a table belongs is not quoted back.
#[derive(Clone, Debug, Default, Serialize)]
#[serde(transparent)]
struct Entry(CredentialEntry);

impl<'de> Deserialize<'de> for Entry {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        redact::map_only(deserializer, "a table of credential settings").map(Entry)
    }
}

/// The accounts of one venue, read as a table only.
#[derive(Clone, Debug, Default, Serialize)]
#[serde(transparent)]
struct Accounts(BTreeMap<String, Entry>);

impl<'de> Deserialize<'de> for Accounts {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        redact::map_only(deserializer, "a table of accounts").map(Accounts)
    }
}

/// The `[credentials]` section: venue → account → [`CredentialEntry`].
///
/// Deserialization errors never quote a value: a secret written in the wrong place (a number, or
/// a string where a table belongs) is described, not shown.
#[derive(Clone, Default, Serialize)]
#[serde(transparent)]
pub struct CredentialsConfig(BTreeMap<String, Accounts>);

impl fmt::Debug for CredentialsConfig {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let entries = self.0.iter().flat_map(|(venue, accounts)| {
            accounts
                .0
                .iter()
                .map(move |(account, entry)| (format!("{venue}/{account}"), &entry.0))
        });
        f.debug_map().entries(entries).finish()
    }
}

impl<'de> Deserialize<'de> for CredentialsConfig {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        redact::map_only(deserializer, "a table of venues").map(CredentialsConfig)
    }
}

impl CredentialsConfig {
    /// An empty section.
    pub fn new() -> Self {
        Self::default()
    }

    /// Sets the entry of `venue`/`account`, replacing any.
    pub fn insert(&mut self, venue: &str, account: &str, entry: CredentialEntry) {
        self.0
            .entry(venue.to_owned())
            .or_default()
            .0
            .insert(account.to_owned(), Entry(entry));
    }

    /// The entry of `venue`/`account`, if configured.
    pub fn get(&self, venue: &str, account: &str) -> Option<&CredentialEntry> {
        self.0
            .get(venue)
            .and_then(|accounts| accounts.0.get(account))
            .map(|entry| &entry.0)
    }

    /// Every configured `(venue, account)` pair.
    pub fn pairs(&self) -> impl Iterator<Item = (&str, &str)> {
        self.0.iter().flat_map(|(venue, accounts)| {
            accounts
                .0
                .keys()
                .map(move |account| (venue.as_str(), account.as_str()))
        })
    }
}
