//! Factory, key manager and Exchange trait defaults, exercised through the public API.
//!
//! - `trait_defaults`: an adapter implementing only `fetch_markets` answers `NotSupported`
//!   everywhere else, and `has()` agrees; the conformance check catches adapters that break
//!   the capability rule.
//! - `factory`: register/get, unknown venues, public use without credentials, broken credentials.
//! - `key_manager`: config (TOML), environment map and files, with their precedence.
//! - `redaction`: no secret in Debug, Display, serialized output or error messages, for every
//!   type that holds one.

mod factory;
mod key_manager;
mod redaction;
mod trait_defaults;

use std::collections::BTreeMap;

use exchange_core::keys::CredentialsConfig;

/// Throwaway test key: `openssl ecparam -name prime256v1 -genkey -noout`.
const EC_SEC1_PEM: &str = "-----BEGIN EC PRIVATE KEY-----
MHcCAQEEIDi8REru9laZ1407qM98CAoqVLHNgJ23KqnijpLJP/eEoAoGCCqGSM49
AwEHoUQDQgAEhjzbcwSXrlHKDgAQWShTU7jDf11CwW9QjXDAeazUeCGH4sSvtbnA
dXfiy88wZwooWepJocdVhOCepSyUUcLZlA==
-----END EC PRIVATE KEY-----
";

/// Throwaway test key: `openssl genpkey -algorithm ed25519`.
const ED25519_PEM: &str = "-----BEGIN PRIVATE KEY-----
MC4CAQAwBQYDK2VwBCIEIKBuCBszs5zXi6ST1KsoPmOkbm5eoQWLtDo34dkN7KKF
-----END PRIVATE KEY-----
";

/// An environment map from pairs.
fn env(pairs: &[(&str, &str)]) -> BTreeMap<String, String> {
    pairs
        .iter()
        .map(|(k, v)| ((*k).to_owned(), (*v).to_owned()))
        .collect()
}

/// The `[credentials]` section of a service configuration file.
#[derive(serde::Deserialize)]
struct ServiceConfig {
    credentials: CredentialsConfig,
}

/// Reads the `[credentials]` section of a TOML document, as a service's figment config does.
fn credentials_from_toml(text: &str) -> CredentialsConfig {
    toml::from_str::<ServiceConfig>(text).unwrap().credentials
}
