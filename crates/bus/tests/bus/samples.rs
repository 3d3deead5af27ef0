//! One realistic value of every payload type (values after the exchange-core doc examples, which
//! follow Binance's documented payloads).

use bus::payload::{AccountReply, AccountRequest};
use bus::{
    BookEvent, BookSnapshotRecord, BookState, CandleMsg, FeedState, FeedStatus, OrderAction,
    OrderCommand, OrderEvent, OrderEventKind, OrderRecord, Reject, TickerMsg, TradeMsg,
};
use exchange_core::model::{
    Balance, BookDelta, BookSnapshot, Candle, Fill, Level, Liquidity, MarginMode, Market,
    MarketKind, Order, OrderRequest, OrderStatus, OrderType, Position, Side, Symbol, Ticker,
    TimeInForce, Timeframe, Trade,
};
use rust_decimal_macros::dec;

pub fn btc() -> Symbol {
    "BTC/USDT".parse().unwrap()
}

pub fn perp() -> Symbol {
    "BTC/USDT:USDT".parse().unwrap()
}

pub fn trade() -> TradeMsg {
    TradeMsg::new(
        "binance",
        Trade {
            symbol: btc(),
            trade_id: "12345".into(),
            price: dec!(0.001),
            quantity: dec!(100),
            taker_side: Some(Side::Sell),
            exchange_ts_ns: 1_672_515_782_136_000_000,
            local_ts_ns: 1_672_515_782_137_001_000,
        },
    )
}

pub fn ticker() -> TickerMsg {
    TickerMsg::new(
        "binance",
        Ticker {
            symbol: perp(),
            bid: Some(dec!(25.35)),
            bid_qty: Some(dec!(31.21)),
            ask: Some(dec!(25.36)),
            ask_qty: Some(dec!(40.66)),
            last: Some(dec!(25.355)),
            open_24h: None,
            high_24h: Some(dec!(26)),
            low_24h: Some(dec!(24.9)),
            volume_24h: Some(dec!(1000.5)),
            quote_volume_24h: None,
            exchange_ts_ns: 0,
            local_ts_ns: 1_672_515_782_137_001_000,
        },
    )
}

pub fn candle() -> CandleMsg {
    CandleMsg::new(
        "kraken",
        Candle {
            symbol: btc(),
            timeframe: Timeframe::M1,
            open_time_ns: 1_672_515_780_000_000_000,
            close_time_ns: 1_672_515_839_999_000_000,
            open: dec!(0.0010),
            high: dec!(0.0025),
            low: dec!(0.0015),
            close: dec!(0.0020),
            volume: dec!(1000),
            quote_volume: Some(dec!(1.0000)),
            trades: Some(100),
            closed: false,
        },
    )
}

pub fn status() -> FeedStatus {
    FeedStatus::new(
        "binance",
        btc(),
        FeedState::Stale,
        Some("sequence gap: expected 1027, got 1030".into()),
        1_700_000_000_000_000_000,
    )
}

pub fn book_snapshot() -> BookSnapshot {
    BookSnapshot {
        symbol: btc(),
        bids: vec![
            Level::new(dec!(43000.10), dec!(0.5)),
            Level::new(dec!(42999.00), dec!(1.25)),
        ],
        asks: vec![Level::new(dec!(43000.20), dec!(1.2))],
        venue_seq: Some(160),
        exchange_ts_ns: 1_700_000_000_123_000_000,
        local_ts_ns: 1_700_000_000_124_000_000,
    }
}

pub fn book_events() -> Vec<BookEvent> {
    vec![
        BookEvent::snapshot("binance", 1_700_000_000_000_122, book_snapshot()),
        BookEvent::delta(
            "binance",
            1_700_000_000_000_123,
            BookDelta {
                symbol: btc(),
                bids: vec![
                    Level::new(dec!(43000.10), dec!(0.4)),
                    Level::new(dec!(42999.00), dec!(0)),
                ],
                asks: vec![],
                venue_first_seq: Some(161),
                venue_seq: Some(162),
                exchange_ts_ns: 1_700_000_000_223_000_000,
                local_ts_ns: 1_700_000_000_224_000_000,
            },
        ),
        BookEvent::stale(
            "binance",
            btc(),
            1_700_000_000_000_124,
            "sequence gap: expected 163, got 165",
            1_700_000_000_225_000_000,
        ),
    ]
}

pub fn book_record() -> BookSnapshotRecord {
    BookSnapshotRecord::new(
        "binance",
        1_700_000_000_000_122,
        BookState::Live,
        book_snapshot(),
    )
}

pub fn order_request() -> OrderRequest {
    OrderRequest {
        client_order_id: "strat1-000042".into(),
        symbol: btc(),
        side: Side::Buy,
        order_type: OrderType::Limit,
        quantity: dec!(0.010),
        price: Some(dec!(43000.00)),
        stop_price: None,
        time_in_force: TimeInForce::Gtc,
        expire_ts_ns: None,
        post_only: true,
        reduce_only: false,
    }
}

pub fn order_commands() -> Vec<OrderCommand> {
    let sent = 1_700_000_000_000_000_000;
    vec![
        OrderCommand::new(OrderAction::Place(order_request()), sent),
        OrderCommand::new(
            OrderAction::Cancel {
                client_order_id: "strat1-000042".into(),
                symbol: btc(),
            },
            sent,
        ),
        OrderCommand::new(
            OrderAction::CancelAll {
                command_id: "strat1-flat-7".into(),
                symbol: Some(perp()),
            },
            sent,
        ),
        OrderCommand::new(
            OrderAction::CancelAll {
                command_id: "strat1-flat-8".into(),
                symbol: None,
            },
            sent,
        ),
    ]
}

