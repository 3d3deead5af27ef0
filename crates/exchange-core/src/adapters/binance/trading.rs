//! REST calls of [`BinanceExchange`]: markets, balances, positions and orders.
//!
//! Orders carry our client order id as `newClientOrderId` and are found again by it
//! (`origClientOrderId`). A place or cancel whose outcome is unknown (5xx, timeout, `-1007`) is
//! resolved by querying the order once: found → that order; not found or still unreadable → the
//! error stays [`ExchangeError::UnknownOrderStatus`] for the caller to reconcile. Nothing is
//! ever sent twice automatically.

use reqwest::Method;
use serde::de::DeserializeOwned;

use super::Product;
use super::endpoints::{self, POSITION_RISK};
use super::exchange::BinanceExchange;
use super::parse::account::{FuturesBalance, MarginAccount, SpotAccount};
use super::parse::futures_account::PositionRisk;
use super::parse::markets::ExchangeInfo;
use super::parse::my_trades::{self, AccountTrade, PAGE_LIMIT, next_from_id};
use super::parse::orders::OrderResponse;
use super::requests::{
    Params, by_client_order_id_params, new_order_params, open_orders_params, order_trades_params,
};
use crate::model::{Balance, Fill, Market, Order, OrderRequest, Position, Symbol, now_ns};
use crate::ratelimit::binance::{self as limits, CLASS_ACCOUNT, CLASS_MARKET, CLASS_ORDER};
use crate::rest::{Body, RequestKind, RestRequest};
use crate::{ErrorKind, ExchangeError, Result};

/// Pages of one order's executions read at most (1000 trades a page).
const MAX_TRADE_PAGES: usize = 100;

fn pairs(params: Params) -> Vec<(String, String)> {
    params.into_iter().map(|(k, v)| (k.to_owned(), v)).collect()
}

fn with_query(mut request: RestRequest, params: Params) -> RestRequest {
    request.query.extend(pairs(params));
    request
}

/// Adopts the live limits of `exchangeInfo.rateLimits` (§4).
fn adopt_limits(exchange: &BinanceExchange, info: &ExchangeInfo) {
    for limit in &info.rate_limits {
        let bucket = match (
            limit.rate_limit_type.as_str(),
            limit.interval.as_str(),
            limit.interval_num,
        ) {
            ("REQUEST_WEIGHT", "MINUTE", 1) => limits::WEIGHT_1M,
            ("ORDERS", "SECOND", 10) => limits::ORDERS_10S,
            ("ORDERS", "DAY", 1) => limits::ORDERS_1D,
            ("RAW_REQUESTS", "MINUTE", 5) => limits::RAW_5M,
            _ => continue,
        };
        if let Ok(value) = u32::try_from(limit.limit) {
            exchange.http.limiter().set_limit(bucket, value);
        }
    }
}

impl BinanceExchange {
    async fn signed<T: DeserializeOwned>(
        &self,
        what: &str,
        method: Method,
        path: &str,
        params: Params,
        kind: RequestKind,
        weight: u32,
    ) -> Result<T> {
        self.adapter.require_credentials(what)?;
        let cost = match kind {
            RequestKind::Order if method == Method::POST => limits::order_cost(weight),
            RequestKind::Order => limits::request_cost(CLASS_ORDER, weight),
            _ => limits::request_cost(CLASS_ACCOUNT, weight),
        };
        let mut request = RestRequest::new(method.clone(), path)
            .kind(kind)
            .signed()
            .cost(cost);
        if method == Method::POST {
            request = request.body(Body::Form(pairs(params)));
        } else {
            request = with_query(request, params);
        }
        self.http.json(&request).await
    }

    /// `GET exchangeInfo` → the product's markets.
    pub(crate) async fn request_markets(&self) -> Result<Vec<Market>> {
        let product = self.cfg.product;
        let request = RestRequest::get(self.paths.exchange_info).cost(limits::request_cost(
            CLASS_MARKET,
            endpoints::exchange_info_weight(product),
        ));
        let info: ExchangeInfo = self.http.json(&request).await?;
        adopt_limits(self, &info);
        Ok(info.to_markets(product))
    }

