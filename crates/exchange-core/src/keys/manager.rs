//! [`KeyManager`]: finds the credentials of a (venue, account) pair.
//!
//! # Sources and precedence
//!
//! 1. **Environment** — if any credential variable of the pair is set (`EXGW_<VENUE>_<ACCOUNT>_`
//!    followed by `API_KEY`, `API_SECRET`, `API_PASSPHRASE`, their `_FILE` forms, or
//!    `API_SECRET_KIND`; see [`super::env`](mod@super::env)), the environment supplies the
//!    pair's credentials *as a whole* and the configuration entry is ignored. Fields are never
//!    mixed across sources: a key from one place and a secret from another is a classic way to
//!    sign with a stale secret.
//! 2. **Configuration** — otherwise the `[credentials.<venue>.<account>]` entry, if any.
//! 3. **None** — otherwise the pair has no credentials: adapters serve public market data only.
//!
//! Within a source each field is given inline or as a file (`*_FILE` variable, `*_file` key;
//! docker secrets under `/run/secrets/`), never both. File content is trimmed. An incomplete set
//! (a key without a secret), a field given twice, an unreadable file or a malformed key is an
//! [`ExchangeError::Config`] naming the variable or setting to fix — never the value, and never
//! a file path (a secret pasted into a `_FILE` variable would otherwise be printed).
//!
//! Files and variables are read on every lookup, so a rotated docker secret is picked up the
//! next time an adapter is built.

use std::collections::BTreeMap;
use std::fmt;
use std::io::Read;
use std::path::{Path, PathBuf};

use secrecy::zeroize::Zeroizing;
use secrecy::{ExposeSecret, SecretString};

use super::SecretKind;
use super::config::{CredentialEntry, CredentialsConfig};
use super::credentials::{CredentialSource, Credentials};
use super::env::{self, ENV_PREFIX, Field, KIND_SUFFIX};
use crate::{ExchangeError, Result};

/// The largest secret file read (a PEM key is well under 1 KiB).
pub const MAX_SECRET_FILE_BYTES: u64 = 64 * 1024;

/// Credentials per (venue, account), from the environment, files and the configuration.
///
/// The environment is taken as a map so tests can inject one; [`KeyManager::from_process_env`]
/// reads the process environment. Only `EXGW_*` variables are kept, wrapped as secrets. `Debug`
/// lists configured pairs and variable names, never values; there is deliberately no `Serialize`.
#[derive(Clone, Default)]
pub struct KeyManager {
    config: CredentialsConfig,
    env: BTreeMap<String, SecretString>,
}

/// One field as one source offers it.
struct Offer {
    inline: Option<SecretString>,
    file: Option<PathBuf>,
    inline_name: String,
    file_name: String,
}

impl KeyManager {
    /// A key manager over a configuration section and an environment (name → value).
    pub fn new(config: CredentialsConfig, env: impl IntoIterator<Item = (String, String)>) -> Self {
        let env = env
            .into_iter()
            .filter(|(name, _)| name.starts_with(ENV_PREFIX))
            .map(|(name, value)| (name, SecretString::from(value)))
            .collect();
        KeyManager { config, env }
    }

    /// A key manager over a configuration section and this process's environment. Variables
    /// whose name or value is not UTF-8 are skipped.
    pub fn from_process_env(config: CredentialsConfig) -> Self {
        let env = std::env::vars_os().filter_map(|(name, value)| {
            Some((name.into_string().ok()?, value.into_string().ok()?))
        });
        Self::new(config, env)
    }

    /// The credentials of `venue`/`account`, or `None` when no source has any (public use).
    ///
    /// Errors are [`ExchangeError::Config`]: an invalid name, an incomplete or ambiguous set, an
    /// unreadable file, or a secret that does not fit its kind.
    pub fn credentials(&self, venue: &str, account: &str) -> Result<Option<Credentials>> {
        env::check_name("venue", venue)?;
        env::check_name("account", account)?;
        let prefix = env::env_prefix(venue, account);
        let from_env = self.env.keys().any(|name| {
            name.strip_prefix(prefix.as_str())
                .is_some_and(is_credential_suffix)
        });
        let found = if from_env {
            let source = CredentialSource::Env {
                prefix: prefix.clone(),
            };
            self.load_env(&prefix, source)
        } else if let Some(entry) = self.config.get(venue, account) {
            load_config(venue, account, entry)
        } else {
            return Ok(None);
        };
        found.map(Some).map_err(|why| {
            let from = if from_env {
                format!("the environment ({prefix}*)")
            } else {
                format!("[credentials.{venue}.{account}]")
            };
            ExchangeError::Config(format!(
                "credentials for {venue}/{account} from {from}: {why}"
            ))
        })
    }

    /// Like [`Self::credentials`], but a pair without credentials is an error that says where
    /// to put them.
    pub fn require(&self, venue: &str, account: &str) -> Result<Credentials> {
        self.credentials(venue, account)?.ok_or_else(|| {
            let prefix = env::env_prefix(venue, account);
            ExchangeError::Config(format!(
                "no credentials for {venue}/{account}: set {prefix}API_KEY and \
                 {prefix}API_SECRET (or their _FILE forms), or add \
                 [credentials.{venue}.{account}] to the configuration"
            ))
        })
    }

