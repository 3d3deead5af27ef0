//! Private REST calls of [`KrakenExchange`]: balances, margin positions and orders (§2).
//!
//! Orders carry our client order id as `cl_ord_id` and are found again by it (`OpenOrders`,
//! then `ClosedOrders`, both filtered by `cl_ord_id`). A place or cancel whose outcome is
//! unknown (5xx, timeout, `EService:Unavailable`) is resolved by looking the order up once:
//! found → that order; not found → the error stays
//! [`ExchangeError::UnknownOrderStatus`] for the caller to reconcile. Nothing is ever sent twice.

use std::collections::HashMap;
use std::time::Duration;

use super::exchange::{KrakenExchange, MarketCache};
use super::parse::account::{BalanceExResult, OpenPositionsResult, balances_ex};
use super::parse::fills::{self, QUERY_TRADES_BATCH, QueryTradesResult};
use super::parse::orders::{
    AddOrderResult, CancelOrderResult, ClosedOrdersResult, OpenOrdersResult, QueryOrdersResult,
    RestOrder, to_orders,
};
use super::requests::{
    add_order_params, cancel_by_client_order_id, cancel_by_txid, open_orders, query_orders,
    query_trades,
};
use crate::model::{Balance, Fill, Order, OrderRequest, Position, Symbol, now_ns};
use crate::ratelimit::kraken::{self as limits};
use crate::rest::RequestKind;
use crate::{ErrorKind, ExchangeError, Result};

/// `QueryOrders` takes at most this many ids.
const QUERY_BATCH: usize = 50;

/// The order as Kraken acknowledged it (`AddOrder` answers only its id): open, nothing filled.
fn acknowledged(request: &OrderRequest, txid: &str) -> Order {
    request.to_order(Some(txid.to_owned()), now_ns())
}

impl KrakenExchange {
    /// `BalanceEx`: free = balance − hold_trade.
    pub(crate) async fn balances(&self) -> Result<Vec<Balance>> {
        self.adapter.require_credentials("fetch_balance")?;
        let result: BalanceExResult = self.http.query("BalanceEx", Vec::new(), false).await?;
        Ok(balances_ex(&result))
    }

    /// `OpenPositions`: spot margin positions (Kraken's perpetuals live on the separate Kraken
    /// Futures API, which this adapter does not speak).
    pub(crate) async fn positions(&self) -> Result<Vec<Position>> {
        self.adapter.require_credentials("fetch_positions")?;
        let cache = self.cache().await?;
        let params = vec![("docalcs", "true".to_owned())];
        let result: OpenPositionsResult = self.http.query("OpenPositions", params, false).await?;
        let mut out = Vec::with_capacity(result.len());
        for position in result.values() {
            match position.to_position(cache.symbols()) {
                Ok(p) => out.push(p),
                Err(e) => tracing::warn!(error = %e, "kraken: position of an unknown pair"),
            }
        }
        out.sort_by(|a, b| a.symbol.cmp(&b.symbol));
        Ok(out)
    }

    /// Places one order after validating it against the cached market.
    pub(crate) async fn place(&self, request: &OrderRequest) -> Result<Order> {
        self.adapter.require_credentials("place_order")?;
        let cache = self.cache().await?;
        request.validate(cache.market(&request.symbol)?)?;
        let params = add_order_params(request, cache.symbols(), None)?;
        let pair = cache.symbols().rest_pair(&request.symbol)?.to_owned();
        let placed: Result<AddOrderResult> = self
            .http
            .private(
                "AddOrder",
                params,
                RequestKind::Order,
                limits::add_order_cost(&pair),
            )
            .await;
        match placed {
            Ok(result) => {
                let txid = result.order_id()?;
                // The order is placed: a failed read-back must not look like a failed place.
                match self.orders_by_txid(&[txid], &cache).await {
                    Ok(mut orders) if !orders.is_empty() => Ok(orders.remove(0)),
                    Ok(_) => Ok(acknowledged(request, txid)),
                    Err(e) => {
                        tracing::warn!(txid, error = %e, "kraken: placed order not read back");
                        Ok(acknowledged(request, txid))
                    }
                }
            }
            Err(e) if e.kind() == ErrorKind::UnknownOrderStatus => {
                self.resolve(&request.symbol, &request.client_order_id, e, |_| true)
                    .await
            }
            Err(e) => Err(e),
        }
    }

