//! Order calls of [`CoinbaseExchange`]: place, cancel, status and open orders (§2).
//!
//! Orders carry our client order id as Coinbase's `client_order_id`. Coinbase finds orders by
//! its own order id only, so the adapter remembers the ids of the orders it placed and
//! otherwise looks an order up in `orders/historical/batch` (newest first, by product).
//!
//! A place or cancel whose outcome is unknown (5xx, timeout) is resolved by looking the order
//! up once: found → that order; not found → the error stays
//! [`ExchangeError::UnknownOrderStatus`] for the caller to reconcile. Nothing is ever sent twice.

use super::exchange::CoinbaseExchange;
use super::parse::create::{BatchCancelResponse, CreateOrderResponse};
use super::parse::fills::{self, FillsResponse};
use super::parse::orders::{GetOrderResponse, ListOrdersResponse};
use super::requests::{batch_cancel_body, create_order, fills_query, open_orders_query};
use super::symbols;
use crate::model::{Fill, Order, OrderRequest, Symbol, now_ns};
use crate::{ErrorKind, ExchangeError, Result};

/// Orders per page of `orders/historical/batch`.
const PAGE_LIMIT: u32 = 100;
/// Pages `fetch_open_orders` reads at most.
const MAX_OPEN_ORDER_PAGES: usize = 100;
/// Pages of one order's fills `fetch_order_fills` reads at most.
const MAX_FILL_PAGES: usize = 100;

/// The order the venue acknowledged, as the request described it, for when it cannot be read
/// back at once.
fn acknowledged(request: &OrderRequest, order_id: &str) -> Order {
    request.to_order(Some(order_id.to_owned()), now_ns())
}

impl CoinbaseExchange {
    /// Places one order after validating it against the cached market.
    pub(crate) async fn place(&self, request: &OrderRequest) -> Result<Order> {
        self.adapter.require_credentials("place_order")?;
        let market = self.market(&request.symbol).await?;
        request.validate(&market)?;
        let body = create_order(request)?.to_json()?;
        let placed: Result<CreateOrderResponse> = self.http.post_order("/orders", body).await;
        let accepted = match placed.and_then(CreateOrderResponse::into_result) {
            Ok(accepted) => accepted,
            Err(e) if e.kind() == ErrorKind::UnknownOrderStatus => {
                return self
                    .resolve(&request.symbol, &request.client_order_id, e, |_| true)
                    .await;
            }
            Err(e) => return Err(e),
        };
        self.remember(&request.client_order_id, &accepted.order_id);
        match self.order_by_id(&accepted.order_id).await {
            Ok(order) => Ok(order),
            Err(e) => {
                tracing::warn!(order_id = %accepted.order_id, error = %e,
                    "coinbase: order placed but not readable yet; answering the acknowledgement");
                Ok(acknowledged(request, &accepted.order_id))
            }
        }
    }

