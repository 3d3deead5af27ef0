//! Order-entry parameters: mandatory fields per order type (rest-api.md "New order"), enum
//! parsing and the errors Binance answers for each mistake.

use super::error::ApiError;
use super::params::Params;
use crate::engine::{NewOrder, OrderType, Side, SideEffect, TimeInForce};

/// Parses `symbol, side, type, timeInForce, quantity, quoteOrderQty, price, stopPrice,
/// newClientOrderId` (+ futures `reduceOnly`, margin `sideEffectType`).
pub fn parse_new_order(p: &Params, account: usize, futures: bool) -> Result<NewOrder, ApiError> {
    let symbol = p.req("symbol")?.to_string();
    let side = Side::parse(p.req("side")?).ok_or_else(|| ApiError::bad(-1117, "Invalid side."))?;
    let type_str = p.req("type")?;
    let kind = if futures {
        OrderType::parse_futures(type_str)
    } else {
        OrderType::parse(type_str)
    };
    let kind = match kind {
        Some(k) => k,
        None if is_known_unsupported(type_str) => {
            return Err(ApiError::bad(-1014, "Unsupported order combination."));
        }
        None => return Err(ApiError::bad(-1116, "Invalid orderType.")),
    };
    let qty = p.decimal("quantity")?;
    let quote_qty = p.decimal("quoteOrderQty")?;
    let price = p.decimal("price")?;
    let stop_price = p.decimal("stopPrice")?;
    let tif = match p.get("timeInForce") {
        Some(t) => Some(
            TimeInForce::parse(t).ok_or_else(|| ApiError::bad(-1115, "Invalid timeInForce."))?,
        ),
        None => None,
    };
    fn need<T>(v: Option<T>, name: &str) -> Result<T, ApiError> {
        v.ok_or_else(|| ApiError::mandatory(name))
    }
    let tif = match kind {
        OrderType::Limit | OrderType::StopLossLimit | OrderType::TakeProfitLimit => {
            need(price, "price")?;
            need(qty, "quantity")?;
            let tif = need(tif, "timeInForce")?;
            if kind.is_stop() {
                need(stop_price, "stopPrice")?;
            }
            tif
        }
        OrderType::LimitMaker => {
            need(price, "price")?;
            need(qty, "quantity")?;
            TimeInForce::Gtc
        }
        OrderType::Market => {
            if price.is_some() {
                return Err(ApiError::bad(
                    -1106,
                    "Parameter 'price' sent when not required.",
                ));
            }
            match (qty, quote_qty) {
                (None, None) => {
                    return Err(ApiError::bad(
                        -1102,
                        "Param 'quantity' or 'quoteOrderQty' must be sent, but both were empty/null!",
                    ));
                }
                (Some(_), Some(_)) => {
                    return Err(ApiError::bad(
                        -1102,
                        "Param 'quantity' or 'quoteOrderQty' must be sent, but not both.",
                    ));
                }
                _ => {}
            }
            TimeInForce::Gtc
        }
    };
    if futures && tif == TimeInForce::Gtx && kind == OrderType::Market {
        return Err(ApiError::bad(-1115, "Invalid timeInForce."));
    }
    if !futures && tif == TimeInForce::Gtx {
        return Err(ApiError::bad(-1115, "Invalid timeInForce."));
    }
    let side_effect = match p.get("sideEffectType") {
        None | Some("NO_SIDE_EFFECT") => SideEffect::None,
        Some("MARGIN_BUY") => SideEffect::MarginBuy,
        Some("AUTO_REPAY") => SideEffect::AutoRepay,
        Some(_) => {
            return Err(ApiError::bad(
                -1100,
                "Illegal characters found in parameter 'sideEffectType'.",
            ));
        }
    };
    let reduce_only = match p.get("reduceOnly") {
        None | Some("false") => false,
        Some("true") => true,
        Some(_) => return Err(ApiError::illegal_chars("reduceOnly")),
    };
    Ok(NewOrder {
        account,
        symbol,
        side,
        kind,
        tif,
        price,
        qty,
        quote_qty,
        stop_price,
        client_id: p.get("newClientOrderId").map(str::to_string),
        reduce_only,
        side_effect,
    })
}

fn is_known_unsupported(t: &str) -> bool {
    matches!(
        t,
        "STOP_LOSS" | "TAKE_PROFIT" | "STOP_MARKET" | "TAKE_PROFIT_MARKET" | "TRAILING_STOP_MARKET"
    )
}

/// `orderId` / `origClientOrderId` of a query or cancel; one is mandatory.
pub fn order_ref(p: &Params) -> Result<(Option<u64>, Option<String>), ApiError> {
    let id = p.uint("orderId")?;
    let cid = p.get("origClientOrderId").map(str::to_string);
    if id.is_none() && cid.is_none() {
        return Err(ApiError::bad(
            -1102,
            "Param 'origClientOrderId' or 'orderId' must be sent, but both were empty/null!",
        ));
    }
    Ok((id, cid))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn p(s: &str) -> Params {
        Params::from_request(s, "").unwrap()
    }

    #[test]
    fn mandatory_fields_and_enums() {
        assert!(
            parse_new_order(
                &p("symbol=BTCUSDT&side=BUY&type=LIMIT&timeInForce=GTC&quantity=1&price=2"),
                0,
                false
            )
            .is_ok()
        );
        let e = parse_new_order(
            &p("symbol=BTCUSDT&side=BUY&type=LIMIT&quantity=1&price=2"),
            0,
            false,
        )
        .unwrap_err();
        assert_eq!(
            (e.code, e.msg.as_str()),
            (
                -1102,
                "Mandatory parameter 'timeInForce' was not sent, was empty/null, or malformed."
            )
        );
        assert_eq!(
            parse_new_order(&p("symbol=X&side=UP&type=LIMIT"), 0, false)
                .unwrap_err()
                .code,
            -1117
        );
        assert_eq!(
            parse_new_order(&p("symbol=X&side=BUY&type=FOO"), 0, false)
                .unwrap_err()
                .code,
            -1116
        );
        assert_eq!(
            parse_new_order(&p("symbol=X&side=BUY&type=MARKET"), 0, false)
                .unwrap_err()
                .code,
            -1102
        );
        assert_eq!(
            parse_new_order(
                &p("symbol=X&side=BUY&type=MARKET&quantity=1&price=1"),
                0,
                false
            )
            .unwrap_err()
            .code,
            -1106
        );
        assert!(
            parse_new_order(
                &p("symbol=X&side=SELL&type=STOP&timeInForce=GTC&quantity=1&price=1&stopPrice=1"),
                0,
                true
            )
            .is_ok()
        );
        assert_eq!(order_ref(&p("symbol=X")).unwrap_err().code, -1102);
    }
}
