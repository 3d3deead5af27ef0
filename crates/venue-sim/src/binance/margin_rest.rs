//! Cross-margin REST (`/sapi/v1/margin/...`): orders on the spot books with the margin wallet,
//! borrowing (`sideEffectType=MARGIN_BUY`, `borrow-repay`) and the margin account.

use axum::http::Method;
use rust_decimal::Decimal;
use serde_json::{Value, json};

use super::error::ApiError;
use super::params::Params;
use super::spot_rest::{body, cancel_spot, open_spot, place_spot, query_spot, trades_of};
use super::wire::f8;
use crate::engine::Exchange;
use crate::server::http::{Ctx, Endpoint, Security};

fn ep(
    method: Method,
    path: &'static str,
    weight: fn(&Params) -> u64,
    run: crate::server::http::Handler,
) -> Endpoint {
    Endpoint {
        method,
        path,
        weight,
        security: Security::Signed,
        places_order: false,
        run,
    }
}

/// The margin route table (served on the spot REST port).
pub fn endpoints() -> Vec<Endpoint> {
    vec![
        Endpoint {
            places_order: true,
            ..ep(
                Method::POST,
                "/sapi/v1/margin/order",
                |_| 6,
                |c, p| {
                    let a = c.key()?.margin;
                    place_spot(c, p, a)
                },
            )
        },
        ep(
            Method::DELETE,
            "/sapi/v1/margin/order",
            |_| 10,
            |c, p| {
                let a = c.key()?.margin;
                cancel_spot(c, p, a)
            },
        ),
        ep(
            Method::GET,
            "/sapi/v1/margin/order",
            |_| 10,
            |c, p| {
                let a = c.key()?.margin;
                query_spot(c, p, a)
            },
        ),
        ep(
            Method::GET,
            "/sapi/v1/margin/openOrders",
            |_| 10,
            |c, p| {
                let a = c.key()?.margin;
                open_spot(c, p, a)
            },
        ),
        ep(
            Method::GET,
            "/sapi/v1/margin/myTrades",
            |_| 10,
            |c, p| {
                let a = c.key()?.margin;
                trades_of(c, p, a)
            },
        ),
        ep(
            Method::GET,
            "/sapi/v1/margin/account",
            |_| 10,
            margin_account,
        ),
        ep(
            Method::POST,
            "/sapi/v1/margin/borrow-repay",
            |_| 1500,
            borrow_repay,
        ),
    ]
}

/// Value of `amount` of `asset` in BTC at spot mark prices (0 when no route).
fn in_btc(ex: &Exchange, asset: &str, amount: Decimal) -> Decimal {
    if asset == "BTC" {
        return amount;
    }
    let direct = format!("{asset}BTC");
    if ex.symbol(&direct).is_some() {
        return amount * ex.mark_price(&direct);
    }
    let inverse = format!("BTC{asset}");
    let mark = ex.mark_price(&inverse);
    if mark.is_zero() {
        Decimal::ZERO
    } else {
        amount / mark
    }
}

fn margin_account(c: &mut Ctx<'_>, _: &Params) -> Result<String, ApiError> {
    let idx = c.key()?.margin;
    let ex = &c.venue.spot;
    let Some(acc) = ex.account(idx) else {
        return Err(ApiError::bad_key());
    };
    let (mut assets, mut liab) = (Decimal::ZERO, Decimal::ZERO);
    let user_assets: Vec<Value> = acc
        .balances
        .iter()
        .map(|(a, b)| {
            assets += in_btc(ex, a, b.free + b.locked);
            liab += in_btc(ex, a, b.borrowed + b.interest);
            json!({"asset":a,"borrowed":f8(b.borrowed),"free":f8(b.free),"interest":f8(b.interest),"locked":f8(b.locked),
                "netAsset":f8(b.free + b.locked - b.borrowed - b.interest)})
        })
        .collect();
    let level = if liab.is_zero() {
        Decimal::from(999)
    } else {
        assets / liab
    };
    body(
        &json!({"created":true,"borrowEnabled":true,"marginLevel":f8(level),"collateralMarginLevel":f8(level),
        "totalAssetOfBtc":f8(assets),"totalLiabilityOfBtc":f8(liab),"totalNetAssetOfBtc":f8(assets - liab),
        "TotalCollateralValueInUSDT":"0.00000000","totalOpenOrderLossInUsdt":"0.00000000","tradeEnabled":true,
        "transferInEnabled":true,"transferOutEnabled":true,"accountType":"MARGIN_1","userAssets":user_assets}),
    )
}

fn borrow_repay(c: &mut Ctx<'_>, p: &Params) -> Result<String, ApiError> {
    let idx = c.key()?.margin;
    let asset = p.req("asset")?.to_string();
    let amount = p
        .decimal("amount")?
        .ok_or_else(|| ApiError::mandatory("amount"))?;
    let signed = match p.req("type")? {
        "BORROW" => amount,
        "REPAY" => -amount,
        _ => return Err(ApiError::illegal_chars("type")),
    };
    c.venue
        .spot
        .margin_loan(idx, &asset, signed, c.now)
        .map_err(|_| ApiError::bad(-3041, "Balance is not enough"))?;
    body(&json!({"tranId": c.now}))
}