    /// Cancels one order by our client order id (`POST /orders/batch_cancel` with its order id).
    pub(crate) async fn cancel(&self, symbol: &Symbol, client_order_id: &str) -> Result<Order> {
        self.adapter.require_credentials("cancel_order")?;
        let order_id = match self.known_id(client_order_id) {
            Some(id) => id,
            None => self
                .find_order(symbol, client_order_id)
                .await?
                .venue_order_id
                .ok_or_else(|| {
                    ExchangeError::InvalidResponse(format!(
                        "coinbase: order {client_order_id} has no order id"
                    ))
                })?,
        };
        let answer: Result<BatchCancelResponse> = self
            .http
            .post_order("/orders/batch_cancel", batch_cancel_body(&[&order_id]))
            .await;
        let result = answer.and_then(|a| {
            a.results.into_iter().next().ok_or_else(|| {
                ExchangeError::InvalidResponse("coinbase batch_cancel: no result".into())
            })
        });
        match result.and_then(|r| r.into_result()) {
            Ok(_) => self.order_by_id(&order_id).await,
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
        tracing::warn!(%symbol, client_order_id, error = %unknown,
            "coinbase: order outcome unknown; looking it up");
        match self.find_order(symbol, client_order_id).await {
            Ok(order) if settled(&order) => Ok(order),
            Ok(order) => {
                tracing::warn!(client_order_id, status = ?order.status,
                    "coinbase: order still unresolved");
                Err(unknown)
            }
            Err(e) => {
                tracing::warn!(client_order_id, error = %e,
                    "coinbase: order not found after an unknown outcome");
                Err(unknown)
            }
        }
    }

    /// `GET /orders/historical/{order_id}`.
    async fn order_by_id(&self, order_id: &str) -> Result<Order> {
        let path = format!("/orders/historical/{}", url_segment(order_id));
        let answer: GetOrderResponse = self.http.get(&path, Vec::new()).await?;
        answer.order.to_order()
    }

    /// One order by our client order id: by its remembered order id, else the newest orders of
    /// its product, page by page (at most `lookup_pages`).
    pub(crate) async fn find_order(&self, symbol: &Symbol, client_order_id: &str) -> Result<Order> {
        self.adapter.require_credentials("fetch_order_status")?;
        if let Some(id) = self.known_id(client_order_id) {
            return self.order_by_id(&id).await;
        }
        let product_id = symbols::to_product_id(symbol)?;
        let mut cursor: Option<String> = None;
        for _ in 0..self.cfg.options.lookup_pages.max(1) {
            let mut query = vec![
                ("product_ids".to_owned(), product_id.clone()),
                ("limit".to_owned(), PAGE_LIMIT.to_string()),
            ];
            if let Some(c) = &cursor {
                query.push(("cursor".to_owned(), c.clone()));
            }
            let page: ListOrdersResponse = self.http.get("/orders/historical/batch", query).await?;
            if let Some(found) = page
                .orders
                .iter()
                .find(|o| o.client_order_id == client_order_id)
            {
                self.remember(client_order_id, &found.order_id);
                return found.to_order();
            }
            match page.next_cursor() {
                Some(next) => cursor = Some(next.to_owned()),
                None => break,
            }
        }
        Err(ExchangeError::OrderNotFound(format!(
            "coinbase: no order {client_order_id} on {symbol}"
        )))
    }

    /// Open orders, of one symbol or all, every page.
    pub(crate) async fn open_orders(&self, symbol: Option<&Symbol>) -> Result<Vec<Order>> {
        self.adapter.require_credentials("fetch_open_orders")?;
        let product_id = symbol.map(symbols::to_product_id).transpose()?;
        let products: Vec<&str> = product_id.iter().map(String::as_str).collect();
        let mut orders = Vec::new();
        let mut cursor: Option<String> = None;
        for _ in 0..MAX_OPEN_ORDER_PAGES {
            let query = open_orders_query(&products, cursor.as_deref());
            let page: ListOrdersResponse = self.http.get("/orders/historical/batch", query).await?;
            for row in &page.orders {
                match row.to_order() {
                    Ok(order) => {
                        self.remember(&row.client_order_id, &row.order_id);
                        orders.push(order);
                    }
                    Err(e) => tracing::warn!(error = %e, "coinbase: unreadable open order"),
                }
            }
            match page.next_cursor() {
                Some(next) => cursor = Some(next.to_owned()),
                None => return Ok(orders),
            }
        }
        tracing::warn!("coinbase: open orders truncated after {MAX_OPEN_ORDER_PAGES} pages");
        Ok(orders)
    }
}

impl CoinbaseExchange {
    /// Every execution of one order, oldest first: the order by our client order id (as for
    /// `fetch_order_status`), then `GET /orders/historical/fills?order_ids=<order id>`, every
    /// page (newest first, cursor-paged), numbered as the `user` channel numbers them.
    pub(crate) async fn order_fills(
        &self,
        symbol: &Symbol,
        client_order_id: &str,
    ) -> Result<Vec<Fill>> {
        let order = self.find_order(symbol, client_order_id).await?;
        let order_id = order.venue_order_id.ok_or_else(|| {
            ExchangeError::InvalidResponse(format!(
                "coinbase: order {client_order_id} has no order id"
            ))
        })?;
        let mut rows = Vec::new();
        let mut cursor: Option<String> = None;
        for page_no in 0..MAX_FILL_PAGES {
            let query = fills_query(&order_id, cursor.as_deref());
            let page: FillsResponse = self.http.get("/orders/historical/fills", query).await?;
            let done = page.fills.is_empty() || page.cursor.is_none() || page.cursor == cursor;
            rows.extend(page.fills);
            cursor = page.cursor;
            if done {
                break;
            }
            if page_no + 1 == MAX_FILL_PAGES {
                tracing::warn!(
                    client_order_id,
                    "coinbase: order fills truncated after {MAX_FILL_PAGES} pages"
                );
            }
        }
        fills::order_fills(&rows, &order_id, client_order_id, now_ns())
    }
}

/// Order ids per `batch_cancel` request (the venue's maximum).
const CANCEL_BATCH: usize = 100;

impl CoinbaseExchange {
    /// Cancels every open order (of `symbol`, or all) with `batch_cancel`, 100 ids a request,
    /// and returns the canceled orders as the venue then holds them. Orders whose cancel was
    /// refused (done meanwhile) are left out.
    pub(crate) async fn cancel_all(&self, symbol: Option<&Symbol>) -> Result<Vec<Order>> {
        self.adapter.require_credentials("cancel_all_orders")?;
        let open = self.open_orders(symbol).await?;
        let ids: Vec<&str> = open
            .iter()
            .filter_map(|o| o.venue_order_id.as_deref())
            .collect();
        let mut canceled = Vec::new();
        for chunk in ids.chunks(CANCEL_BATCH) {
            let answer: BatchCancelResponse = self
                .http
                .post_order("/orders/batch_cancel", batch_cancel_body(chunk))
                .await?;
            let mut accepted = Vec::new();
            for result in answer.results {
                match result.into_result() {
                    Ok(id) => accepted.push(id),
                    Err(e) => tracing::info!(error = %e, "coinbase: an order was not canceled"),
                }
            }
            if accepted.is_empty() {
                continue;
            }
            let mut query: Vec<(String, String)> = accepted
                .iter()
                .map(|id| ("order_ids".to_owned(), id.clone()))
                .collect();
            query.push(("limit".to_owned(), CANCEL_BATCH.to_string()));
            let page: ListOrdersResponse = self.http.get("/orders/historical/batch", query).await?;
            canceled.extend(page.to_orders()?);
        }
        Ok(canceled)
    }
}

/// `text` as one URL path segment (order ids are UUIDs; anything else is escaped).
pub(crate) fn url_segment(text: &str) -> String {
    url::form_urlencoded::byte_serialize(text.as_bytes()).collect()
}
