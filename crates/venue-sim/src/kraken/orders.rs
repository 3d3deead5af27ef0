//! Kraken order entry on the engine, shared by REST `AddOrder` and WS `add_order`: the request
//! (parsed from either wire), checks in Kraken's terms, the per-pair trading counter, placing
//! and cancelling. The REST order object is in [`super::order_json`].

use rust_decimal::Decimal;

use super::error::KrakenError;
use super::ids::order_txid;
use super::json::fixed;
use super::limits::cancel_cost;
use super::pairs::KrakenPair;
use super::state::{KrakenVenue, OrderMeta};
use crate::engine::exchange::SideEffect;
use crate::engine::spec::FilterFailure;
use crate::engine::{EngineError, NewOrder, Order, OrderType, Side, TimeInForce};

/// A new-order request in Kraken's vocabulary.
#[derive(Debug, Clone, PartialEq)]
pub struct OrderRequest {
    /// Pair altname.
    pub pair: String,
    /// Side.
    pub side: Side,
    /// Kraken order type (`limit`, `market`, `stop-loss-limit`, `take-profit-limit`).
    pub ordertype: String,
    /// Volume (base), or quote volume with `viqc`.
    pub volume: Decimal,
    /// `price` (limit price; trigger price of stop-limit orders).
    pub price: Option<Decimal>,
    /// `price2` (limit price of stop-limit orders).
    pub price2: Option<Decimal>,
    /// Post-only.
    pub post: bool,
    /// Volume in quote currency (`viqc`, market buys).
    pub viqc: bool,
    /// Other flags as given (`fciq`, `nompp`, …).
    pub oflags: Vec<String>,
    /// IOC instead of GTC.
    pub ioc: bool,
    /// `cl_ord_id`.
    pub cl_ord_id: Option<String>,
    /// `userref`.
    pub userref: i64,
}

/// Side from Kraken's `buy` / `sell`.
pub fn parse_side(s: &str) -> Option<Side> {
    match s {
        "buy" => Some(Side::Buy),
        "sell" => Some(Side::Sell),
        _ => None,
    }
}

/// Kraken spelling of a side.
pub fn side_str(s: Side) -> &'static str {
    match s {
        Side::Buy => "buy",
        Side::Sell => "sell",
    }
}

fn engine_error(e: EngineError, pair: &KrakenPair, qty: Decimal) -> KrakenError {
    match e {
        EngineError::UnknownSymbol => KrakenError::unknown_pair(),
        EngineError::Filter(FilterFailure::Price) => KrakenError::new(format!(
            "EOrder:Invalid price:{} price can only be specified up to {} decimals.",
            pair.altname, pair.pair_decimals
        )),
        EngineError::Filter(FilterFailure::LotSize) if qty < pair.ordermin => {
            KrakenError::new("EOrder:Order minimum not met")
        }
        EngineError::Filter(FilterFailure::LotSize) => {
            KrakenError::invalid_arguments(Some("volume"))
        }
        EngineError::Filter(FilterFailure::Notional) => {
            KrakenError::new("EOrder:Cost minimum not met")
        }
        EngineError::InsufficientBalance | EngineError::MarginInsufficient => {
            KrakenError::new("EOrder:Insufficient funds")
        }
        EngineError::InsufficientLiquidity => KrakenError::new("EOrder:Insufficient funds"),
        EngineError::WouldTake => KrakenError::new("EOrder:Post only order"),
        EngineError::WouldTrigger => KrakenError::invalid_arguments(Some("price")),
        EngineError::Duplicate => KrakenError::new("EOrder:Duplicate order"),
        EngineError::UnknownOrder => KrakenError::unknown_order(),
        EngineError::ReduceOnly | EngineError::UnknownAccount => {
            KrakenError::new("EGeneral:Internal error")
        }
    }
}

impl OrderRequest {
    /// The engine request for account `account`.
    fn to_engine(&self, account: usize) -> Result<NewOrder, KrakenError> {
        let (kind, price, stop) = match self.ordertype.as_str() {
            "market" => (OrderType::Market, None, None),
            "limit" if self.post => (OrderType::LimitMaker, self.price, None),
            "limit" => (OrderType::Limit, self.price, None),
            "stop-loss-limit" => (OrderType::StopLossLimit, self.price2, self.price),
            "take-profit-limit" => (OrderType::TakeProfitLimit, self.price2, self.price),
            _ => return Err(KrakenError::invalid_arguments(Some("ordertype"))),
        };
        if kind != OrderType::Market && price.is_none() {
            let field = if kind.is_stop() { "price2" } else { "price" };
            return Err(KrakenError::invalid_arguments(Some(field)));
        }
        if kind.is_stop() && stop.is_none() {
            return Err(KrakenError::invalid_arguments(Some("price")));
        }
        let quote = self.viqc && kind == OrderType::Market && self.side == Side::Buy;
        Ok(NewOrder {
            account,
            symbol: self.pair.clone(),
            side: self.side,
            kind,
            tif: if self.ioc {
                TimeInForce::Ioc
            } else {
                TimeInForce::Gtc
            },
            price,
            qty: if quote { None } else { Some(self.volume) },
            quote_qty: if quote { Some(self.volume) } else { None },
            stop_price: stop,
            client_id: self.cl_ord_id.clone(),
            reduce_only: false,
            side_effect: SideEffect::None,
        })
    }

