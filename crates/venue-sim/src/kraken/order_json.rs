//! The REST order object (`QueryOrders`, `OpenOrders`, `ClosedOrders`) and the helpers it shares
//! with the trade history: Kraken status names, order times, fees valued in the quote asset.

use rust_decimal::Decimal;

use super::json::{Obj, array, fixed};
use super::orders::{OrderRequest, side_str};
use super::pairs::KrakenPair;
use super::state::KrakenVenue;
use crate::engine::{Order, OrderStatus};

/// Kraken status of an engine order.
pub fn status_str(o: &Order) -> &'static str {
    match o.status {
        OrderStatus::New | OrderStatus::PartiallyFilled => "open",
        OrderStatus::Filled => "closed",
        OrderStatus::Canceled => "canceled",
        OrderStatus::Expired | OrderStatus::Rejected => "expired",
    }
}

/// Seconds with fraction, as Kraken's order times (`1688583840.8648`).
pub fn secs_text(us: u64) -> String {
    let frac = format!("{:06}", us % 1_000_000);
    let frac = frac.trim_end_matches('0');
    let frac = if frac.is_empty() { "0" } else { frac };
    format!("{}.{frac}", us / 1_000_000)
}

/// Totals of an order's fills in the account: (fee in quote, trade txids).
pub fn fills_of(venue: &KrakenVenue, o: &Order) -> (Decimal, Vec<String>) {
    let Some(acc) = venue.ex.account(o.account) else {
        return (Decimal::ZERO, Vec::new());
    };
    let mut fee = Decimal::ZERO;
    let mut ids = Vec::new();
    for f in acc.fills.iter().filter(|f| f.order_id == o.id) {
        fee += if f.commission_asset == o.symbol || f.commission_asset.is_empty() {
            f.commission
        } else {
            quote_fee(venue, &o.symbol, &f.commission_asset, f.commission, f.price)
        };
        ids.push(super::ids::trade_txid(f.order_id, f.trade_id));
    }
    (fee, ids)
}

/// A fee converted to the pair's quote asset (fees charged in base are valued at the fill price).
pub fn quote_fee(
    venue: &KrakenVenue,
    symbol: &str,
    asset: &str,
    amount: Decimal,
    price: Decimal,
) -> Decimal {
    match venue.ex.symbol(symbol) {
        Some(s) if s.spec.base == asset => amount * price,
        _ => amount,
    }
}

/// The REST order object.
pub fn order_json(venue: &KrakenVenue, pair: &KrakenPair, o: &Order) -> String {
    let meta = venue.meta.get(&o.id);
    let ordertype = meta.map(|m| m.ordertype.as_str()).unwrap_or("limit");
    let (fee, trades) = fills_of(venue, o);
    let (price, price2) = if o.kind.is_stop() {
        (o.stop_price, o.price)
    } else {
        (o.price, Decimal::ZERO)
    };
    let req = OrderRequest {
        pair: pair.altname.clone(),
        side: o.side,
        ordertype: ordertype.to_string(),
        volume: o.qty,
        price: Some(price),
        price2: Some(price2),
        post: false,
        viqc: false,
        oflags: Vec::new(),
        ioc: false,
        cl_ord_id: None,
        userref: 0,
    };
    let pd = pair.pair_decimals;
    let descr = Obj::new()
        .str("pair", &pair.altname)
        .str("type", side_str(o.side))
        .str("ordertype", ordertype)
        .str("price", &fixed(price, pd))
        .str("price2", &fixed(price2, pd))
        .str("leverage", "none")
        .str("order", &req.describe(pair))
        .str("close", "")
        .finish();
    let mut obj = Obj::new()
        .raw("refid", "null")
        .int("userref", meta.map(|m| m.userref).unwrap_or(0));
    if let Some(c) = meta.and_then(|m| m.cl_ord_id.as_deref()) {
        obj = obj.str("cl_ord_id", c);
    }
    obj = obj
        .str("status", status_str(o))
        .num(
            "opentm",
            &secs_text(meta.map(|m| m.opentm_us).unwrap_or(o.time * 1000)),
        )
        .num("starttm", "0")
        .num("expiretm", "0")
        .raw("descr", &descr)
        .str("vol", &fixed(o.qty, pair.lot_decimals))
        .str("vol_exec", &fixed(o.executed, pair.lot_decimals))
        .str("cost", &fixed(o.cum_quote, pair.cost_decimals))
        .str("fee", &fixed(fee, pair.cost_decimals))
        .str("price", &fixed(o.avg_price(), pd))
        .str(
            "stopprice",
            &fixed(
                if o.kind.is_stop() {
                    o.stop_price
                } else {
                    Decimal::ZERO
                },
                pd,
            ),
        )
        .str(
            "limitprice",
            &fixed(
                if o.kind.is_stop() {
                    o.price
                } else {
                    Decimal::ZERO
                },
                pd,
            ),
        )
        .str("misc", "")
        .str("oflags", meta.map(|m| m.oflags.as_str()).unwrap_or("fciq"));
    if !trades.is_empty() {
        obj = obj.raw(
            "trades",
            &array(trades.iter().map(|t| super::json::string(t))),
        );
    }
    let reason = match o.status {
        OrderStatus::Canceled => "\"User requested\"",
        OrderStatus::Expired => "\"Unfilled remainder\"",
        _ => "null",
    };
    obj = obj.raw("reason", reason);
    if !o.status.is_open()
        && let Some(c) = meta.and_then(|m| m.closetm_us)
    {
        obj = obj.num("closetm", &secs_text(c));
    }
    obj.finish()
}
