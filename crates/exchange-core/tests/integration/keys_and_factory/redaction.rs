//! No secret in Debug, Display, serialized output or error messages, for every type that holds
//! one: Credentials, CredentialEntry, CredentialsConfig, KeyManager, AdapterConfig,
//! ExchangeFactory, and the errors of loading credentials.
//!
//! `KeyManager` and `ExchangeFactory` implement neither `Display` nor `Serialize`, so only their
//! `Debug` can be checked; the others are checked in every form they implement.

use std::sync::Arc;

use exchange_core::keys::{CredentialEntry, CredentialsConfig, REDACTED};
use exchange_core::{
    AdapterConfig, Capabilities, Credentials, Exchange, ExchangeError, ExchangeFactory, KeyManager,
    SecretKind,
};
use secrecy::SecretString;

use super::{EC_SEC1_PEM, ServiceConfig, credentials_from_toml, env};

const KEY: &str = "KEY-7f3a9c1e";
const SECRET: &str = "SECRET-b41d2e77";
const PASS: &str = "PASS-0c8e5a33";
const NUMERIC: &str = "918273645";

/// Fails if `text` contains any secret: the three test values, the numeric one, or any
/// 12-character run of the test PEM key's body.
#[track_caller]
fn assert_clean(what: &str, text: &str) {
    for secret in [KEY, SECRET, PASS, NUMERIC] {
        assert!(!text.contains(secret), "{what} shows {secret}: {text}");
    }
    let body: String = EC_SEC1_PEM
        .lines()
        .filter(|l| !l.starts_with("-----"))
        .collect();
    let body = body.as_bytes();
    for window in body.windows(12) {
        let window = std::str::from_utf8(window).unwrap();
        assert!(
            !text.contains(window),
            "{what} shows PEM material {window}: {text}"
        );
    }
}

/// Checks Debug (plain and pretty) of a value.
#[track_caller]
fn check_debug<T: std::fmt::Debug>(what: &str, value: &T) {
    assert_clean(what, &format!("{value:?}"));
    assert_clean(what, &format!("{value:#?}"));
}

/// Checks Debug, Display and JSON of a value, and that the redaction marker is there.
#[track_caller]
fn check_all<T: std::fmt::Debug + std::fmt::Display + serde::Serialize>(what: &str, value: &T) {
    check_debug(what, value);
    assert_clean(what, &value.to_string());
    let json = serde_json::to_string(value).unwrap();
    assert_clean(what, &json);
    assert!(
        json.contains(REDACTED),
        "{what} JSON lacks the marker: {json}"
    );
}

/// Checks an error in every form it can be printed.
#[track_caller]
fn check_error(what: &str, err: &ExchangeError) {
    check_debug(what, err);
    assert_clean(what, &err.to_string());
}

fn full_env() -> Vec<(String, String)> {
    env(&[
        ("EXGW_BINANCE_MAIN_API_KEY", KEY),
        ("EXGW_BINANCE_MAIN_API_SECRET", SECRET),
        ("EXGW_BINANCE_MAIN_API_PASSPHRASE", PASS),
        ("EXGW_COINBASE_MAIN_API_KEY", KEY),
        ("EXGW_COINBASE_MAIN_API_SECRET", EC_SEC1_PEM),
    ])
    .into_iter()
    .collect()
}

fn full_config() -> CredentialsConfig {
    credentials_from_toml(&format!(
        r#"
        [credentials.kraken.main]
        api_key = "{KEY}"
        api_secret = "{SECRET}"
        api_passphrase = "{PASS}"

        [credentials.coinbase.cfg]
        api_key = "{KEY}"
        api_secret = """{EC_SEC1_PEM}"""
        "#
    ))
}

struct Stub(String);

impl Exchange for Stub {
    fn venue(&self) -> &str {
        &self.0
    }

    fn capabilities(&self) -> Capabilities {
        Capabilities::EMPTY
    }
}

#[test]
fn credentials_never_show_their_secrets() {
    let km = KeyManager::new(full_config(), full_env());
    for (venue, account) in [
        ("binance", "main"),
        ("coinbase", "main"),
        ("kraken", "main"),
        ("coinbase", "cfg"),
    ] {
        let c = km.credentials(venue, account).unwrap().unwrap();
        check_all(&format!("Credentials {venue}/{account}"), &c);
    }
    let code = Credentials::new(
        SecretString::from(KEY),
        SecretString::from(SECRET),
        Some(SecretString::from(PASS)),
        Some(SecretKind::Hmac),
    )
    .unwrap();
    check_all("Credentials from code", &code);
    let json = serde_json::to_value(&code).unwrap();
    assert_eq!(json["api_key"], REDACTED);
    assert_eq!(json["secret"], REDACTED);
    assert_eq!(json["passphrase"], REDACTED);
    assert_eq!(json["kind"], "hmac");
}

#[test]
fn config_types_never_show_their_secrets() {
    let config = full_config();
    check_debug("CredentialsConfig", &config);
    let json = serde_json::to_string(&config).unwrap();
    assert_clean("CredentialsConfig JSON", &json);
    assert!(json.contains(REDACTED));

    let entry: &CredentialEntry = config.get("kraken", "main").unwrap();
    check_debug("CredentialEntry", entry);
    let json = serde_json::to_value(entry).unwrap();
    assert_clean("CredentialEntry JSON", &json.to_string());
    assert_eq!(json["api_secret"], REDACTED);
    assert_eq!(json["api_passphrase"], REDACTED);

    // A serialized config reads back as a config, with the marker in place of each secret.
    let back: CredentialsConfig =
        serde_json::from_str(&serde_json::to_string(&config).unwrap()).unwrap();
    check_debug("CredentialsConfig round trip", &back);
}

