//! The market-data-gateway end to end: a real nats-server (testkit), venue-sim in-process over
//! real sockets, the gateway's pipeline in-process (`market_data_gateway::Gateway`), and plain
//! NATS clients that rebuild books (`bus::BookConsumer`) and watch status and trades.
//!
//! - [`faults`]: books equal venue-sim's truth at the start and again after an injected
//!   sequence gap, a dropped venue connection, a NATS restart and a garbage frame; the status
//!   subject shows each transition; trades arrive once each, in order, with the venue's ids;
//!   exactly the garbage frames sent are counted.
//! - [`polling`]: the venue's WebSocket refused, REST polling stands in (status `polling`), books
//!   and trades keep following the venue, and the stream takes over again (`resynced`).

mod faults;
mod harness;
mod observe;
mod polling;
mod ws_proxy;