    /// Cancels one order by our client order id and returns it as the venue then holds it.
    pub(crate) async fn cancel(&self, symbol: &Symbol, client_order_id: &str) -> Result<Order> {
        self.adapter.require_credentials("cancel_order")?;
        let cache = self.cache().await?;
        let pair = cache.symbols().rest_pair(symbol)?.to_owned();
        // The order's age is unknown here; charge the penalty of a young order (the most).
        let cost = limits::cancel_order_cost(&pair, Duration::ZERO);
        let canceled: Result<CancelOrderResult> = self
            .http
            .private(
                "CancelOrder",
                cancel_by_client_order_id(client_order_id),
                RequestKind::Order,
                cost,
            )
            .await;
        match canceled {
            Ok(_) => self
                .find_order(symbol, client_order_id)
                .await?
                .ok_or_else(|| {
                    ExchangeError::OrderNotFound(format!(
                        "kraken: order {client_order_id:?} vanished after its cancel"
                    ))
                }),
            Err(e) if e.kind() == ErrorKind::UnknownOrderStatus => {
                self.resolve(symbol, client_order_id, e, |o| o.status.is_terminal())
                    .await
            }
            Err(e) => Err(e),
        }
    }

    /// Cancels the open orders of `symbol` (each by id) or of every pair (`CancelAll`), and
    /// returns them as the venue then holds them. Orders placed while this runs may be
    /// canceled by `CancelAll` without being listed.
    pub(crate) async fn cancel_all(&self, symbol: Option<&Symbol>) -> Result<Vec<Order>> {
        self.adapter.require_credentials("cancel_all_orders")?;
        let cache = self.cache().await?;
        let open = self.open_orders(symbol).await?;
        let txids: Vec<String> = open
            .iter()
            .filter_map(|o| o.venue_order_id.clone())
            .collect();
        if txids.is_empty() {
            return Ok(Vec::new());
        }
        match symbol {
            None => {
                let cost = crate::ratelimit::Cost::new(limits::CLASS_ORDER);
                let _: CancelOrderResult = self
                    .http
                    .private("CancelAll", Vec::new(), RequestKind::Order, cost)
                    .await?;
            }
            Some(symbol) => {
                let pair = cache.symbols().rest_pair(symbol)?.to_owned();
                for txid in &txids {
                    let cost = limits::cancel_order_cost(&pair, Duration::ZERO);
                    let done: Result<CancelOrderResult> = self
                        .http
                        .private(
                            "CancelOrder",
                            cancel_by_txid(txid),
                            RequestKind::Order,
                            cost,
                        )
                        .await;
                    match done {
                        Ok(_) => {}
                        // Filled or canceled meanwhile: it is reported as it now stands.
                        Err(e) if e.kind() == ErrorKind::OrderNotFound => {}
                        Err(e) => return Err(e),
                    }
                }
            }
        }
        let ids: Vec<&str> = txids.iter().map(String::as_str).collect();
        self.orders_by_txid(&ids, &cache).await
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
        tracing::warn!(%symbol, client_order_id, error = %unknown, "kraken: order outcome unknown; looking it up");
        match self.find_order(symbol, client_order_id).await {
            Ok(Some(order)) if settled(&order) => Ok(order),
            Ok(found) => {
                tracing::warn!(
                    client_order_id,
                    found = found.is_some(),
                    "kraken: order still unresolved"
                );
                Err(unknown)
            }
            Err(e) => {
                tracing::warn!(client_order_id, error = %e, "kraken: order lookup failed after an unknown outcome");
                Err(unknown)
            }
        }
    }

    /// One order by our client order id: open orders first, then closed ones.
    pub(crate) async fn find_order(
        &self,
        symbol: &Symbol,
        client_order_id: &str,
    ) -> Result<Option<Order>> {
        Ok(self
            .find_rest_order(symbol, client_order_id)
            .await?
            .map(|(order, _, _)| order))
    }