    fn oflags_text(&self) -> String {
        let mut v: Vec<&str> = Vec::new();
        if self.post {
            v.push("post");
        }
        v.extend(self.oflags.iter().map(String::as_str));
        if !v.iter().any(|f| *f == "fciq" || *f == "fcib") {
            v.push("fciq");
        }
        v.join(",")
    }

    /// `descr.order` text: `buy 1.25000000 XBTUSD @ limit 37500.0`.
    pub fn describe(&self, pair: &KrakenPair) -> String {
        let vol = fixed(self.volume, pair.lot_decimals);
        let px = |p: Option<Decimal>| fixed(p.unwrap_or_default(), pair.pair_decimals);
        let tail = match self.ordertype.as_str() {
            "market" => "market".to_string(),
            "limit" => format!("limit {}", px(self.price)),
            "stop-loss-limit" => {
                format!("stop loss {} -> limit {}", px(self.price), px(self.price2))
            }
            "take-profit-limit" => {
                format!(
                    "take profit {} -> limit {}",
                    px(self.price),
                    px(self.price2)
                )
            }
            other => other.to_string(),
        };
        format!("{} {vol} {} @ {tail}", side_str(self.side), pair.altname)
    }
}

/// Charges the per-pair trading counter of key `key`.
fn charge_trading(
    venue: &mut KrakenVenue,
    key: usize,
    pair: &str,
    cost: u32,
    cfg: &super::limits::CounterConfig,
    now: u64,
) -> Result<(), KrakenError> {
    let Some(k) = venue.keys.get_mut(key) else {
        return Err(KrakenError::invalid_key());
    };
    k.trading
        .entry(pair.to_string())
        .or_default()
        .charge(cfg, cost, now)
        .then_some(())
        .ok_or_else(KrakenError::order_rate_limit)
}

/// Checks (and with `validate` stops there) and places an order; returns the engine order.
pub fn place(
    venue: &mut KrakenVenue,
    key: usize,
    pair: &KrakenPair,
    req: &OrderRequest,
    cfg: &super::limits::CounterConfig,
    now_us: u64,
) -> Result<Order, KrakenError> {
    let account = venue
        .keys
        .get(key)
        .map(|k| k.account)
        .ok_or_else(KrakenError::invalid_key)?;
    let engine = req.to_engine(account)?;
    charge_trading(venue, key, &pair.altname, 1, cfg, now_us / 1000)?;
    let order = venue
        .ex
        .place(engine, now_us / 1000)
        .map_err(|e| engine_error(e, pair, req.volume))?;
    let txid = order_txid(order.id);
    venue.txids.insert(txid.clone(), order.id);
    let closed = !order.status.is_open();
    venue.meta.insert(
        order.id,
        OrderMeta {
            txid,
            userref: req.userref,
            cl_ord_id: req.cl_ord_id.clone(),
            ordertype: req.ordertype.clone(),
            oflags: req.oflags_text(),
            opentm_us: now_us,
            closetm_us: closed.then_some(now_us),
        },
    );
    Ok(order)
}

/// Which orders a cancel names.
#[derive(Debug, Clone, PartialEq)]
pub enum CancelTarget {
    /// A txid.
    Txid(String),
    /// Every open order with this userref.
    Userref(i64),
    /// A client order id.
    ClOrdId(String),
}

/// Open engine orders of `account` matching `target`.
pub fn matching(venue: &KrakenVenue, account: usize, target: &CancelTarget) -> Vec<Order> {
    venue
        .ex
        .open_orders(account, None)
        .into_iter()
        .filter(|o| {
            let m = venue.meta.get(&o.id);
            match target {
                CancelTarget::Txid(t) => venue.txids.get(t) == Some(&o.id),
                CancelTarget::Userref(u) => m.is_some_and(|m| m.userref == *u),
                CancelTarget::ClOrdId(c) => m.and_then(|m| m.cl_ord_id.as_ref()) == Some(c),
            }
        })
        .collect()
}

/// Cancels the open orders matching `target`; returns them (Err when none).
pub fn cancel(
    venue: &mut KrakenVenue,
    key: usize,
    target: &CancelTarget,
    cfg: &super::limits::CounterConfig,
    now_us: u64,
) -> Result<Vec<Order>, KrakenError> {
    let account = venue
        .keys
        .get(key)
        .map(|k| k.account)
        .ok_or_else(KrakenError::invalid_key)?;
    let targets = matching(venue, account, target);
    if targets.is_empty() {
        return Err(KrakenError::unknown_order());
    }
    let now = now_us / 1000;
    let mut out = Vec::new();
    for o in targets {
        let age = now.saturating_sub(o.time);
        charge_trading(venue, key, &o.symbol, cancel_cost(age), cfg, now)?;
        let c = venue
            .ex
            .cancel(account, &o.symbol, Some(o.id), None, now)
            .map_err(|_| KrakenError::unknown_order())?;
        if let Some(m) = venue.meta.get_mut(&o.id) {
            m.closetm_us = Some(now_us);
        }
        out.push(c);
    }
    Ok(out)
}