    fn load_env(
        &self,
        prefix: &str,
        source: CredentialSource,
    ) -> std::result::Result<Credentials, String> {
        let offer = |field: Field| {
            let inline_name = env::var_name(prefix, field, false);
            let file_name = env::var_name(prefix, field, true);
            Offer {
                inline: self.env.get(&inline_name).cloned(),
                file: self
                    .env
                    .get(&file_name)
                    .map(|path| PathBuf::from(path.expose_secret())),
                inline_name,
                file_name,
            }
        };
        let kind_var = format!("{prefix}{KIND_SUFFIX}");
        let kind = match self.env.get(&kind_var) {
            Some(text) => Some(
                text.expose_secret()
                    .parse::<SecretKind>()
                    .map_err(|e| format!("{kind_var}: {e}"))?,
            ),
            None => None,
        };
        assemble(offer, kind, source)
    }
}

fn is_credential_suffix(rest: &str) -> bool {
    rest == KIND_SUFFIX
        || Field::ALL.iter().any(|field| {
            rest.strip_prefix(field.suffix())
                .is_some_and(|tail| tail.is_empty() || tail == "_FILE")
        })
}

fn load_config(
    venue: &str,
    account: &str,
    entry: &CredentialEntry,
) -> std::result::Result<Credentials, String> {
    let offer = |field: Field| {
        let (inline, file) = match field {
            Field::Key => (&entry.api_key, &entry.api_key_file),
            Field::Secret => (&entry.api_secret, &entry.api_secret_file),
            Field::Passphrase => (&entry.api_passphrase, &entry.api_passphrase_file),
        };
        Offer {
            inline: inline.clone(),
            file: file.clone(),
            inline_name: format!("credentials.{venue}.{account}.{}", field.config_name()),
            file_name: format!("credentials.{venue}.{account}.{}_file", field.config_name()),
        }
    };
    assemble(offer, entry.secret_kind, CredentialSource::Config)
}

/// Resolves the three fields from one source and builds checked credentials.
fn assemble(
    offer: impl Fn(Field) -> Offer,
    kind: Option<SecretKind>,
    source: CredentialSource,
) -> std::result::Result<Credentials, String> {
    let required = |field: Field| {
        let offered = offer(field);
        resolve_field(field, &offered)?.ok_or_else(|| {
            format!(
                "the {} is missing (set {} or {})",
                field.describe(),
                offered.inline_name,
                offered.file_name
            )
        })
    };
    let key = required(Field::Key)?;
    let secret = required(Field::Secret)?;
    let passphrase = resolve_field(Field::Passphrase, &offer(Field::Passphrase))?;
    Credentials::build(key, secret, passphrase, kind, source)
}

fn resolve_field(field: Field, offer: &Offer) -> std::result::Result<Option<SecretString>, String> {
    match (&offer.inline, &offer.file) {
        (Some(_), Some(_)) => Err(format!(
            "the {} is given twice: set {} or {}, not both",
            field.describe(),
            offer.inline_name,
            offer.file_name
        )),
        (Some(value), None) => Ok(Some(value.clone())),
        (None, Some(path)) => read_secret_file(path, &offer.file_name).map(Some),
        (None, None) => Ok(None),
    }
}

/// Reads a secret file, naming the setting (never the path) when it fails.
fn read_secret_file(path: &Path, named_by: &str) -> std::result::Result<SecretString, String> {
    let file = std::fs::File::open(path)
        .map_err(|e| format!("cannot open the file named by {named_by}: {}", e.kind()))?;
    let mut text = Zeroizing::new(String::new());
    file.take(MAX_SECRET_FILE_BYTES + 1)
        .read_to_string(&mut text)
        .map_err(|e| match e.kind() {
            std::io::ErrorKind::InvalidData => {
                format!("the file named by {named_by} is not UTF-8 text")
            }
            kind => format!("cannot read the file named by {named_by}: {kind}"),
        })?;
    if text.len() as u64 > MAX_SECRET_FILE_BYTES {
        return Err(format!(
            "the file named by {named_by} is larger than {MAX_SECRET_FILE_BYTES} bytes"
        ));
    }
    Ok(SecretString::from(text.as_str()))
}

impl fmt::Debug for KeyManager {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let configured: Vec<String> = self
            .config
            .pairs()
            .map(|(venue, account)| format!("{venue}/{account}"))
            .collect();
        f.debug_struct("KeyManager")
            .field("configured", &configured)
            .field("env_vars", &self.env.keys().collect::<Vec<_>>())
            .finish()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn credential_suffixes_are_exact() {
        for ok in [
            "API_KEY",
            "API_SECRET",
            "API_PASSPHRASE",
            "API_KEY_FILE",
            "API_SECRET_FILE",
            "API_PASSPHRASE_FILE",
            "API_SECRET_KIND",
        ] {
            assert!(is_credential_suffix(ok), "{ok}");
        }
        for other in ["2_API_KEY", "API_KEYS", "API_SECRET_FILES", "LOG_LEVEL", ""] {
            assert!(!is_credential_suffix(other), "{other}");
        }
    }

    #[test]
    fn a_pair_whose_prefix_extends_another_does_not_borrow_its_variables() {
        let km = KeyManager::new(
            CredentialsConfig::new(),
            [
                ("EXGW_BINANCE_MAIN_2_API_KEY".to_owned(), "k".to_owned()),
                ("EXGW_BINANCE_MAIN_2_API_SECRET".to_owned(), "s".to_owned()),
            ],
        );
        assert!(km.credentials("binance", "main").unwrap().is_none());
        assert!(km.credentials("binance", "main_2").unwrap().is_some());
        assert!(km.credentials("binance", "main-2").unwrap().is_some());
    }
}
