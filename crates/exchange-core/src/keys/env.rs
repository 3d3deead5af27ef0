//! Environment variable names for credentials, and the name rule for venues and accounts.
//!
//! For venue `binance` and account `main` the variables are:
//!
//! | variable | content |
//! |---|---|
//! | `EXGW_BINANCE_MAIN_API_KEY` | the API key |
//! | `EXGW_BINANCE_MAIN_API_SECRET` | the secret (HMAC secret or private key) |
//! | `EXGW_BINANCE_MAIN_API_PASSPHRASE` | the passphrase, for keys that have one |
//! | `EXGW_BINANCE_MAIN_API_SECRET_KIND` | `hmac`, `ec_pem` or `ed25519` (optional) |
//! | `EXGW_BINANCE_MAIN_API_KEY_FILE` | path of a file holding the API key |
//! | `EXGW_BINANCE_MAIN_API_SECRET_FILE` | path of a file holding the secret (docker secret) |
//! | `EXGW_BINANCE_MAIN_API_PASSPHRASE_FILE` | path of a file holding the passphrase |
//!
//! Venue and account are upper-cased and `-` becomes `_` (`binance-usdm`/`hedge-1` →
//! `EXGW_BINANCE_USDM_HEDGE_1_`), so two names that differ only there share variables.

use crate::{ExchangeError, Result};

/// The prefix of every credential variable.
pub const ENV_PREFIX: &str = "EXGW_";

/// The longest venue or account name.
pub const MAX_NAME_LEN: usize = 64;

/// One credential field that can come from the environment or a file.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Field {
    /// The API key.
    Key,
    /// The secret.
    Secret,
    /// The passphrase.
    Passphrase,
}

impl Field {
    /// The fields in the order they are resolved.
    pub(crate) const ALL: [Field; 3] = [Field::Key, Field::Secret, Field::Passphrase];

    /// The variable suffix after the prefix (`API_SECRET`); also the config field, lower-cased.
    pub(crate) fn suffix(self) -> &'static str {
        match self {
            Field::Key => "API_KEY",
            Field::Secret => "API_SECRET",
            Field::Passphrase => "API_PASSPHRASE",
        }
    }

    /// The config field of the inline value (`api_secret`).
    pub(crate) fn config_name(self) -> &'static str {
        match self {
            Field::Key => "api_key",
            Field::Secret => "api_secret",
            Field::Passphrase => "api_passphrase",
        }
    }

    /// What to call it in messages.
    pub(crate) fn describe(self) -> &'static str {
        match self {
            Field::Key => "API key",
            Field::Secret => "API secret",
            Field::Passphrase => "API passphrase",
        }
    }
}

/// The suffix of the secret-kind variable.
pub(crate) const KIND_SUFFIX: &str = "API_SECRET_KIND";

/// Checks a venue or account name: 1–64 ASCII letters, digits, `-` or `_`. These names become
/// NATS subject tokens and environment variable names, so nothing else is allowed.
pub fn check_name(what: &str, name: &str) -> Result<()> {
    let ok = !name.is_empty()
        && name.len() <= MAX_NAME_LEN
        && name
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'_');
    if ok {
        Ok(())
    } else {
        Err(ExchangeError::Config(format!(
            "invalid {what} name {name:?}: use 1-{MAX_NAME_LEN} ASCII letters, digits, '-' or '_'"
        )))
    }
}

/// The prefix of the credential variables of `venue`/`account` (`EXGW_BINANCE_MAIN_`).
/// The names must have passed [`check_name`].
pub fn env_prefix(venue: &str, account: &str) -> String {
    let token = |s: &str| s.to_ascii_uppercase().replace('-', "_");
    format!("{ENV_PREFIX}{}_{}_", token(venue), token(account))
}

/// The variable of `field` under `prefix`, with `_FILE` when `file`.
pub(crate) fn var_name(prefix: &str, field: Field, file: bool) -> String {
    if file {
        format!("{prefix}{}_FILE", field.suffix())
    } else {
        format!("{prefix}{}", field.suffix())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn prefix_upper_cases_and_maps_dashes() {
        assert_eq!(env_prefix("binance", "main"), "EXGW_BINANCE_MAIN_");
        assert_eq!(
            env_prefix("binance-usdm", "hedge-1"),
            "EXGW_BINANCE_USDM_HEDGE_1_"
        );
        let p = env_prefix("kraken", "a_b");
        assert_eq!(
            var_name(&p, Field::Secret, true),
            "EXGW_KRAKEN_A_B_API_SECRET_FILE"
        );
        assert_eq!(
            var_name(&p, Field::Passphrase, false),
            "EXGW_KRAKEN_A_B_API_PASSPHRASE"
        );
    }

    #[test]
    fn names_are_subject_and_env_safe() {
        for good in ["binance", "main", "hedge-1", "a_b", "X9"] {
            assert!(check_name("account", good).is_ok(), "{good}");
        }
        let long = "a".repeat(MAX_NAME_LEN + 1);
        for bad in ["", "a.b", "a b", "a*", "a>", "ä", long.as_str()] {
            let err = check_name("account", bad).unwrap_err();
            assert_eq!(err.kind(), crate::ErrorKind::Config, "{bad}");
        }
    }
}
