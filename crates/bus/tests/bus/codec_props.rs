//! Property tests of the codec: arbitrary payloads round-trip in both encodings, and arbitrary
//! bytes never make a decoder panic.

use bus::codec::{decode, encode};
use bus::{BookEvent, BookEventKind, BookState, Encoding, OrderCommand, TradeMsg};
use exchange_core::model::{Level, Side, Symbol, Trade};
use proptest::prelude::*;
use rust_decimal::Decimal;

fn decimal() -> impl Strategy<Value = Decimal> {
    (any::<i64>(), 0u32..=18).prop_map(|(m, s)| Decimal::new(m, s))
}

fn symbol() -> impl Strategy<Value = Symbol> {
    (
        "[A-Z0-9]{1,8}",
        "[A-Z]{2,5}",
        proptest::option::of("[A-Z]{3,4}"),
    )
        .prop_map(|(b, q, s)| match s {
            Some(s) => Symbol::derivative(&b, &q, &s).unwrap(),
            None => Symbol::spot(&b, &q).unwrap(),
        })
}

fn levels() -> impl Strategy<Value = Vec<Level>> {
    proptest::collection::vec(
        (decimal(), decimal()).prop_map(|(p, q)| Level::new(p, q)),
        0..20,
    )
}

fn trade() -> impl Strategy<Value = TradeMsg> {
    (
        "[a-z_-]{1,12}",
        symbol(),
        "\\PC{0,20}",
        decimal(),
        decimal(),
        proptest::option::of(prop_oneof![Just(Side::Buy), Just(Side::Sell)]),
        any::<i64>(),
        any::<i64>(),
    )
        .prop_map(
            |(venue, symbol, trade_id, price, quantity, taker_side, ex, local)| {
                TradeMsg::new(
                    venue,
                    Trade {
                        symbol,
                        trade_id,
                        price,
                        quantity,
                        taker_side,
                        exchange_ts_ns: ex,
                        local_ts_ns: local,
                    },
                )
            },
        )
}

fn book_event() -> impl Strategy<Value = BookEvent> {
    (
        symbol(),
        any::<u64>(),
        any::<bool>(),
        any::<bool>(),
        levels(),
        levels(),
        proptest::option::of(any::<u64>()),
        proptest::option::of("\\PC{0,30}"),
    )
        .prop_map(
            |(symbol, seq, snapshot, live, bids, asks, venue_seq, reason)| BookEvent {
                v: BookEvent::VERSION,
                venue: "binance".into(),
                symbol,
                seq,
                kind: if snapshot {
                    BookEventKind::Snapshot
                } else {
                    BookEventKind::Delta
                },
                state: if live {
                    BookState::Live
                } else {
                    BookState::Stale
                },
                bids,
                asks,
                venue_seq,
                exchange_ts_ns: 0,
                local_ts_ns: 1,
                reason,
            },
        )
}

proptest! {
    #[test]
    fn trades_round_trip(msg in trade()) {
        for enc in [Encoding::MsgPack, Encoding::Json] {
            let bytes = encode(&msg, enc).unwrap();
            prop_assert_eq!(&decode::<TradeMsg>(&bytes, enc).unwrap(), &msg);
        }
    }

    #[test]
    fn book_events_round_trip(event in book_event()) {
        for enc in [Encoding::MsgPack, Encoding::Json] {
            let bytes = encode(&event, enc).unwrap();
            prop_assert_eq!(&decode::<BookEvent>(&bytes, enc).unwrap(), &event);
        }
    }

    #[test]
    fn arbitrary_bytes_never_panic(bytes in proptest::collection::vec(any::<u8>(), 0..256)) {
        for enc in [Encoding::MsgPack, Encoding::Json] {
            let _ = decode::<BookEvent>(&bytes, enc);
            let _ = decode::<OrderCommand>(&bytes, enc);
            let _ = decode::<TradeMsg>(&bytes, enc);
        }
    }
}
