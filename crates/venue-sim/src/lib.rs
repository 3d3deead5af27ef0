//! venue-sim: a local Binance (spot, USD-M futures, margin) for tests, demos and benchmarks.
//!
//! - [`engine`]: the pure matching engine, accounts and the synthetic order flow.
//! - [`binance`]: the Binance protocol (signing, parameters, errors, limits, payloads, routes).
//! - [`server`]: the servers (one port per API) and the control API.
//!
//! Start it in-process with [`VenueSim::start`]; see docs/venue-sim.md for ports, keys and routes.

#![warn(missing_docs)]

pub mod binance;
pub mod config;
pub mod engine;
pub mod error;
pub mod server;

use std::net::SocketAddr;
use std::sync::Arc;

use axum::Router;
use tokio::net::TcpListener;
use tokio_util::sync::CancellationToken;
use tokio_util::task::TaskTracker;

pub use config::{DEFAULT_API_KEY, DEFAULT_SECRET_KEY, KeyConfig, Ports, SimConfig};
pub use engine::MarketKind;
pub use error::SimError;
pub use server::faults::ApiKind;
use server::state::Shared;

/// Bound addresses of a running simulator.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Addrs {
    /// Spot + margin REST.
    pub spot_rest: SocketAddr,
    /// Spot market streams.
    pub spot_ws: SocketAddr,
    /// Spot WebSocket API.
    pub ws_api: SocketAddr,
    /// Futures REST.
    pub futures_rest: SocketAddr,
    /// Futures streams.
    pub futures_ws: SocketAddr,
    /// Control API.
    pub control: SocketAddr,
}

impl Addrs {
    /// `http://` base URL of spot REST.
    pub fn spot_rest_url(&self) -> String {
        format!("http://{}", self.spot_rest)
    }
    /// `ws://` base URL of spot streams.
    pub fn spot_ws_url(&self) -> String {
        format!("ws://{}", self.spot_ws)
    }
    /// `ws://` URL of the WebSocket API.
    pub fn ws_api_url(&self) -> String {
        format!("ws://{}/ws-api/v3", self.ws_api)
    }
    /// `http://` base URL of futures REST.
    pub fn futures_rest_url(&self) -> String {
        format!("http://{}", self.futures_rest)
    }
    /// `ws://` base URL of futures streams.
    pub fn futures_ws_url(&self) -> String {
        format!("ws://{}", self.futures_ws)
    }
    /// `http://` base URL of the control API.
    pub fn control_url(&self) -> String {
        format!("http://{}", self.control)
    }
}

/// A running simulator. Dropping it without [`VenueSim::shutdown`] cancels its tasks.
pub struct VenueSim {
    addrs: Addrs,
    shared: Arc<Shared>,
}

impl Drop for VenueSim {
    fn drop(&mut self) {
        self.shared.cancel.cancel();
    }
}

async fn bind(host: &str, port: u16) -> Result<TcpListener, SimError> {
    let addr = format!("{host}:{port}");
    TcpListener::bind(&addr)
        .await
        .map_err(|source| SimError::Bind { addr, source })
}

impl VenueSim {
    /// Binds every API, seeds the books and starts the flow driver.
    pub async fn start(config: SimConfig) -> Result<Self, SimError> {
        let cancel = CancellationToken::new();
        let tracker = TaskTracker::new();
        let host = config.host.clone();
        let ports = config.ports;
        let listeners = [
            bind(&host, ports.spot_rest).await?,
            bind(&host, ports.spot_ws).await?,
            bind(&host, ports.ws_api).await?,
            bind(&host, ports.futures_rest).await?,
            bind(&host, ports.futures_ws).await?,
            bind(&host, ports.control).await?,
        ];
        let local = |l: &TcpListener| {
            l.local_addr().map_err(|source| SimError::Bind {
                addr: host.clone(),
                source,
            })
        };
        let addrs = Addrs {
            spot_rest: local(&listeners[0])?,
            spot_ws: local(&listeners[1])?,
            ws_api: local(&listeners[2])?,
            futures_rest: local(&listeners[3])?,
            futures_ws: local(&listeners[4])?,
            control: local(&listeners[5])?,
        };
        let shared = Arc::new(Shared::new(config, cancel.clone(), tracker.clone()));
        use binance::{futures_rest, spot_rest};
        use engine::MarketKind;
        let routers: [Router; 6] = [
            server::http::router(shared.clone(), ApiKind::SpotRest, spot_rest::endpoints()),
            server::ws_market::router(shared.clone(), MarketKind::Spot),
            server::ws_api::router(shared.clone()),
            server::http::router(
                shared.clone(),
                ApiKind::FuturesRest,
                futures_rest::endpoints(),
            ),
            server::ws_market::router(shared.clone(), MarketKind::Futures),
            server::control::router(shared.clone()),
        ];
        for (listener, router) in listeners.into_iter().zip(routers) {
            let token = cancel.clone();
            let svc = router.into_make_service_with_connect_info::<SocketAddr>();
            tracker.spawn(async move {
                let serve =
                    axum::serve(listener, svc).with_graceful_shutdown(token.cancelled_owned());
                if let Err(e) = serve.await {
                    tracing::warn!(error = %e, "venue-sim listener ended");
                }
            });
        }
        tracker.spawn(server::driver::run(shared.clone()));
        tracing::info!(
            spot_rest = %addrs.spot_rest_url(), spot_ws = %addrs.spot_ws_url(), ws_api = %addrs.ws_api_url(),
            futures_rest = %addrs.futures_rest_url(), futures_ws = %addrs.futures_ws_url(), control = %addrs.control_url(),
            "venue-sim serving"
        );
        Ok(VenueSim { addrs, shared })
    }

    /// Bound addresses.
    pub fn addrs(&self) -> Addrs {
        self.addrs
    }

    /// Runs one driver tick now (flow at the configured rate, then depth publication). Useful in
    /// tests that set `tick_ms` high and drive time themselves.
    pub fn tick(&self) {
        server::driver::tick(&self.shared);
    }

    /// Runs `steps` synthetic-flow steps on `market` now and publishes the resulting trades and
    /// tickers (depth follows on the next tick). Same as `POST /flow/step`.
    pub fn step_flow(&self, market: engine::MarketKind, steps: u64) {
        let mut venue = self.shared.venue();
        server::driver::step_flow(&self.shared, &mut venue, market, steps);
    }

    /// The true book of a symbol: its last update id and every level, best first.
    pub fn truth_book(
        &self,
        market: engine::MarketKind,
        symbol: &str,
    ) -> Option<(u64, engine::book::Levels)> {
        let venue = self.shared.venue();
        let ex = match market {
            engine::MarketKind::Spot => &venue.spot,
            engine::MarketKind::Futures => &venue.futures,
        };
        ex.symbol(symbol)
            .map(|s| (s.book.update_id(), s.book.levels(usize::MAX)))
    }

    /// Injects faults in-process, as the control API does.
    pub fn with_faults<R>(&self, f: impl FnOnce(&mut server::faults::Faults) -> R) -> R {
        f(&mut self.shared.faults())
    }

    /// Drops WebSocket connections (all of `api`, or all when None); returns how many.
    pub fn drop_connections(&self, api: Option<ApiKind>) -> usize {
        self.shared.conns.drop_conns(None, api)
    }

    /// Stops every server and connection and waits for all tasks.
    pub async fn shutdown(self) {
        self.shared.cancel.cancel();
        self.shared.tracker.close();
        self.shared.tracker.wait().await;
    }
}