    /// Balances of the product's account.
    pub(crate) async fn balances(&self) -> Result<Vec<Balance>> {
        let product = self.cfg.product;
        let path = self.paths.balance;
        let weight = endpoints::balance_weight(product);
        let q = RequestKind::Query;
        Ok(match product {
            Product::Spot => {
                let params = vec![("omitZeroBalances", "true".to_owned())];
                let account: SpotAccount = self
                    .signed("fetch_balance", Method::GET, path, params, q, weight)
                    .await?;
                account.to_balances()
            }
            Product::Margin => {
                let account: MarginAccount = self
                    .signed("fetch_balance", Method::GET, path, vec![], q, weight)
                    .await?;
                account.to_balances()
            }
            Product::UsdM => {
                let rows: Vec<FuturesBalance> = self
                    .signed("fetch_balance", Method::GET, path, vec![], q, weight)
                    .await?;
                rows.iter().map(Balance::from).collect()
            }
        })
    }

    /// Open USD-M positions (`positionRisk` rows with a non-zero amount).
    pub(crate) async fn positions(&self) -> Result<Vec<Position>> {
        if self.cfg.product != Product::UsdM {
            return Err(ExchangeError::NotSupported(format!(
                "{}: Binance spot and margin accounts hold balances, not positions \
                 (fetch_balance shows what is held and borrowed)",
                self.venue
            )));
        }
        let cache = self.cache().await?;
        let rows: Vec<PositionRisk> = self
            .signed(
                "fetch_positions",
                Method::GET,
                POSITION_RISK,
                vec![],
                RequestKind::Query,
                5,
            )
            .await?;
        let mut positions = Vec::new();
        for row in rows.iter().filter(|r| !r.position_amt.is_zero()) {
            match row.to_position(cache.symbols()) {
                Ok(p) => positions.push(p),
                Err(e) => tracing::warn!(error = %e, "binance: position of an unknown market"),
            }
        }
        Ok(positions)
    }

    /// Places one order after validating it against the cached market.
    pub(crate) async fn place(&self, request: &OrderRequest) -> Result<Order> {
        self.adapter.require_credentials("place_order")?;
        let cache = self.cache().await?;
        let market = cache.market(&request.symbol)?;
        request.validate(market)?;
        let params = new_order_params(request, self.cfg.product, &market.venue_id)?;
        let placed: Result<OrderResponse> = self
            .signed(
                "place_order",
                Method::POST,
                self.paths.order,
                params,
                RequestKind::Order,
                1,
            )
            .await;
        match placed {
            Ok(response) => response.to_order(cache.symbols()),
            Err(e) if e.kind() == ErrorKind::UnknownOrderStatus => {
                self.resolve(&request.symbol, &request.client_order_id, e, |_| true)
                    .await
            }
            Err(e) => Err(e),
        }
    }

    /// Cancels one order by our client order id.
    pub(crate) async fn cancel(&self, symbol: &Symbol, client_order_id: &str) -> Result<Order> {
        self.adapter.require_credentials("cancel_order")?;
        let cache = self.cache().await?;
        let params = by_client_order_id_params(cache.venue_id(symbol)?, client_order_id);
        let canceled: Result<OrderResponse> = self
            .signed(
                "cancel_order",
                Method::DELETE,
                self.paths.order,
                params,
                RequestKind::Order,
                1,
            )
            .await;
        match canceled {
            Ok(response) => response.to_order(cache.symbols()),
            Err(e) if e.kind() == ErrorKind::UnknownOrderStatus => {
                self.resolve(symbol, client_order_id, e, |o| o.status.is_terminal())
                    .await
            }
            Err(e) => Err(e),
        }
    }

    /// After an unknown outcome: the order as the venue holds it, when it is found and
    /// `settled` accepts it; otherwise the original error.
    async fn resolve(
        &self,
        symbol: &Symbol,
        client_order_id: &str,
        unknown: ExchangeError,
        settled: impl Fn(&Order) -> bool,
    ) -> Result<Order> {
        tracing::warn!(%symbol, client_order_id, error = %unknown, "binance: order outcome unknown; querying it");
        match self.query_order(symbol, client_order_id).await {
            Ok(order) if settled(&order) => Ok(order),
            Ok(order) => {
                tracing::warn!(client_order_id, status = ?order.status, "binance: order still unresolved");
                Err(unknown)
            }
            Err(e) => {
                tracing::warn!(client_order_id, error = %e, "binance: order not found after an unknown outcome");
                Err(unknown)
            }
        }
    }

