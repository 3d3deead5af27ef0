//! KeyManager: configuration, environment and files, and their precedence.

use std::path::Path;

use exchange_core::keys::{CredentialSource, CredentialsConfig};
use exchange_core::{ErrorKind, KeyManager, SecretKind};
use secrecy::ExposeSecret;

use super::{EC_SEC1_PEM, ED25519_PEM, credentials_from_toml, env};

fn write(dir: &Path, name: &str, content: &str) -> String {
    let path = dir.join(name);
    std::fs::write(&path, content).unwrap();
    path.to_str().unwrap().to_owned()
}

#[test]
fn config_entry_inline_and_from_files() {
    let dir = tempfile::tempdir().unwrap();
    let pem_path = write(dir.path(), "cb.pem", EC_SEC1_PEM);
    let pass_path = write(dir.path(), "pass", "cfg-pass\n");
    let config = credentials_from_toml(&format!(
        r#"
        [credentials.binance.main]
        api_key = "cfg-key"
        api_secret = "cfg-secret"

        [credentials.coinbase.trading]
        api_key = "organizations/o/apiKeys/k"
        api_secret_file = "{pem_path}"
        api_passphrase_file = "{pass_path}"
        "#
    ));
    let km = KeyManager::new(config, env(&[]));

    let binance = km.credentials("binance", "main").unwrap().unwrap();
    assert_eq!(binance.api_key().expose_secret(), "cfg-key");
    assert_eq!(binance.secret().expose_secret(), "cfg-secret");
    assert!(binance.passphrase().is_none());
    assert_eq!(binance.kind(), SecretKind::Hmac);
    assert_eq!(binance.source(), &CredentialSource::Config);

    let coinbase = km.credentials("coinbase", "trading").unwrap().unwrap();
    assert_eq!(coinbase.kind(), SecretKind::EcPem, "inferred from the PEM");
    assert_eq!(coinbase.secret().expose_secret(), EC_SEC1_PEM.trim());
    assert_eq!(
        coinbase.passphrase().unwrap().expose_secret(),
        "cfg-pass",
        "file content is trimmed"
    );

    assert!(km.credentials("binance", "other").unwrap().is_none());
    assert!(km.credentials("kraken", "main").unwrap().is_none());
}

#[test]
fn environment_inline_and_file_variables() {
    let dir = tempfile::tempdir().unwrap();
    let secret_path = write(dir.path(), "secret", "env-file-secret\n");
    let km = KeyManager::new(
        CredentialsConfig::new(),
        env(&[
            ("EXGW_BINANCE_USDM_HEDGE_1_API_KEY", "env-key"),
            ("EXGW_BINANCE_USDM_HEDGE_1_API_SECRET_FILE", &secret_path),
            ("EXGW_BINANCE_USDM_HEDGE_1_API_PASSPHRASE", "env-pass"),
            ("UNRELATED", "ignored"),
        ]),
    );
    let c = km.credentials("binance-usdm", "hedge-1").unwrap().unwrap();
    assert_eq!(c.api_key().expose_secret(), "env-key");
    assert_eq!(c.secret().expose_secret(), "env-file-secret");
    assert_eq!(c.passphrase().unwrap().expose_secret(), "env-pass");
    assert_eq!(
        c.source(),
        &CredentialSource::Env {
            prefix: "EXGW_BINANCE_USDM_HEDGE_1_".into()
        }
    );
}

#[test]
fn environment_wins_over_config_as_a_whole() {
    let config = credentials_from_toml(
        r#"
        [credentials.binance.main]
        api_key = "cfg-key"
        api_secret = "cfg-secret"
        api_passphrase = "cfg-pass"
        "#,
    );
    let km = KeyManager::new(
        config.clone(),
        env(&[
            ("EXGW_BINANCE_MAIN_API_KEY", "env-key"),
            ("EXGW_BINANCE_MAIN_API_SECRET", "env-secret"),
        ]),
    );
    let c = km.credentials("binance", "main").unwrap().unwrap();
    assert_eq!(c.api_key().expose_secret(), "env-key");
    assert_eq!(c.secret().expose_secret(), "env-secret");
    assert!(
        c.passphrase().is_none(),
        "the config's passphrase is not mixed into the environment's credentials"
    );

    // A partial environment does not borrow the rest from the config: it is an error.
    let km = KeyManager::new(config, env(&[("EXGW_BINANCE_MAIN_API_KEY", "env-key")]));
    let err = km.credentials("binance", "main").unwrap_err();
    assert_eq!(err.kind(), ErrorKind::Config);
    let text = err.to_string();
    assert!(text.contains("EXGW_BINANCE_MAIN_API_SECRET_FILE"), "{text}");
}

