//! venue-sim: a local Binance (spot, USD-M futures, margin), Kraken (spot) and Coinbase Advanced
//! Trade for tests, demos and benchmarks.
//!
//! - [`engine`]: the pure matching engine, accounts and the synthetic order flow.
//! - [`binance`]: the Binance protocol (signing, parameters, errors, limits, payloads, routes).
//! - [`kraken`]: the Kraken protocol (REST `/0`, WebSocket v2) on its own market.
//! - [`coinbase`]: Coinbase Advanced Trade (REST `/api/v3/brokerage` with JWT, WebSocket market
//!   and user endpoints) on its own spot and INTX perpetual markets.
//! - [`server`]: the servers (one port per API) and the control API.
//!
//! Start it in-process with [`VenueSim::start`]; see docs/venue-sim.md for ports, keys and routes.

#![warn(missing_docs)]

pub mod binance;
pub mod coinbase;
pub mod config;
pub mod engine;
pub mod error;
pub mod kraken;
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
pub use kraken::config::{DEFAULT_KRAKEN_API_KEY, DEFAULT_KRAKEN_SECRET};
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
    /// Kraken REST.
    pub kraken_rest: SocketAddr,
    /// Kraken WebSocket v2, public.
    pub kraken_ws: SocketAddr,
    /// Kraken WebSocket v2, auth.
    pub kraken_ws_auth: SocketAddr,
    /// Coinbase REST.
    pub coinbase_rest: SocketAddr,
    /// Coinbase WebSocket, market data.
    pub coinbase_ws: SocketAddr,
    /// Coinbase WebSocket, user data.
    pub coinbase_user_ws: SocketAddr,
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
    /// Every Binance API's base URL by the role names clients configure them under
    /// (`spot_rest`, `spot_ws`, `ws_api`, `futures_rest`, `futures_ws`: the keys of
    /// `[venues.binance.base_urls]`).
    pub fn binance_base_urls(&self) -> std::collections::BTreeMap<String, String> {
        [
            ("spot_rest", self.spot_rest_url()),
            ("spot_ws", self.spot_ws_url()),
            ("ws_api", self.ws_api_url()),
            ("futures_rest", self.futures_rest_url()),
            ("futures_ws", self.futures_ws_url()),
        ]
        .into_iter()
        .map(|(role, url)| (role.to_owned(), url))
        .collect()
    }
    /// `http://` base URL of the control API.
    pub fn control_url(&self) -> String {
        format!("http://{}", self.control)
    }
    /// `http://` base URL of Kraken REST (append `/0/public/Time`).
    pub fn kraken_rest_url(&self) -> String {
        format!("http://{}", self.kraken_rest)
    }
    /// `ws://` URL of the Kraken v2 public endpoint.
    pub fn kraken_ws_url(&self) -> String {
        format!("ws://{}/v2", self.kraken_ws)
    }
    /// `ws://` URL of the Kraken v2 auth endpoint.
    pub fn kraken_ws_auth_url(&self) -> String {
        format!("ws://{}/v2", self.kraken_ws_auth)
    }
    /// `http://` base URL of Coinbase REST (append `/api/v3/brokerage/...`).
    pub fn coinbase_rest_url(&self) -> String {
        format!("http://{}", self.coinbase_rest)
    }
    /// `ws://` URL of the Coinbase market-data WebSocket.
    pub fn coinbase_ws_url(&self) -> String {
        format!("ws://{}", self.coinbase_ws)
    }
    /// `ws://` URL of the Coinbase user-data WebSocket.
    pub fn coinbase_user_ws_url(&self) -> String {
        format!("ws://{}", self.coinbase_user_ws)
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
            bind(&host, ports.kraken_rest).await?,
            bind(&host, ports.kraken_ws).await?,
            bind(&host, ports.kraken_ws_auth).await?,
            bind(&host, ports.coinbase_rest).await?,
            bind(&host, ports.coinbase_ws).await?,
            bind(&host, ports.coinbase_user_ws).await?,
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
            kraken_rest: local(&listeners[6])?,
            kraken_ws: local(&listeners[7])?,
            kraken_ws_auth: local(&listeners[8])?,
            coinbase_rest: local(&listeners[9])?,
            coinbase_ws: local(&listeners[10])?,
            coinbase_user_ws: local(&listeners[11])?,
        };
        let shared = Arc::new(Shared::new(config, cancel.clone(), tracker.clone()));
        use binance::{futures_rest, spot_rest};
        use engine::MarketKind;
        let routers: [Router; 12] = [
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
            kraken::http::router(shared.clone()),
            kraken::ws::router(shared.clone(), false),
            kraken::ws::router(shared.clone(), true),
            coinbase::rest::router(shared.clone()),
            coinbase::ws::router(shared.clone(), coinbase::ws_session::Endpoint::Market),
            coinbase::ws::router(shared.clone(), coinbase::ws_session::Endpoint::User),
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
            kraken_rest = %addrs.kraken_rest_url(), kraken_ws = %addrs.kraken_ws_url(), kraken_ws_auth = %addrs.kraken_ws_auth_url(),
            coinbase_rest = %addrs.coinbase_rest_url(), coinbase_ws = %addrs.coinbase_ws_url(), coinbase_user_ws = %addrs.coinbase_user_ws_url(),
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

    /// Runs `steps` steps of the Kraken flow now, publishing after each (same as
    /// `POST /flow/step` with `market: "kraken"`).
    pub fn step_kraken_flow(&self, steps: u64) {
        let mut venue = self.shared.kraken.venue();
        kraken::publish::step_flow(&self.shared, &mut venue, steps);
    }

    /// The true Kraken book of a pair (any of its names), every level, best first.
    pub fn kraken_truth_book(&self, pair: &str) -> Option<engine::book::Levels> {
        let p = self.shared.kraken.pair(pair)?;
        let venue = self.shared.kraken.venue();
        venue
            .ex
            .symbol(&p.altname)
            .map(|s| s.book.levels(usize::MAX))
    }

    /// Runs `steps` steps of the Coinbase spot (or INTX perpetual) flow now and publishes the
    /// trades (same as `POST /coinbase/flow/step`; level2 follows on the next tick).
    pub fn step_coinbase_flow(&self, perp: bool, steps: u64) {
        let cb = &self.shared.coinbase;
        let mut venue = cb.venue();
        coinbase::feed::step_flow(cb, &mut venue, perp, steps, self.shared.now());
    }

    /// The true Coinbase book of a product: its update id and every level, best first.
    pub fn coinbase_truth_book(&self, product_id: &str) -> Option<(u64, engine::book::Levels)> {
        let cb = &self.shared.coinbase;
        let perp = cb.is_perp(product_id)?;
        let venue = cb.venue();
        venue
            .market(perp)
            .symbol(product_id)
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
