//! Injected faults, set by the control API and consumed by the servers.

use std::collections::{HashMap, HashSet};

use serde::{Deserialize, Serialize};

/// The APIs venue-sim serves, each on its own port.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ApiKind {
    /// Spot + margin REST.
    SpotRest,
    /// Spot market streams.
    SpotWs,
    /// Spot WebSocket API.
    WsApi,
    /// Futures REST.
    FuturesRest,
    /// Futures streams.
    FuturesWs,
    /// Kraken REST (`/0/public`, `/0/private`).
    KrakenRest,
    /// Kraken WebSocket v2, public endpoint.
    KrakenWs,
    /// Kraken WebSocket v2, auth endpoint.
    KrakenWsAuth,
    /// Coinbase REST.
    CoinbaseRest,
    /// Coinbase WebSocket, market data.
    CoinbaseWs,
    /// Coinbase WebSocket, user data.
    CoinbaseUserWs,
}

/// Fault state.
#[derive(Debug, Default)]
pub struct Faults {
    http: HashMap<ApiKind, (u16, u32)>,
    latency_ms: HashMap<ApiKind, u64>,
    order_timeouts: HashMap<ApiKind, u32>,
    order_slow_replies: HashMap<ApiKind, (u64, u32)>,
    skip_depth: HashSet<String>,
    corrupt_checksum: HashSet<String>,
}

impl Faults {
    /// Answers the next `count` requests of `api` with HTTP `status`.
    pub fn set_http(&mut self, api: ApiKind, status: u16, count: u32) {
        self.http.insert(api, (status, count));
    }

    /// Consumes one forced status, if any.
    pub fn take_http(&mut self, api: ApiKind) -> Option<u16> {
        let entry = self.http.get_mut(&api)?;
        if entry.1 == 0 {
            return None;
        }
        entry.1 -= 1;
        Some(entry.0)
    }

    /// Adds `ms` of latency to every request/message of `api` (0 removes it).
    pub fn set_latency(&mut self, api: ApiKind, ms: u64) {
        self.latency_ms.insert(api, ms);
    }

    /// Current latency of `api`.
    pub fn latency(&self, api: ApiKind) -> u64 {
        self.latency_ms.get(&api).copied().unwrap_or(0)
    }

    /// Makes the next `count` accepted orders on `api` answer "-1007 timeout" instead of their result.
    pub fn set_order_timeouts(&mut self, api: ApiKind, count: u32) {
        self.order_timeouts.insert(api, count);
    }

    /// Consumes one order timeout, if any.
    pub fn take_order_timeout(&mut self, api: ApiKind) -> bool {
        match self.order_timeouts.get_mut(&api) {
            Some(n) if *n > 0 => {
                *n -= 1;
                true
            }
            _ => false,
        }
    }

    /// Makes the next `count` accepted orders on `api` hold their answer `ms` after the order
    /// took effect: the venue has the order while the client still waits.
    pub fn set_order_slow_replies(&mut self, api: ApiKind, ms: u64, count: u32) {
        self.order_slow_replies.insert(api, (ms, count));
    }

    /// Consumes one slow order reply, if any: how long to hold the answer.
    pub fn take_order_slow_reply(&mut self, api: ApiKind) -> Option<u64> {
        let entry = self.order_slow_replies.get_mut(&api)?;
        if entry.1 == 0 {
            return None;
        }
        entry.1 -= 1;
        Some(entry.0)
    }

    /// Drops the next depth diff of `symbol` on `market` (`spot` / `futures`).
    pub fn skip_depth(&mut self, market: &str, symbol: &str) {
        self.skip_depth.insert(format!("{market}:{symbol}"));
    }

    /// Consumes a pending depth skip.
    pub fn take_skip(&mut self, market: &str, symbol: &str) -> bool {
        self.skip_depth.remove(&format!("{market}:{symbol}"))
    }

    /// Corrupts the checksum of the next Kraken `book` message of `symbol` (v2 name, `BTC/USD`).
    pub fn corrupt_checksum(&mut self, symbol: &str) {
        self.corrupt_checksum.insert(symbol.to_string());
    }

    /// Consumes a pending checksum corruption.
    pub fn take_corrupt_checksum(&mut self, symbol: &str) -> bool {
        !self.corrupt_checksum.is_empty() && self.corrupt_checksum.remove(symbol)
    }

    /// Clears every fault.
    pub fn clear(&mut self) {
        *self = Faults::default();
    }
}