pub fn order(status: OrderStatus, filled: rust_decimal::Decimal) -> Order {
    Order {
        client_order_id: "strat1-000042".into(),
        venue_order_id: Some("28".into()),
        symbol: btc(),
        side: Side::Buy,
        order_type: OrderType::Limit,
        time_in_force: TimeInForce::Gtc,
        price: Some(dec!(43000.00)),
        stop_price: None,
        quantity: dec!(0.010),
        filled_quantity: filled,
        average_price: (!filled.is_zero()).then_some(dec!(43000.00)),
        status,
        post_only: false,
        reduce_only: false,
        created_ts_ns: 1_507_725_176_595_000_000,
        updated_ts_ns: 1_507_725_176_599_000_000,
    }
}

pub fn fill() -> Fill {
    Fill {
        client_order_id: "strat1-000042".into(),
        venue_order_id: "28".into(),
        trade_id: "1337".into(),
        symbol: btc(),
        side: Side::Buy,
        price: dec!(43000.00),
        quantity: dec!(0.004),
        fee: dec!(0.0000004),
        fee_asset: Some("BTC".into()),
        liquidity: Some(Liquidity::Maker),
        exchange_ts_ns: 1_507_725_176_599_000_000,
        local_ts_ns: 1_507_725_176_600_000_000,
    }
}

pub fn order_events() -> Vec<OrderEvent> {
    let id = Some("strat1-000042".to_owned());
    let ts = 1_700_000_000_000_000_000;
    let kinds = vec![
        OrderEventKind::Accepted {
            order: order(OrderStatus::Open, dec!(0)),
        },
        OrderEventKind::Rejected {
            order: None,
            reason: Reject::new("tick_size", "price 43000.001 is not a multiple of 0.01"),
        },
        OrderEventKind::Rejected {
            order: Some(order(OrderStatus::Rejected, dec!(0))),
            reason: Reject::new("insufficient_funds", "insufficient funds: BTC"),
        },
        OrderEventKind::PartiallyFilled {
            order: order(OrderStatus::PartiallyFilled, dec!(0.004)),
            fill: Some(fill()),
        },
        OrderEventKind::Filled {
            order: order(OrderStatus::Filled, dec!(0.010)),
            fill: Some(fill()),
        },
        OrderEventKind::Filled {
            order: order(OrderStatus::Filled, dec!(0.010)),
            fill: None,
        },
        OrderEventKind::Canceled {
            order: order(OrderStatus::Canceled, dec!(0.004)),
        },
        OrderEventKind::Expired {
            order: order(OrderStatus::Expired, dec!(0)),
        },
        OrderEventKind::Unknown {
            order: None,
            text: "place timed out after 10s".into(),
        },
    ];
    let mut events: Vec<OrderEvent> = kinds
        .into_iter()
        .map(|kind| OrderEvent::new("binance", "main", id.clone(), kind, ts))
        .collect();
    events.push(OrderEvent::new(
        "binance",
        "main",
        None,
        OrderEventKind::Rejected {
            order: None,
            reason: Reject::new(Reject::UNDECODABLE, "cannot decode OrderCommand"),
        },
        ts,
    ));
    events
}

pub fn order_record() -> OrderRecord {
    OrderRecord::new("binance", "main", order(OrderStatus::Filled, dec!(0.010)))
}

pub fn account_requests() -> Vec<AccountRequest> {
    vec![AccountRequest::new(None), AccountRequest::new(Some(perp()))]
}

pub fn balances() -> AccountReply<Vec<Balance>> {
    AccountReply::ok(vec![
        Balance {
            asset: "BTC".into(),
            free: dec!(4723846.89208129),
            locked: dec!(0),
            borrowed: None,
        },
        Balance {
            asset: "USDT".into(),
            free: dec!(10),
            locked: dec!(2.5),
            borrowed: Some(dec!(1)),
        },
    ])
}

pub fn positions() -> AccountReply<Vec<Position>> {
    AccountReply::ok(vec![Position {
        symbol: perp(),
        quantity: dec!(-0.010),
        entry_price: dec!(43000.0),
        mark_price: Some(dec!(42950.1)),
        unrealized_pnl: Some(dec!(0.499)),
        liquidation_price: Some(dec!(51000.2)),
        leverage: Some(dec!(10)),
        margin_mode: Some(MarginMode::Cross),
        updated_ts_ns: 1_700_000_000_000_000_000,
    }])
}

pub fn open_orders() -> AccountReply<Vec<Order>> {
    AccountReply::ok(vec![order(OrderStatus::PartiallyFilled, dec!(0.004))])
}

pub fn markets() -> AccountReply<Vec<Market>> {
    AccountReply::ok(vec![Market {
        symbol: btc(),
        venue_id: "BTCUSDT".into(),
        kind: MarketKind::Spot,
        base: "BTC".into(),
        quote: "USDT".into(),
        settle: None,
        tick_size: dec!(0.01),
        lot_size: dec!(0.00001),
        min_qty: Some(dec!(0.00001)),
        max_qty: Some(dec!(9000)),
        min_notional: Some(dec!(5)),
        price_precision: 2,
        qty_precision: 5,
        contract_size: None,
        active: true,
    }])
}

pub fn account_error() -> AccountReply<Vec<Balance>> {
    AccountReply::error("rate_limited", "rate limited: too many requests")
}