#[test]
fn managers_factories_and_adapter_configs_never_show_secrets() {
    let km = KeyManager::new(full_config(), full_env());
    check_debug("KeyManager", &km);
    let debug = format!("{km:?}");
    assert!(
        debug.contains("EXGW_BINANCE_MAIN_API_SECRET"),
        "names are shown: {debug}"
    );

    let mut factory = ExchangeFactory::new(km);
    factory
        .register("binance", |c: AdapterConfig| {
            check_all("AdapterConfig in constructor", &c);
            Ok(Arc::new(Stub(c.venue)) as Arc<dyn Exchange>)
        })
        .unwrap();
    check_debug("ExchangeFactory", &factory);
    factory.get("binance", "main").unwrap();
    let config = factory.config_for("binance", "main").unwrap();
    assert!(config.credentials.is_some());
    check_all("AdapterConfig", &config);
}

#[test]
fn load_errors_never_quote_secrets() {
    let truncated_pem = &EC_SEC1_PEM[..EC_SEC1_PEM.len() - 40];
    let bad_base64 = EC_SEC1_PEM.replacen("MHcCAQEE", "MHc*AQEE", 1);
    let cases: Vec<(&str, Vec<(String, String)>)> = vec![
        ("truncated PEM", env_with("API_SECRET", truncated_pem)),
        ("PEM with a bad body", env_with("API_SECRET", &bad_base64)),
        ("PEM declared as the wrong kind", {
            let mut e = env_with("API_SECRET", EC_SEC1_PEM);
            e.push(var("API_SECRET_KIND", "ed25519"));
            e
        }),
        ("secret pasted into the kind variable", {
            let mut e = env_with("API_SECRET", SECRET);
            e.push(var("API_SECRET_KIND", SECRET));
            e
        }),
        (
            "secret pasted into a _FILE variable",
            env_with("API_SECRET_FILE", SECRET),
        ),
        ("secret given twice", {
            let mut e = env_with("API_SECRET", SECRET);
            e.push(var("API_SECRET_FILE", "/nonexistent"));
            e
        }),
        ("key without secret", vec![var("API_KEY", KEY)]),
    ];
    for (what, vars) in cases {
        let km = KeyManager::new(CredentialsConfig::new(), vars);
        let err = km.credentials("sim", "main").unwrap_err();
        check_error(what, &err);
        let mut factory = ExchangeFactory::new(km);
        factory
            .register("sim", |c: AdapterConfig| {
                Ok(Arc::new(Stub(c.venue)) as Arc<dyn Exchange>)
            })
            .unwrap();
        check_error(what, &factory.get("sim", "main").err().unwrap());
    }
    let err = Credentials::new(
        SecretString::from(KEY),
        SecretString::from(truncated_pem),
        None,
        None,
    )
    .unwrap_err();
    check_error("Credentials::new with a truncated PEM", &err);
}

fn var(suffix: &str, value: &str) -> (String, String) {
    (format!("EXGW_SIM_MAIN_{suffix}"), value.to_owned())
}

fn env_with(suffix: &str, value: &str) -> Vec<(String, String)> {
    vec![var("API_KEY", KEY), var(suffix, value)]
}

#[test]
fn config_parse_errors_never_quote_secrets() {
    // As figment does: parse the document first, then extract the section from the parsed value,
    // so errors come from the typed extraction (TOML syntax errors are the parser's own, see
    // docs/credentials.md).
    let extract = |text: &str| -> String {
        let value: toml::Value = toml::from_str(text).unwrap();
        match ServiceConfig::deserialize_from(value) {
            Ok(_) => panic!("should not parse: {text}"),
            Err(e) => e,
        }
    };
    let cases = [
        format!("[credentials.sim.main]\napi_key = \"k\"\napi_secret = {NUMERIC}\n"),
        format!("[credentials.sim.main]\napi_key = {NUMERIC}\n"),
        format!("[credentials.sim.main]\napi_key = \"k\"\napi_secret_file = {NUMERIC}\n"),
        format!("[credentials.sim.main]\napi_key = \"k\"\nsecret_kind = \"{SECRET}\"\n"),
        format!("[credentials.sim.main]\napi_key = \"k\"\nsecret = \"{SECRET}\"\n"),
        format!("[credentials.sim]\napi_secret = \"{SECRET}\"\n"),
        format!("[credentials]\nsim = \"{SECRET}\"\n"),
        format!("credentials = \"{SECRET}\"\n"),
        format!("[credentials.sim.main]\napi_key = \"k\"\napi_secret = [{NUMERIC}]\n"),
    ];
    for text in cases {
        let err = extract(&text);
        assert_clean(&format!("parse error of {text:?}"), &err);
    }
}

impl ServiceConfig {
    fn deserialize_from(value: toml::Value) -> Result<Self, String> {
        serde::Deserialize::deserialize(value).map_err(|e: toml::de::Error| e.to_string())
    }
}
