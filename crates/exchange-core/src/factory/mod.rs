//! [`ExchangeFactory`]: builds adapters by venue name, with each account's credentials.
//!
//! Services register every adapter they ship once at start-up (one line per venue), give the
//! factory their [`KeyManager`] and each venue's [`VenueSettings`] from configuration, and then
//! ask for adapters by name:
//!
//! ```
//! use std::sync::Arc;
//! use exchange_core::{
//!     AdapterConfig, Capabilities, Exchange, ExchangeFactory, KeyManager, keys::CredentialsConfig,
//! };
//!
//! struct Sim(AdapterConfig);
//! impl Exchange for Sim {
//!     fn venue(&self) -> &str { &self.0.venue }
//!     fn capabilities(&self) -> Capabilities { Capabilities::EMPTY }
//! }
//!
//! let keys = KeyManager::new(CredentialsConfig::new(), std::iter::empty());
//! let mut factory = ExchangeFactory::new(keys);
//! factory.register("sim", |config| Ok(Arc::new(Sim(config)) as Arc<dyn Exchange>))?;
//! let adapter = factory.get("sim", "main")?; // public: no credentials configured
//! assert_eq!(adapter.venue(), "sim");
//! # Ok::<(), exchange_core::ExchangeError>(())
//! ```

mod config;

pub use config::{AdapterConfig, VenueSettings};

use std::collections::BTreeMap;
use std::fmt;
use std::sync::Arc;

use crate::keys::{KeyManager, env};
use crate::{Exchange, ExchangeError, Result};

/// Builds one adapter from its configuration. Construction does no I/O; `connect` does.
pub type Constructor = Arc<dyn Fn(AdapterConfig) -> Result<Arc<dyn Exchange>> + Send + Sync>;

/// A registry of adapter constructors by venue name, with the credentials and settings to build
/// them. Cheap to clone.
#[derive(Clone, Default)]
pub struct ExchangeFactory {
    constructors: BTreeMap<String, Constructor>,
    settings: BTreeMap<String, VenueSettings>,
    keys: Arc<KeyManager>,
}

impl ExchangeFactory {
    /// An empty factory that takes credentials from `keys`.
    pub fn new(keys: KeyManager) -> Self {
        ExchangeFactory {
            constructors: BTreeMap::new(),
            settings: BTreeMap::new(),
            keys: Arc::new(keys),
        }
    }

    /// Registers the constructor of venue `name` (1–64 ASCII letters, digits, `-`, `_`: it
    /// becomes a NATS subject token). Registering a name twice is an [`ExchangeError::Config`].
    pub fn register<F>(&mut self, name: &str, constructor: F) -> Result<()>
    where
        F: Fn(AdapterConfig) -> Result<Arc<dyn Exchange>> + Send + Sync + 'static,
    {
        env::check_name("venue", name)?;
        if self.constructors.contains_key(name) {
            return Err(ExchangeError::Config(format!(
                "venue {name:?} is registered twice"
            )));
        }
        self.constructors
            .insert(name.to_owned(), Arc::new(constructor));
        Ok(())
    }

    /// Sets the base-URL overrides and options of a registered venue.
    pub fn configure(&mut self, name: &str, settings: VenueSettings) -> Result<()> {
        self.check_known(name)?;
        self.settings.insert(name.to_owned(), settings);
        Ok(())
    }

    /// The registered venue names, sorted.
    pub fn names(&self) -> impl Iterator<Item = &str> {
        self.constructors.keys().map(String::as_str)
    }

    /// Whether `name` is registered.
    pub fn is_registered(&self, name: &str) -> bool {
        self.constructors.contains_key(name)
    }

    /// The key manager the factory takes credentials from.
    pub fn keys(&self) -> &KeyManager {
        &self.keys
    }

    /// The configuration [`Self::get`] would build `name`/`account` with.
    pub fn config_for(&self, name: &str, account: &str) -> Result<AdapterConfig> {
        self.check_known(name)?;
        let credentials = self.keys.credentials(name, account)?;
        let settings = self.settings.get(name).cloned().unwrap_or_default();
        Ok(AdapterConfig {
            venue: name.to_owned(),
            account: account.to_owned(),
            credentials,
            base_urls: settings.base_urls,
            options: settings.options,
        })
    }

    /// Builds the adapter of venue `name` for `account`, with the account's credentials when the
    /// [`KeyManager`] has them and without (public market data only) when it has none.
    ///
    /// Errors ([`ExchangeError::Config`]): unknown venue (the message lists the known ones),
    /// invalid account name, credentials that exist but are broken (incomplete, unreadable file,
    /// malformed key: never silently downgraded to public), the constructor's own errors, and an
    /// adapter that reports another venue name than it was built as.
    pub fn get(&self, name: &str, account: &str) -> Result<Arc<dyn Exchange>> {
        let config = self.config_for(name, account)?;
        self.build(config)
    }

    /// Like [`Self::get`], but an account without credentials is an error: for services that
    /// trade (the order-gateway), where a public adapter would only fail later.
    pub fn get_authenticated(&self, name: &str, account: &str) -> Result<Arc<dyn Exchange>> {
        let config = self.config_for(name, account)?;
        if config.credentials.is_none() {
            // Answers the "no credentials for ..., set ..." error.
            self.keys.require(name, account)?;
        }
        self.build(config)
    }

    fn build(&self, config: AdapterConfig) -> Result<Arc<dyn Exchange>> {
        let name = config.venue.clone();
        let constructor = self.constructor(&name)?;
        let adapter = constructor(config)?;
        if adapter.venue() != name {
            return Err(ExchangeError::Config(format!(
                "the adapter registered as {name:?} reports venue {:?}; it must report \
                 AdapterConfig::venue",
                adapter.venue()
            )));
        }
        Ok(adapter)
    }

    fn constructor(&self, name: &str) -> Result<&Constructor> {
        self.constructors
            .get(name)
            .ok_or_else(|| self.unknown(name))
    }

    fn check_known(&self, name: &str) -> Result<()> {
        self.constructor(name).map(|_| ())
    }

    fn unknown(&self, name: &str) -> ExchangeError {
        let known: Vec<&str> = self.names().collect();
        let known = if known.is_empty() {
            "none are registered".to_owned()
        } else {
            format!("known venues: {}", known.join(", "))
        };
        ExchangeError::Config(format!("unknown venue {name:?} ({known})"))
    }
}

impl fmt::Debug for ExchangeFactory {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("ExchangeFactory")
            .field("venues", &self.names().collect::<Vec<_>>())
            .field("settings", &self.settings)
            .field("keys", &self.keys)
            .finish()
    }
}
