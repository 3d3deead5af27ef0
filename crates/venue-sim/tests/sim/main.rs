//! venue-sim integration tests: real sockets on 127.0.0.1 port 0, clients that know only
//! Binance's public documentation.

mod book_sync;
mod common;
mod control;
mod errors;
mod fixtures;
mod products;
