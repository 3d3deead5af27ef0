//! Public market data fixtures: trades, aggregate trades, book tickers, klines (stream and
//! REST) and depth payloads, spot and USD-M.

use exchange_core::adapters::binance::parse::depth::DepthSnapshot;
use exchange_core::adapters::binance::parse::frame::{MarketEvent, parse_market_frame};
use exchange_core::adapters::binance::parse::kline::KlineRow;
use exchange_core::model::{Level, Side, Timeframe};
use rust_decimal_macros::dec;

use super::{fixture, spot_symbols, sym, usdm_symbols};

const LOCAL: i64 = 42;

#[test]
fn trade_doc_example() {
    let frame = parse_market_frame(&fixture("binance_trade_stream_doc_example.json")).unwrap();
    assert_eq!(frame.stream, None);
    let MarketEvent::Trade(t) = frame.event else {
        panic!("{:?}", frame.event)
    };
    let trade = t.to_trade(&spot_symbols(), LOCAL).unwrap();
    assert_eq!(trade.symbol, sym("BNB/BTC"));
    assert_eq!(trade.trade_id, "12345");
    assert_eq!(trade.price, dec!(0.001));
    assert_eq!(trade.quantity, dec!(100));
    assert_eq!(
        trade.taker_side,
        Some(Side::Sell),
        "m=true: the buyer made, the seller took"
    );
    assert_eq!(trade.exchange_ts_ns, 1_672_515_782_136_000_000);
    assert_eq!(trade.local_ts_ns, LOCAL);
}

#[test]
fn spot_agg_trade_live() {
    let frame = parse_market_frame(&fixture("binance_aggtrade_stream.json")).unwrap();
    assert_eq!(frame.stream.as_deref(), Some("nknusdt@aggTrade"));
    let MarketEvent::AggTrade(t) = frame.event else {
        panic!("{:?}", frame.event)
    };
    assert_eq!(
        (t.first_trade_id, t.last_trade_id),
        (19_862_790, 19_862_790)
    );
    let trade = t.to_trade(&spot_symbols(), LOCAL).unwrap();
    assert_eq!(trade.symbol, sym("NKN/USDT"));
    assert_eq!(trade.trade_id, "15683430");
    assert_eq!(trade.price.to_string(), "0.35280000");
    assert_eq!(trade.quantity.to_string(), "58.00000000");
    assert_eq!(trade.taker_side, Some(Side::Buy));
    assert_eq!(trade.exchange_ts_ns, 1_633_998_523_963_000_000);
}

#[test]
fn futures_agg_trade_live() {
    let frame = parse_market_frame(&fixture("binance_futures_aggtrade_stream.json")).unwrap();
    let MarketEvent::AggTrade(t) = frame.event else {
        panic!("{:?}", frame.event)
    };
    let trade = t.to_trade(&usdm_symbols(), LOCAL).unwrap();
    assert_eq!(trade.symbol, sym("CTK/USDT:USDT"));
    assert_eq!(trade.trade_id, "16599292");
    assert_eq!(trade.price.to_string(), "1.01100");
    assert_eq!(trade.quantity, dec!(10));
    assert_eq!(trade.taker_side, Some(Side::Buy));
    assert_eq!(trade.exchange_ts_ns, 1_626_992_741_421_000_000, "T, not E");
    assert!(
        t.to_trade(&spot_symbols(), LOCAL).is_err(),
        "CTKUSDT is not a spot market here"
    );
}

#[test]
fn spot_book_ticker_has_no_event_time() {
    let frame = parse_market_frame(&fixture("binance_bookticker_stream.json")).unwrap();
    let MarketEvent::BookTicker(b) = frame.event else {
        panic!("{:?}", frame.event)
    };
    assert_eq!(b.update_id, 499_869_768);
    let t = b.to_ticker(&spot_symbols(), LOCAL).unwrap();
    assert_eq!(t.symbol, sym("NKN/USDT"));
    assert_eq!(t.bid.unwrap().to_string(), "0.35210000");
    assert_eq!(t.bid_qty, Some(dec!(672)));
    assert_eq!(t.ask.unwrap().to_string(), "0.35260000");
    assert_eq!(t.ask_qty, Some(dec!(3199)));
    assert_eq!(t.last, None);
    assert_eq!(t.exchange_ts_ns, 0);
}

#[test]
fn futures_book_ticker_has_times() {
    let frame = parse_market_frame(&fixture("binance_futures_bookticker_stream.json")).unwrap();
    let MarketEvent::BookTicker(b) = frame.event else {
        panic!("{:?}", frame.event)
    };
    assert_eq!(b.update_id, 600_859_600_576);
    let t = b.to_ticker(&usdm_symbols(), LOCAL).unwrap();
    assert_eq!(t.symbol, sym("SUSHI/USDT:USDT"));
    assert_eq!(t.bid, Some(dec!(7.6110)));
    assert_eq!(t.bid_qty, Some(dec!(2)));
    assert_eq!(t.ask, Some(dec!(7.6120)));
    assert_eq!(t.ask_qty, Some(dec!(297)));
    assert_eq!(t.exchange_ts_ns, 1_626_992_741_012_000_000);
}

