//! venue-sim integration tests: real sockets on 127.0.0.1 port 0, clients that know only
//! Binance's or Kraken's public documentation.

mod account_trades;
mod book_sync;
mod coinbase_auth;
mod coinbase_common;
mod coinbase_fixtures;
mod coinbase_rest;
mod coinbase_ws;
mod common;
mod control;
mod errors;
mod fixtures;
mod kraken_book;
mod kraken_common;
mod kraken_errors;
mod kraken_rest;
mod kraken_ws;
mod products;
