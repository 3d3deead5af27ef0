//! Venue adapters: one folder per exchange, each speaking the venue's own REST and WebSocket
//! protocol and mapping it onto the normalized types of [`crate::model`].
//!
//! Each adapter keeps its pure protocol layer (wire structs and their mapping, signing, error
//! mapping, order-book sequencing) apart from the I/O that drives it, so that the protocol can be
//! tested against recorded fixtures and replayed offline (`xctl replay book`).

pub mod binance;
pub mod coinbase;
pub mod kraken;

/// Registers every adapter this crate ships with `factory` (Binance: `binance`,
/// `binance-usdm`, `binance-margin`; Coinbase: `coinbase`; Kraken: `kraken`).
pub fn register_all(factory: &mut crate::ExchangeFactory) -> crate::Result<()> {
    binance::register(factory)?;
    coinbase::register(factory)?;
    kraken::register(factory)?;
    Ok(())
}

/// The factory the services run with: every shipped adapter, credentials from the process
/// environment first, then `credentials` (docs/credentials.md).
pub fn shipped_factory(
    credentials: crate::keys::CredentialsConfig,
) -> crate::Result<crate::ExchangeFactory> {
    let keys = crate::KeyManager::from_process_env(credentials);
    let mut factory = crate::ExchangeFactory::new(keys);
    register_all(&mut factory)?;
    Ok(factory)
}