#[test]
fn spot_kline_live_and_closed_flag() {
    let text = fixture("binance_kline_1m_stream.json");
    let frame = parse_market_frame(&text).unwrap();
    let MarketEvent::Kline(k) = frame.event else {
        panic!("{:?}", frame.event)
    };
    assert_eq!(k.symbol, "NKNUSDT");
    let c = k.to_candle(sym("NKN/USDT")).unwrap();
    assert_eq!(c.timeframe, Timeframe::M1);
    assert_eq!(c.open_time_ns, 1_633_998_480_000_000_000);
    assert_eq!(c.close_time_ns, 1_633_998_539_999_000_000);
    assert_eq!(c.open, dec!(0.35270000));
    assert_eq!(c.high, dec!(0.35280000));
    assert_eq!(c.low, dec!(0.35220000));
    assert_eq!(c.close, dec!(0.35280000));
    assert_eq!(c.volume, dec!(25877));
    assert_eq!(c.quote_volume, Some(dec!(9116.046)));
    assert_eq!(c.trades, Some(30));
    assert!(!c.closed);
    // The same frame with the closed flag set (derived from the live frame).
    let closed_text = text.replace("\"x\":false", "\"x\":true");
    let MarketEvent::Kline(k) = parse_market_frame(&closed_text).unwrap().event else {
        panic!()
    };
    assert!(k.to_candle(sym("NKN/USDT")).unwrap().closed);
}

#[test]
fn futures_kline_live() {
    let frame = parse_market_frame(&fixture("binance_futures_kline_1m_stream.json")).unwrap();
    assert_eq!(frame.stream.as_deref(), Some("ctkusdt@kline_1m"));
    let MarketEvent::Kline(k) = frame.event else {
        panic!("{:?}", frame.event)
    };
    let c = k.to_candle(sym("CTK/USDT:USDT")).unwrap();
    assert_eq!(c.open_time_ns, 1_626_992_700_000_000_000);
    assert_eq!(c.close_time_ns, 1_626_992_759_999_000_000);
    assert_eq!(c.open.to_string(), "1.01000");
    assert_eq!(c.close.to_string(), "1.01100");
    assert_eq!(c.high, dec!(1.011));
    assert_eq!(c.low, dec!(1.01));
    assert_eq!(c.volume, dec!(3917));
    assert_eq!(c.quote_volume, Some(dec!(3957.899)));
    assert_eq!(c.trades, Some(48));
    assert!(!c.closed);
}

#[test]
fn rest_klines_rows() {
    let rows: Vec<KlineRow> =
        serde_json::from_str(&fixture("binance_rest_klines_doc_example.json")).unwrap();
    assert_eq!(rows.len(), 1);
    let c = rows[0].to_candle(sym("BNB/BTC"), Timeframe::W1, 1_499_644_800_000);
    assert_eq!(c.open_time_ns, 1_499_040_000_000_000_000);
    assert_eq!(c.close_time_ns, 1_499_644_799_999_000_000);
    assert_eq!(c.open, dec!(0.01634790));
    assert_eq!(c.high, dec!(0.8));
    assert_eq!(c.low, dec!(0.015758));
    assert_eq!(c.close, dec!(0.015771));
    assert_eq!(c.volume, dec!(148976.11427815));
    assert_eq!(c.quote_volume, Some(dec!(2434.19055334)));
    assert_eq!(c.trades, Some(308));
    assert!(c.closed, "close time is before now");
    assert!(
        !rows[0]
            .to_candle(sym("BNB/BTC"), Timeframe::W1, 1_499_644_799_999)
            .closed
    );
}

#[test]
fn depth_update_doc_example() {
    let frame = parse_market_frame(&fixture("binance_depth_update_doc_example.json")).unwrap();
    let MarketEvent::Depth(d) = frame.event else {
        panic!("{:?}", frame.event)
    };
    assert_eq!(d.symbol, "BNBBTC");
    assert_eq!((d.first_update_id, d.final_update_id), (157, 160));
    assert_eq!(d.prev_final_update_id, None);
    assert_eq!(d.bids, vec![Level::new(dec!(0.0024), dec!(10))]);
    assert_eq!(d.asks, vec![Level::new(dec!(0.0026), dec!(100))]);
    assert_eq!(d.exchange_ts_ns(), 1_672_515_782_136_000_000);
}

#[test]
fn rest_depth_doc_example() {
    let snap: DepthSnapshot =
        serde_json::from_str(&fixture("binance_rest_depth_doc_example.json")).unwrap();
    let s = snap.to_snapshot(sym("BNB/BTC"), LOCAL);
    assert_eq!(s.venue_seq, Some(1_027_024));
    assert_eq!(s.bids, vec![Level::new(dec!(4), dec!(431))]);
    assert_eq!(s.asks, vec![Level::new(dec!(4.000002), dec!(12))]);
    assert_eq!(s.bids[0].price.to_string(), "4.00000000");
    assert_eq!(s.exchange_ts_ns, 0);
}