#[test]
fn a_field_given_inline_and_as_file_is_ambiguous() {
    let dir = tempfile::tempdir().unwrap();
    let path = write(dir.path(), "s", "file-secret");
    let km = KeyManager::new(
        CredentialsConfig::new(),
        env(&[
            ("EXGW_KRAKEN_MAIN_API_KEY", "k"),
            ("EXGW_KRAKEN_MAIN_API_SECRET", "inline-secret"),
            ("EXGW_KRAKEN_MAIN_API_SECRET_FILE", &path),
        ]),
    );
    let text = km.credentials("kraken", "main").unwrap_err().to_string();
    assert!(text.contains("given twice"), "{text}");

    let config = credentials_from_toml(&format!(
        r#"
        [credentials.kraken.main]
        api_key = "k"
        api_secret = "inline-secret"
        api_secret_file = "{path}"
        "#
    ));
    let text = KeyManager::new(config, env(&[]))
        .credentials("kraken", "main")
        .unwrap_err()
        .to_string();
    assert!(
        text.contains("credentials.kraken.main.api_secret_file"),
        "{text}"
    );
}

#[test]
fn secret_kind_is_declared_or_inferred_and_checked() {
    let seed = "AAECAwQFBgcICQoLDA0ODxAREhMUFRYXGBkaGxwdHh8=";
    let km = KeyManager::new(
        CredentialsConfig::new(),
        env(&[
            ("EXGW_BINANCE_ED_API_KEY", "k"),
            ("EXGW_BINANCE_ED_API_SECRET", ED25519_PEM),
            ("EXGW_CB_RAW_API_KEY", "k"),
            ("EXGW_CB_RAW_API_SECRET", seed),
            ("EXGW_CB_RAW_API_SECRET_KIND", "ed25519"),
            ("EXGW_CB_BAD_API_KEY", "k"),
            ("EXGW_CB_BAD_API_SECRET", "not-a-pem"),
            ("EXGW_CB_BAD_API_SECRET_KIND", "ec_pem"),
            ("EXGW_CB_ESC_API_KEY", "k"),
            ("EXGW_CB_ESC_API_SECRET", &EC_SEC1_PEM.replace('\n', "\\n")),
        ]),
    );
    let ed = km.credentials("binance", "ed").unwrap().unwrap();
    assert_eq!(ed.kind(), SecretKind::Ed25519);
    let raw = km.credentials("cb", "raw").unwrap().unwrap();
    assert_eq!(raw.kind(), SecretKind::Ed25519);
    let err = km.credentials("cb", "bad").unwrap_err();
    assert_eq!(err.kind(), ErrorKind::Config);
    assert!(err.to_string().contains("declared ec_pem"), "{err}");
    let escaped = km.credentials("cb", "esc").unwrap().unwrap();
    assert_eq!(escaped.kind(), SecretKind::EcPem);
    assert_eq!(
        escaped.secret().expose_secret(),
        EC_SEC1_PEM.trim(),
        "literal \\n escapes become line breaks"
    );
}

#[test]
fn unreadable_files_name_the_variable() {
    let dir = tempfile::tempdir().unwrap();
    let missing = dir.path().join("absent").to_str().unwrap().to_owned();
    let km = KeyManager::new(
        CredentialsConfig::new(),
        env(&[
            ("EXGW_SIM_MAIN_API_KEY", "k"),
            ("EXGW_SIM_MAIN_API_SECRET_FILE", &missing),
        ]),
    );
    let text = km.credentials("sim", "main").unwrap_err().to_string();
    assert!(text.contains("EXGW_SIM_MAIN_API_SECRET_FILE"), "{text}");
    assert!(!text.contains("absent"), "paths are not printed: {text}");

    let big = write(
        dir.path(),
        "big",
        &"x".repeat(exchange_core::keys::MAX_SECRET_FILE_BYTES as usize + 1),
    );
    let km = KeyManager::new(
        CredentialsConfig::new(),
        env(&[
            ("EXGW_SIM_MAIN_API_KEY", "k"),
            ("EXGW_SIM_MAIN_API_SECRET_FILE", &big),
        ]),
    );
    let text = km.credentials("sim", "main").unwrap_err().to_string();
    assert!(text.contains("larger than"), "{text}");
}

#[test]
fn require_explains_where_credentials_go() {
    let km = KeyManager::new(CredentialsConfig::new(), env(&[]));
    assert!(km.credentials("sim", "main").unwrap().is_none());
    let text = km.require("sim", "main").unwrap_err().to_string();
    assert!(text.contains("EXGW_SIM_MAIN_API_KEY"), "{text}");
    assert!(text.contains("[credentials.sim.main]"), "{text}");
    assert_eq!(
        km.credentials("sim", "../etc").unwrap_err().kind(),
        ErrorKind::Config
    );
}