    /// One order by our client order id (`OpenOrders`, then `ClosedOrders`, both with
    /// `trades=true`): the order, its txid and its trade txids.
    async fn find_rest_order(
        &self,
        symbol: &Symbol,
        client_order_id: &str,
    ) -> Result<Option<(Order, String, Vec<String>)>> {
        self.adapter.require_credentials("fetch_order_status")?;
        let cache = self.cache().await?;
        cache.market(symbol)?;
        let params = open_orders(Some(client_order_id));
        let mine = |orders: &HashMap<String, RestOrder>| -> Result<_> {
            for (txid, rest) in orders {
                let order = rest.to_order(txid, cache.symbols())?;
                if order.client_order_id == client_order_id && &order.symbol == symbol {
                    return Ok(Some((order, txid.clone(), rest.trades.clone())));
                }
            }
            Ok(None)
        };
        let open: OpenOrdersResult = self.http.query("OpenOrders", params.clone(), false).await?;
        if let Some(found) = mine(&open.open)? {
            return Ok(Some(found));
        }
        let closed: ClosedOrdersResult = self.http.query("ClosedOrders", params, true).await?;
        mine(&closed.closed)
    }

    /// Every execution of one order, oldest first: the order by our client order id with its
    /// trade txids, then those trades with `QueryTrades`, 20 at a time (+2 each on the REST
    /// counter, like the other trade-history calls).
    pub(crate) async fn order_fills(
        &self,
        symbol: &Symbol,
        client_order_id: &str,
    ) -> Result<Vec<Fill>> {
        let (_, order_txid, trade_txids) = self
            .find_rest_order(symbol, client_order_id)
            .await?
            .ok_or_else(|| {
                ExchangeError::OrderNotFound(format!(
                    "kraken: no order {client_order_id:?} on {symbol}"
                ))
            })?;
        let cache = self.cache().await?;
        let mut trades = QueryTradesResult::new();
        let ids: Vec<&str> = trade_txids.iter().map(String::as_str).collect();
        for batch in ids.chunks(QUERY_TRADES_BATCH) {
            let page: QueryTradesResult = self
                .http
                .query("QueryTrades", query_trades(batch)?, true)
                .await?;
            trades.extend(page);
        }
        fills::order_fills(
            &order_txid,
            &trade_txids,
            &trades,
            client_order_id,
            cache.symbols(),
            now_ns(),
        )
    }

    /// Open orders, of one symbol or all.
    pub(crate) async fn open_orders(&self, symbol: Option<&Symbol>) -> Result<Vec<Order>> {
        self.adapter.require_credentials("fetch_open_orders")?;
        let cache = self.cache().await?;
        if let Some(symbol) = symbol {
            cache.market(symbol)?;
        }
        let open: OpenOrdersResult = self
            .http
            .query("OpenOrders", open_orders(None), false)
            .await?;
        let mut out = Vec::with_capacity(open.open.len());
        for (txid, order) in &open.open {
            match order.to_order(txid, cache.symbols()) {
                Ok(o) if symbol.is_none_or(|s| *s == o.symbol) => out.push(o),
                Ok(_) => {}
                Err(e) => tracing::warn!(error = %e, "kraken: open order of an unknown pair"),
            }
        }
        out.sort_by(|a, b| {
            (a.created_ts_ns, &a.venue_order_id).cmp(&(b.created_ts_ns, &b.venue_order_id))
        });
        Ok(out)
    }

    /// Orders by venue id (`QueryOrders`, 50 at a time), sorted by creation.
    async fn orders_by_txid(&self, txids: &[&str], cache: &MarketCache) -> Result<Vec<Order>> {
        let mut out = Vec::with_capacity(txids.len());
        for batch in txids.chunks(QUERY_BATCH) {
            let result: QueryOrdersResult = self
                .http
                .query("QueryOrders", query_orders(batch)?, false)
                .await?;
            out.extend(to_orders(&result, cache.symbols())?);
        }
        out.sort_by(|a, b| {
            (a.created_ts_ns, &a.venue_order_id).cmp(&(b.created_ts_ns, &b.venue_order_id))
        });
        Ok(out)
    }
}
