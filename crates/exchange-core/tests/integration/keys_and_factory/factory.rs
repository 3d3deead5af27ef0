//! ExchangeFactory: building adapters by name with each account's credentials and settings.

use std::sync::{Arc, Mutex};

use exchange_core::keys::CredentialsConfig;
use exchange_core::{
    AdapterConfig, Capabilities, ErrorKind, Exchange, ExchangeFactory, KeyManager, SecretKind,
    VenueSettings,
};
use secrecy::ExposeSecret;

use super::env;

/// An adapter that only remembers what it was built with.
struct Recorder {
    venue: String,
}

impl Exchange for Recorder {
    fn venue(&self) -> &str {
        &self.venue
    }

    fn capabilities(&self) -> Capabilities {
        Capabilities::EMPTY
    }
}

type Seen = Arc<Mutex<Vec<AdapterConfig>>>;

/// A factory with `sim` and `other` registered over `keys`; `sim` records its configs.
fn factory(keys: KeyManager) -> (ExchangeFactory, Seen) {
    let seen: Seen = Arc::default();
    let mut f = ExchangeFactory::new(keys);
    let record = seen.clone();
    f.register("sim", move |config: AdapterConfig| {
        let venue = config.venue.clone();
        record.lock().unwrap().push(config);
        Ok(Arc::new(Recorder { venue }) as Arc<dyn Exchange>)
    })
    .unwrap();
    f.register("other", |config: AdapterConfig| {
        Ok(Arc::new(Recorder {
            venue: config.venue,
        }) as Arc<dyn Exchange>)
    })
    .unwrap();
    (f, seen)
}

fn no_keys() -> KeyManager {
    KeyManager::new(CredentialsConfig::new(), env(&[]))
}

#[test]
fn get_builds_a_public_adapter_when_the_account_has_no_credentials() {
    let (f, seen) = factory(no_keys());
    let adapter = f.get("sim", "md").unwrap();
    assert_eq!(adapter.venue(), "sim");
    let seen = seen.lock().unwrap();
    assert_eq!(seen.len(), 1);
    assert_eq!(seen[0].venue, "sim");
    assert_eq!(seen[0].account, "md");
    assert!(seen[0].credentials.is_none());
    assert_eq!(seen[0].options, serde_json::json!({}));
    let err = seen[0]
        .require_credentials("subscribe_account")
        .unwrap_err();
    assert_eq!(err.kind(), ErrorKind::Config);
}

#[test]
fn get_hands_over_credentials_and_venue_settings() {
    let keys = KeyManager::new(
        CredentialsConfig::new(),
        env(&[
            ("EXGW_SIM_MAIN_API_KEY", "key-1"),
            ("EXGW_SIM_MAIN_API_SECRET", "secret-1"),
        ]),
    );
    let (mut f, seen) = factory(keys);
    let settings: VenueSettings = toml::from_str(
        r#"
        base_urls = { rest = "http://127.0.0.1:18080", ws = "ws://127.0.0.1:18081/ws" }
        options = { recv_window_ms = 5000 }
        "#,
    )
    .unwrap();
    f.configure("sim", settings).unwrap();
    f.get("sim", "main").unwrap();
    let seen = seen.lock().unwrap();
    let config = &seen[0];
    let credentials = config.credentials.as_ref().unwrap();
    assert_eq!(credentials.api_key().expose_secret(), "key-1");
    assert_eq!(credentials.secret().expose_secret(), "secret-1");
    assert_eq!(credentials.kind(), SecretKind::Hmac);
    assert_eq!(
        config.base_url("rest", "https://api.binance.com"),
        "http://127.0.0.1:18080"
    );
    assert_eq!(
        config.base_url("ws_private", "wss://real"),
        "wss://real",
        "roles without an override keep the real venue"
    );
    assert_eq!(config.options["recv_window_ms"], 5000);
}

#[test]
fn unknown_venue_is_a_config_error_listing_the_known_ones() {
    let (mut f, _) = factory(no_keys());
    for err in [
        f.get("nope", "main").err().unwrap(),
        f.get_authenticated("nope", "main").err().unwrap(),
        f.configure("nope", VenueSettings::default()).unwrap_err(),
    ] {
        assert_eq!(err.kind(), ErrorKind::Config);
        let text = err.to_string();
        assert!(text.contains("\"nope\""), "{text}");
        assert!(text.contains("known venues: other, sim"), "{text}");
    }
    let empty = ExchangeFactory::new(no_keys());
    let text = empty.get("sim", "main").err().unwrap().to_string();
    assert!(text.contains("none are registered"), "{text}");
}

#[test]
fn get_authenticated_requires_credentials_and_says_where_to_put_them() {
    let (f, seen) = factory(no_keys());
    let err = f.get_authenticated("sim", "main").err().unwrap();
    assert_eq!(err.kind(), ErrorKind::Config);
    let text = err.to_string();
    assert!(text.contains("EXGW_SIM_MAIN_API_KEY"), "{text}");
    assert!(text.contains("[credentials.sim.main]"), "{text}");
    assert!(seen.lock().unwrap().is_empty(), "nothing was built");
}

#[test]
fn broken_credentials_fail_instead_of_falling_back_to_public() {
    let keys = KeyManager::new(
        CredentialsConfig::new(),
        env(&[("EXGW_SIM_MAIN_API_KEY", "key-without-secret")]),
    );
    let (f, seen) = factory(keys);
    let err = f.get("sim", "main").err().unwrap();
    assert_eq!(err.kind(), ErrorKind::Config);
    assert!(err.to_string().contains("API secret is missing"), "{err}");
    assert!(seen.lock().unwrap().is_empty());
}

#[test]
fn registration_rejects_duplicates_and_unsafe_names() {
    let (mut f, _) = factory(no_keys());
    let build = |c: AdapterConfig| Ok(Arc::new(Recorder { venue: c.venue }) as Arc<dyn Exchange>);
    assert_eq!(
        f.register("sim", build).unwrap_err().kind(),
        ErrorKind::Config
    );
    for bad in ["", "bin.ance", "bin ance", "md.>", "*"] {
        assert_eq!(
            f.register(bad, build).unwrap_err().kind(),
            ErrorKind::Config,
            "{bad:?}"
        );
    }
    assert_eq!(f.names().collect::<Vec<_>>(), vec!["other", "sim"]);
    assert!(f.is_registered("sim") && !f.is_registered("bin.ance"));
    assert_eq!(
        f.get("sim", "a.b").err().unwrap().kind(),
        ErrorKind::Config,
        "account names become subject tokens"
    );
}

#[test]
fn an_adapter_must_report_the_name_it_was_built_as() {
    let mut f = ExchangeFactory::new(no_keys());
    f.register("alias", |_| {
        Ok(Arc::new(Recorder {
            venue: "hardcoded".into(),
        }) as Arc<dyn Exchange>)
    })
    .unwrap();
    let err = f.get("alias", "main").err().unwrap();
    assert_eq!(err.kind(), ErrorKind::Config);
    assert!(err.to_string().contains("\"hardcoded\""), "{err}");
}

#[test]
fn constructor_errors_pass_through() {
    let mut f = ExchangeFactory::new(no_keys());
    f.register("picky", |config| {
        config.require_credentials("this adapter")?;
        Ok(Arc::new(Recorder {
            venue: config.venue,
        }) as Arc<dyn Exchange>)
    })
    .unwrap();
    let err = f.get("picky", "main").err().unwrap();
    assert_eq!(err.kind(), ErrorKind::Config);
    assert!(
        err.to_string().contains("this adapter needs credentials"),
        "{err}"
    );
}
