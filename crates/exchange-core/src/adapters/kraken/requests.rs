//! Our requests → Kraken REST form parameters (§2).
//!
//! Parameters are `(name, value)` pairs in a fixed order; the REST client url-encodes them and
//! the signing hook prepends `nonce` ([`with_nonce`]) so that body and signature agree.
//!
//! `AddOrder` mapping of an [`OrderRequest`]:
//!
//! | ours | Kraken |
//! |---|---|
//! | `order_type` Market / Limit / StopLimit | `ordertype` `market` / `limit` / `stop-loss-limit` |
//! | `price` | `price` (limit); for stop-limit `price` is the trigger and `price2` the limit |
//! | `stop_price` | `price` of a `stop-loss-limit` |
//! | `time_in_force` | `timeinforce` `GTC` / `IOC` / `GTD` (+ `expiretm`); FOK is refused |
//! | `post_only` | `oflags=post` |
//! | `client_order_id` | `cl_ord_id` |
//! | `reduce_only` | `reduce_only=true` (margin positions) |

use rust_decimal::Decimal;

use super::SymbolMap;
use crate::ExchangeError;
use crate::model::{InvalidOrderReason, OrderRequest, OrderType, Side, TimeInForce};

/// Form parameters, in order.
pub type Params = Vec<(&'static str, String)>;

/// `nonce` first, then `params`: the body that is signed and sent.
pub fn with_nonce(nonce: u64, params: &[(&'static str, String)]) -> Params {
    let mut out = Vec::with_capacity(params.len() + 1);
    out.push(("nonce", nonce.to_string()));
    out.extend(params.iter().cloned());
    out
}

fn side(side: Side) -> &'static str {
    match side {
        Side::Buy => "buy",
        Side::Sell => "sell",
    }
}

/// Decimal text without exponent and without trailing zeros (`37500`, `1.25`).
pub fn decimal_text(value: Decimal) -> String {
    value.normalize().to_string()
}

/// Whether Kraken accepts this text as a `cl_ord_id`: a UUID (36 characters with hyphens, or
/// 32 hex digits) or free text of at most 18 characters (Kraken "Spot Client Order
/// Identifiers" guide; the 18-character limit as nautilus_trader's adapter documents it).
pub fn is_valid_cl_ord_id(id: &str) -> bool {
    let hex = |s: &str| !s.is_empty() && s.bytes().all(|b| b.is_ascii_hexdigit());
    let long_uuid = id.len() == 36
        && id.split('-').map(str::len).eq([8, 4, 4, 4, 12])
        && id.split('-').all(hex);
    let short_uuid = id.len() == 32 && hex(id);
    long_uuid || short_uuid || (!id.is_empty() && id.len() <= 18 && id.is_ascii())
}

/// `AddOrder` parameters for an order (validated against its market beforehand). `userref`
/// optionally tags the order with an integer (Kraken's grouping tag, echoed in reports).
pub fn add_order_params(
    request: &OrderRequest,
    symbols: &SymbolMap,
    userref: Option<i32>,
) -> crate::Result<Params> {
    let pair = symbols.rest_pair(&request.symbol)?;
    if !is_valid_cl_ord_id(&request.client_order_id) {
        // Never shortened silently: the id is our idempotency key and must round-trip.
        return Err(ExchangeError::invalid_order(
            InvalidOrderReason::ClientOrderId,
            "kraken takes a UUID or at most 18 characters as cl_ord_id",
        ));
    }
    let missing = |reason, what: &str| {
        ExchangeError::invalid_order(reason, format!("a {what} needs its price"))
    };
    let mut p: Params = Vec::with_capacity(12);
    let ordertype = match request.order_type {
        OrderType::Market => "market",
        OrderType::Limit => "limit",
        OrderType::StopLimit => "stop-loss-limit",
    };
    p.push(("ordertype", ordertype.to_owned()));
    p.push(("type", side(request.side).to_owned()));
    p.push(("volume", decimal_text(request.quantity)));
    p.push(("pair", pair.to_owned()));
    match request.order_type {
        OrderType::Market => {}
        OrderType::Limit => {
            let price = request
                .price
                .ok_or_else(|| missing(InvalidOrderReason::MissingPrice, "limit order"))?;
            p.push(("price", decimal_text(price)));
        }
        OrderType::StopLimit => {
            let trigger = request
                .stop_price
                .ok_or_else(|| missing(InvalidOrderReason::MissingStopPrice, "stop-limit order"))?;
            let limit = request
                .price
                .ok_or_else(|| missing(InvalidOrderReason::MissingPrice, "stop-limit order"))?;
            p.push(("price", decimal_text(trigger)));
            p.push(("price2", decimal_text(limit)));
        }
    }
    match request.time_in_force {
        TimeInForce::Gtc => p.push(("timeinforce", "GTC".to_owned())),
        TimeInForce::Ioc => p.push(("timeinforce", "IOC".to_owned())),
        TimeInForce::Gtd => {
            let expire_ns = request.expire_ts_ns.ok_or_else(|| {
                ExchangeError::invalid_order(
                    InvalidOrderReason::Expiry,
                    "a GTD order needs expire_ts_ns",
                )
            })?;
            p.push(("timeinforce", "GTD".to_owned()));
            p.push(("expiretm", (expire_ns / 1_000_000_000).to_string()));
        }
        TimeInForce::Fok => {
            return Err(ExchangeError::invalid_order(
                InvalidOrderReason::TimeInForce,
                "kraken spot offers no FOK time in force",
            ));
        }
    }
    if request.post_only {
        p.push(("oflags", "post".to_owned()));
    }
    if request.reduce_only {
        p.push(("reduce_only", "true".to_owned()));
    }
    p.push(("cl_ord_id", request.client_order_id.clone()));
    if let Some(userref) = userref {
        p.push(("userref", userref.to_string()));
    }
    Ok(p)
}

/// `CancelOrder` by venue order id.
pub fn cancel_by_txid(txid: &str) -> Params {
    vec![("txid", txid.to_owned())]
}

/// `CancelOrder` by our client order id.
pub fn cancel_by_client_order_id(client_order_id: &str) -> Params {
    vec![("cl_ord_id", client_order_id.to_owned())]
}

/// `QueryOrders` for up to 50 venue order ids.
pub fn query_orders(txids: &[&str]) -> crate::Result<Params> {
    if txids.is_empty() || txids.len() > 50 {
        return Err(ExchangeError::Config(format!(
            "QueryOrders takes 1-50 order ids, got {}",
            txids.len()
        )));
    }
    Ok(vec![
        ("txid", txids.join(",")),
        ("trades", "true".to_owned()),
    ])
}

/// `QueryTrades` for 1–20 trade txids.
pub fn query_trades(txids: &[&str]) -> crate::Result<Params> {
    if txids.is_empty() || txids.len() > super::parse::fills::QUERY_TRADES_BATCH {
        return Err(ExchangeError::Config(format!(
            "QueryTrades takes 1-20 trade ids, got {}",
            txids.len()
        )));
    }
    Ok(vec![("txid", txids.join(","))])
}

/// `OpenOrders`, optionally for one client order id.
pub fn open_orders(client_order_id: Option<&str>) -> Params {
    let mut p = vec![("trades", "true".to_owned())];
    if let Some(id) = client_order_id {
        p.push(("cl_ord_id", id.to_owned()));
    }
    p
}

/// Public `OHLC` query for a pair and interval (minutes), from `since` (seconds) when given.
pub fn ohlc_query(pair: &str, interval_minutes: u32, since: Option<i64>) -> Params {
    let mut p = vec![
        ("pair", pair.to_owned()),
        ("interval", interval_minutes.to_string()),
    ];
    if let Some(since) = since {
        p.push(("since", since.to_string()));
    }
    p
}

/// Public `Depth` query (`count` ≤ 500).
pub fn depth_query(pair: &str, count: u32) -> Params {
    vec![
        ("pair", pair.to_owned()),
        ("count", count.min(500).to_string()),
    ]
}

#[cfg(test)]
mod tests {
    use rust_decimal_macros::dec;

    use super::*;
    use crate::adapters::kraken::symbols::PairNames;

    fn map() -> SymbolMap {
        let mut map = SymbolMap::new();
        map.insert(
            PairNames {
                key: "XXBTZUSD".into(),
                altname: "XBTUSD".into(),
                wsname: "XBT/USD".into(),
            },
            "BTC/USD".parse().unwrap(),
        );
        map
    }

    fn request(order_type: OrderType) -> OrderRequest {
        OrderRequest {
            client_order_id: "strat1-42".into(),
            symbol: "BTC/USD".parse().unwrap(),
            side: Side::Buy,
            order_type,
            quantity: dec!(1.25),
            price: Some(dec!(37500.0)),
            stop_price: None,
            time_in_force: TimeInForce::Gtc,
            expire_ts_ns: None,
            post_only: false,
            reduce_only: false,
        }
    }

    fn get<'a>(p: &'a Params, key: &str) -> Option<&'a str> {
        p.iter().find(|(k, _)| *k == key).map(|(_, v)| v.as_str())
    }

    #[test]
    fn limit_post_only_with_ids() {
        let mut r = request(OrderType::Limit);
        r.post_only = true;
        let p = add_order_params(&r, &map(), Some(7)).unwrap();
        assert_eq!(
            p,
            vec![
                ("ordertype", "limit".to_owned()),
                ("type", "buy".to_owned()),
                ("volume", "1.25".to_owned()),
                ("pair", "XBTUSD".to_owned()),
                ("price", "37500".to_owned()),
                ("timeinforce", "GTC".to_owned()),
                ("oflags", "post".to_owned()),
                ("cl_ord_id", "strat1-42".to_owned()),
                ("userref", "7".to_owned()),
            ]
        );
        assert_eq!(with_nonce(5, &p)[0], ("nonce", "5".to_owned()));
    }

    #[test]
    fn client_order_ids_kraken_accepts() {
        for ok in [
            "strat1-42",
            "123456789012345678",
            "d15708c1-dbb6-465d-b77d-47258319cc90",
            "d15708c1dbb6465db77d47258319cc90",
        ] {
            assert!(is_valid_cl_ord_id(ok), "{ok}");
        }
        for bad in [
            "",
            "1234567890123456789",
            "d15708c1-dbb6-465d-b77d-47258319cc9z",
        ] {
            assert!(!is_valid_cl_ord_id(bad), "{bad}");
        }
        let mut r = request(OrderType::Limit);
        r.client_order_id = "strategy-one-000000042".into();
        assert_eq!(
            add_order_params(&r, &map(), None)
                .unwrap_err()
                .reason_code(),
            "client_order_id"
        );
    }

    #[test]
    fn market_stop_limit_gtd_and_fok() {
        let mut r = request(OrderType::Market);
        r.price = None;
        r.time_in_force = TimeInForce::Ioc;
        let p = add_order_params(&r, &map(), None).unwrap();
        assert_eq!(get(&p, "ordertype"), Some("market"));
        assert_eq!(get(&p, "price"), None);
        assert_eq!(get(&p, "timeinforce"), Some("IOC"));

        let mut r = request(OrderType::StopLimit);
        r.stop_price = Some(dec!(38000));
        r.time_in_force = TimeInForce::Gtd;
        r.expire_ts_ns = Some(1_700_000_000_500_000_000);
        let p = add_order_params(&r, &map(), None).unwrap();
        assert_eq!(get(&p, "ordertype"), Some("stop-loss-limit"));
        assert_eq!(
            (get(&p, "price"), get(&p, "price2")),
            (Some("38000"), Some("37500"))
        );
        assert_eq!(get(&p, "expiretm"), Some("1700000000"));

        let mut r = request(OrderType::Limit);
        r.time_in_force = TimeInForce::Fok;
        assert_eq!(
            add_order_params(&r, &map(), None)
                .unwrap_err()
                .reason_code(),
            "time_in_force"
        );
        r.symbol = "ETH/USD".parse().unwrap();
        assert_eq!(
            add_order_params(&r, &map(), None).unwrap_err().kind(),
            crate::ErrorKind::BadSymbol
        );
    }
}
