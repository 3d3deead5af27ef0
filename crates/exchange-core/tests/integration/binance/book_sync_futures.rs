//! The USD-M futures procedure as table tests. No real futures depth capture exists, so the
//! frames are built by the documented rules (developers.binance.com "How to manage a local order
//! book correctly"): drop `u < lastUpdateId`; the first event has `U <= lastUpdateId <= u`; then
//! every `pu` equals the previous `u`. Each event sets the bid level at price `u` to 1 so the
//! final book shows exactly which events were applied.

use exchange_core::BookUpdate;
use exchange_core::adapters::binance::parse::depth::{DepthSnapshot, DepthUpdate};
use exchange_core::adapters::binance::parse::frame::{MarketEvent, parse_market_frame};
use exchange_core::adapters::binance::{BookSync, Product, SyncAction, SyncState};
use rust_decimal::Decimal;

use super::sym;

#[derive(Clone, Copy)]
enum Step {
    Snapshot(u64),
    Event { first: u64, last: u64, pu: u64 },
}

use Step::{Event as E, Snapshot as S};

struct Case {
    name: &'static str,
    steps: &'static [Step],
    state: SyncState,
    book_id: Option<u64>,
    applied: u64,
    dropped: u64,
    gaps: u64,
    fetches: u64,
    /// Bid prices (event `u`s, plus the snapshot's level at 1) in the final book, best first.
    bids: &'static [u64],
}

const CASES: &[Case] = &[
    Case {
        name: "drop u < L, first event with u == L applies, then pu chain",
        steps: &[
            E {
                first: 90,
                last: 95,
                pu: 89,
            },
            S(100),
            E {
                first: 96,
                last: 99,
                pu: 95,
            },
            E {
                first: 99,
                last: 100,
                pu: 99,
            },
            E {
                first: 101,
                last: 105,
                pu: 100,
            },
            E {
                first: 106,
                last: 110,
                pu: 105,
            },
        ],
        state: SyncState::Live,
        book_id: Some(110),
        applied: 3,
        dropped: 2,
        gaps: 0,
        fetches: 1,
        bids: &[110, 105, 100, 1],
    },
    Case {
        name: "first event straddling L strictly",
        steps: &[
            S(100),
            E {
                first: 98,
                last: 103,
                pu: 97,
            },
            E {
                first: 104,
                last: 104,
                pu: 103,
            },
        ],
        state: SyncState::Live,
        book_id: Some(104),
        applied: 2,
        dropped: 0,
        gaps: 0,
        fetches: 0,
        bids: &[104, 103, 1],
    },
    Case {
        name: "pu gap marks the book stale and asks for a snapshot",
        steps: &[
            S(100),
            E {
                first: 99,
                last: 101,
                pu: 98,
            },
            E {
                first: 103,
                last: 105,
                pu: 102,
            },
            E {
                first: 106,
                last: 107,
                pu: 105,
            },
        ],
        state: SyncState::Stale,
        book_id: Some(101),
        applied: 1,
        dropped: 0,
        gaps: 1,
        fetches: 1,
        bids: &[101, 1],
    },
    Case {
        name: "resync after a pu gap: the buffered events are replayed on the new snapshot",
        steps: &[
            S(100),
            E {
                first: 99,
                last: 101,
                pu: 98,
            },
            E {
                first: 103,
                last: 105,
                pu: 102,
            },
            E {
                first: 106,
                last: 107,
                pu: 105,
            },
            S(106),
            E {
                first: 108,
                last: 110,
                pu: 107,
            },
        ],
        state: SyncState::Live,
        book_id: Some(110),
        applied: 3,
        dropped: 1,
        gaps: 1,
        fetches: 1,
        bids: &[110, 107, 1],
    },
    Case {
        name: "snapshot older than the stream (U > L) is fetched again",
        steps: &[
            S(100),
            E {
                first: 101,
                last: 103,
                pu: 100,
            },
        ],
        state: SyncState::Syncing,
        book_id: None,
        applied: 0,
        dropped: 0,
        gaps: 0,
        fetches: 1,
        bids: &[],
    },
    Case {
        name: "an event ending at u == L is applied on futures (spot drops it)",
        steps: &[
            S(100),
            E {
                first: 95,
                last: 100,
                pu: 94,
            },
            E {
                first: 101,
                last: 101,
                pu: 100,
            },
        ],
        state: SyncState::Live,
        book_id: Some(101),
        applied: 2,
        dropped: 0,
        gaps: 0,
        fetches: 0,
        bids: &[101, 100, 1],
    },
];

fn level(price: u64) -> String {
    format!("[\"{price}\",\"1\"]")
}

fn snapshot(id: u64) -> DepthSnapshot {
    let text = format!(
        r#"{{"lastUpdateId":{id},"E":1,"T":1,"bids":[{}],"asks":[["100000","1"]]}}"#,
        level(1)
    );
    serde_json::from_str(&text).unwrap()
}

/// A futures depth frame in its combined-stream envelope, with the documented fields.
fn event(first: u64, last: u64, pu: u64) -> DepthUpdate {
    let text = format!(
        r#"{{"stream":"btcusdt@depth@100ms","data":{{"e":"depthUpdate","E":2,"T":1,"s":"BTCUSDT","U":{first},"u":{last},"pu":{pu},"b":[{}],"a":[]}}}}"#,
        level(last)
    );
    match parse_market_frame(&text).unwrap().event {
        MarketEvent::Depth(d) => d,
        other => panic!("{other:?}"),
    }
}

#[test]
fn futures_sequencer_table() {
    for case in CASES {
        let mut sync = BookSync::new(sym("BTC/USDT:USDT"), Product::UsdM);
        let mut fetches = 0;
        let mut last_seq = 0;
        for step in case.steps {
            let actions = match *step {
                Step::Snapshot(id) => sync.on_snapshot(snapshot(id), 0),
                Step::Event { first, last, pu } => sync.on_update(event(first, last, pu), 0),
            };
            for action in actions {
                match action {
                    SyncAction::FetchSnapshot => fetches += 1,
                    SyncAction::Publish { seq, update } => {
                        assert_eq!(seq, last_seq + 1, "{}: gap-free publication", case.name);
                        last_seq = seq;
                        if let BookUpdate::Delta(d) = update {
                            assert_eq!(d.exchange_ts_ns, 1_000_000, "T, not E");
                        }
                    }
                }
            }
        }
        let c = sync.counters();
        assert_eq!(sync.state(), case.state, "{}", case.name);
        assert_eq!(sync.last_update_id(), case.book_id, "{}", case.name);
        assert_eq!(
            (c.applied, c.dropped, c.gaps, fetches),
            (case.applied, case.dropped, case.gaps, case.fetches),
            "{}: applied, dropped, gaps, fetches",
            case.name
        );
        let bids: Vec<Decimal> = sync.book().bid_iter().map(|l| l.price).collect();
        let expected: Vec<Decimal> = case.bids.iter().map(|p| Decimal::from(*p)).collect();
        assert_eq!(bids, expected, "{}", case.name);
    }
}
