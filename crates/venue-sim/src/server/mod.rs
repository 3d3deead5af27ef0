//! The I/O side: shared state, the flow/depth driver, and one server per API (REST, market
//! streams, WebSocket API, control).

pub mod conns;
pub mod control;
pub mod driver;
pub mod faults;
pub mod http;
pub mod publish;
pub mod state;
pub mod ws_api;
pub mod ws_market;
