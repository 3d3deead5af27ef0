//! Private REST bodies: historical orders, fills, INTX positions.

use exchange_core::adapters::coinbase::parse::fills::FillsResponse;
use exchange_core::adapters::coinbase::parse::from_json;
use exchange_core::adapters::coinbase::parse::order_config::{MarketParams, OrderConfiguration};
use exchange_core::adapters::coinbase::parse::orders::ListOrdersResponse;
use exchange_core::adapters::coinbase::parse::positions::IntxPositionsResponse;
use exchange_core::model::{Liquidity, MarginMode, OrderStatus, OrderType, Side, TimeInForce};

use super::{d, fixture, sym};

#[test]
fn historical_batch_maps_a_filled_market_ioc_order() {
    let r: ListOrdersResponse = from_json(
        "orders",
        &fixture("coinbase_rest_orders_historical_batch.json"),
    )
    .unwrap();
    assert_eq!(r.next_cursor(), Some("748478308"));
    assert_eq!(
        r.orders[0].order_configuration,
        Some(OrderConfiguration::MarketMarketIoc(MarketParams {
            quote_size: None,
            base_size: Some(d("10")),
        }))
    );
    let o = &r.to_orders().unwrap()[0];
    assert_eq!(o.client_order_id, "a0f970a2-05fa-4e1f-9517-f6702c33cfd1");
    assert_eq!(
        o.venue_order_id.as_deref(),
        Some("01b6e467-b659-432f-9490-c7cefe949564")
    );
    assert_eq!(o.symbol, sym("ADA/USDT"));
    assert_eq!(o.side, Side::Sell);
    assert_eq!(o.order_type, OrderType::Market);
    assert_eq!(o.time_in_force, TimeInForce::Ioc);
    assert_eq!((o.price, o.stop_price), (None, None));
    assert_eq!((o.quantity, o.filled_quantity), (d("10"), d("10")));
    assert_eq!(o.average_price, Some(d("0.392")));
    assert_eq!(o.status, OrderStatus::Filled);
    assert!(!o.post_only && !o.reduce_only);
    // created 2023-11-26T10:19:47.423220Z, last fill 2023-11-26T10:19:47.504Z
    assert_eq!(o.created_ts_ns, 1_700_993_987_423_220_000);
    assert_eq!(o.updated_ts_ns, 1_700_993_987_504_000_000);
}

#[test]
fn spot_fill_maps_with_quote_fee() {
    let r: FillsResponse = from_json("fills", &fixture("coinbase_rest_fills_spot.json")).unwrap();
    assert_eq!(r.cursor.as_deref(), Some("114994851"));
    let f = r.fills[0]
        .to_fill("a0f970a2-05fa-4e1f-9517-f6702c33cfd1", 9)
        .unwrap();
    assert_eq!(f.client_order_id, "a0f970a2-05fa-4e1f-9517-f6702c33cfd1");
    assert_eq!(f.venue_order_id, "01b6e467-b659-432f-9490-c7cefe949564");
    assert_eq!(f.trade_id, "19fc7eee-f4b4-40a7-8104-033da1db5311");
    assert_eq!(f.symbol, sym("ADA/USDT"));
    assert_eq!(f.side, Side::Sell);
    assert_eq!((f.price, f.quantity), (d("0.392"), d("10")));
    assert_eq!(
        (f.fee, f.fee_asset.as_deref()),
        (d("0.03136"), Some("USDT"))
    );
    assert_eq!(f.liquidity, Some(Liquidity::Taker));
    assert_eq!(f.exchange_ts_ns, 1_700_993_987_504_000_000);
    assert_eq!(f.local_ts_ns, 9);
}

#[test]
fn perpetual_fill_maps_to_the_usdc_swap() {
    let r: FillsResponse = from_json("fills", &fixture("coinbase_rest_fills_perp.json")).unwrap();
    let f = r.fills[0].to_fill("ours-1", 0).unwrap();
    assert_eq!(f.symbol, sym("ADA/USDC:USDC"));
    assert_eq!(f.venue_order_id, "efed4cba-7395-4b02-b927-0c1dce00e0d8");
    assert_eq!(f.trade_id, "f8e23d3d-29a4-44f9-804d-1c74e4908055");
    assert_eq!(f.side, Side::Buy);
    assert_eq!((f.price, f.quantity), (d("0.6091"), d("20")));
    assert_eq!((f.fee, f.fee_asset.as_deref()), (d("0.0036"), Some("USDC")));
    assert_eq!(f.liquidity, Some(Liquidity::Taker));
    // 2024-04-09T11:45:50.552204Z
    assert_eq!(f.exchange_ts_ns, 1_712_663_150_552_204_000);
}

#[test]
fn intx_position_maps_long_cross() {
    let r: IntxPositionsResponse =
        from_json("positions", &fixture("coinbase_rest_intx_positions.json")).unwrap();
    let p = r.to_positions(42).unwrap();
    assert_eq!(p.len(), 1);
    let p = &p[0];
    assert_eq!(p.symbol, sym("ADA/USDC:USDC"));
    assert_eq!(p.quantity, d("20"));
    assert_eq!(p.entry_price, d("0.6091"));
    assert_eq!(p.mark_price, Some(d("0.5657")));
    assert_eq!(p.unrealized_pnl, Some(d("0.018")));
    assert_eq!(
        p.liquidation_price, None,
        "a zero liquidation price means none"
    );
    assert_eq!(p.leverage, Some(d("1")));
    assert_eq!(p.margin_mode, Some(MarginMode::Cross));
    assert_eq!(p.updated_ts_ns, 42);
}