    /// One order by our client order id.
    pub(crate) async fn query_order(
        &self,
        symbol: &Symbol,
        client_order_id: &str,
    ) -> Result<Order> {
        let cache = self.cache().await?;
        let params = by_client_order_id_params(cache.venue_id(symbol)?, client_order_id);
        let weight = if self.cfg.product == Product::UsdM {
            1
        } else {
            4
        };
        let response: OrderResponse = self
            .signed(
                "fetch_order_status",
                Method::GET,
                self.paths.order,
                params,
                RequestKind::Query,
                weight,
            )
            .await?;
        response.to_order(cache.symbols())
    }

    /// Open orders, of one symbol or all.
    pub(crate) async fn open_orders(&self, symbol: Option<&Symbol>) -> Result<Vec<Order>> {
        let cache = self.cache().await?;
        let venue_id = symbol.map(|s| cache.venue_id(s)).transpose()?;
        let weight = endpoints::open_orders_weight(self.cfg.product, venue_id.is_some());
        let rows: Vec<OrderResponse> = self
            .signed(
                "fetch_open_orders",
                Method::GET,
                self.paths.open_orders,
                open_orders_params(venue_id),
                RequestKind::Query,
                weight,
            )
            .await?;
        let mut orders = Vec::with_capacity(rows.len());
        for row in &rows {
            match row.to_order(cache.symbols()) {
                Ok(order) => orders.push(order),
                Err(e) => tracing::warn!(error = %e, "binance: open order of an unknown market"),
            }
        }
        Ok(orders)
    }
}

impl BinanceExchange {
    /// Every execution of one order, oldest first: the order by our client order id
    /// (`origClientOrderId`), then its trades by `orderId`. The first page holds the order's
    /// most recent 1000 trades; only when it is full are the trades read again from the oldest
    /// (`fromId`), page by page.
    pub(crate) async fn order_fills(
        &self,
        symbol: &Symbol,
        client_order_id: &str,
    ) -> Result<Vec<Fill>> {
        self.adapter.require_credentials("fetch_order_fills")?;
        let order = self.query_order(symbol, client_order_id).await?;
        if order.filled_quantity.is_zero() {
            return Ok(Vec::new());
        }
        let order_id = order
            .venue_order_id
            .as_deref()
            .and_then(|id| id.parse::<u64>().ok())
            .ok_or_else(|| {
                ExchangeError::InvalidResponse(format!(
                    "binance: order {client_order_id} has no numeric order id"
                ))
            })?;
        let cache = self.cache().await?;
        let venue_id = cache.venue_id(symbol)?.to_owned();
        let mut rows = self.trades_page(&venue_id, order_id, None).await?;
        if next_from_id(&rows, PAGE_LIMIT).is_some() {
            rows.clear();
            let mut from = Some(0);
            let mut pages = 0;
            while let Some(from_id) = from {
                if pages == MAX_TRADE_PAGES {
                    tracing::warn!(
                        client_order_id,
                        "binance: order fills truncated after {MAX_TRADE_PAGES} pages"
                    );
                    break;
                }
                let page = self.trades_page(&venue_id, order_id, Some(from_id)).await?;
                from = next_from_id(&page, PAGE_LIMIT);
                rows.extend(page);
                pages += 1;
            }
        }
        my_trades::order_fills(&rows, order_id, client_order_id, cache.symbols(), now_ns())
    }

    async fn trades_page(
        &self,
        venue_id: &str,
        order_id: u64,
        from_id: Option<u64>,
    ) -> Result<Vec<AccountTrade>> {
        self.signed(
            "fetch_order_fills",
            Method::GET,
            self.paths.my_trades,
            order_trades_params(venue_id, order_id, from_id, PAGE_LIMIT),
            RequestKind::Query,
            endpoints::order_trades_weight(self.cfg.product),
        )
        .await
    }
}
