//! Session settings per venue, from the protocol notes in `shared/exchanges/`. Adapters start
//! from these and override what their deployment needs (URLs point at venue-sim in tests).

use std::time::Duration;

use super::config::{PingConfig, PingKind, SessionConfig};

/// Binance spot market streams: the server pings every 20 s (answered automatically), cuts
/// connections at 24 h (we leave at 23 h 50 min), allows 5 incoming messages per second and
/// 300 connection attempts per 5 minutes per IP.
pub fn binance(name: impl Into<String>, url: impl Into<String>) -> SessionConfig {
    let mut cfg = SessionConfig::new(name, url);
    // Three missed server pings (20 s apart) mean the stream is dead.
    cfg.stale_after = Duration::from_secs(60);
    cfg.max_connection_age = Some(Duration::from_secs(24 * 3600 - 10 * 60));
    cfg.min_send_interval = Some(Duration::from_millis(250));
    cfg.max_attempts = 300;
    cfg.attempt_window = Duration::from_secs(300);
    cfg
}

/// Coinbase Advanced Trade: subscribe to `heartbeats` (one per second) to keep channels open;
/// connections are limited to 8 per second per IP.
pub fn coinbase(name: impl Into<String>, url: impl Into<String>) -> SessionConfig {
    let mut cfg = SessionConfig::new(name, url);
    cfg.stale_after = Duration::from_secs(10);
    cfg.min_send_interval = Some(Duration::from_millis(150));
    cfg
}

/// Kraken WebSocket v2: a `heartbeat` frame about once a second once subscribed, and an
/// application ping (`{"method":"ping"}`) to keep an otherwise idle connection visibly alive.
pub fn kraken(name: impl Into<String>, url: impl Into<String>) -> SessionConfig {
    let mut cfg = SessionConfig::new(name, url);
    cfg.stale_after = Duration::from_secs(10);
    cfg.ping = Some(PingConfig {
        kind: PingKind::Application,
        interval: Duration::from_secs(5),
    });
    cfg
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn binance_leaves_before_the_24_hour_cut() {
        let cfg = binance("b", "wss://stream.binance.com:9443/ws");
        assert!(cfg.max_connection_age.unwrap() < Duration::from_secs(24 * 3600));
        // 5 messages per second at most.
        assert!(cfg.min_send_interval.unwrap() >= Duration::from_millis(200));
        assert_eq!(
            kraken("k", "wss://ws.kraken.com/v2").ping.unwrap().kind,
            PingKind::Application
        );
        assert!(
            coinbase("c", "wss://advanced-trade-ws.coinbase.com")
                .ping
                .is_none()
        );
    }
}
