//! Table tests of the book sequencer: each case feeds events and KV snapshots and states the
//! actions expected after each input (`R5` reset to seq 5, `A6` apply seq 6, `G7/9` gap
//! expected 7 got 9, `S9` stale at 9), then what snapshot the sequencer waits for.

use exchange_core::model::{BookSnapshot, Level, Symbol};
use rust_decimal::Decimal;

use super::*;

enum In {
    /// A live delta event.
    Delta(u64),
    /// A live snapshot event.
    Snap(u64),
    /// A stale event.
    Stale(u64),
    /// A live KV record.
    Kv(u64),
    /// A stale KV record.
    KvStale(u64),
}

fn symbol() -> Symbol {
    "BTC/USDT".parse().unwrap()
}

fn level(seq: u64) -> Level {
    Level::new(Decimal::from(seq), Decimal::ONE)
}

fn book_snapshot(seq: u64) -> BookSnapshot {
    BookSnapshot {
        symbol: symbol(),
        bids: vec![level(seq)],
        asks: vec![],
        venue_seq: None,
        exchange_ts_ns: 0,
        local_ts_ns: 0,
    }
}

fn feed(s: &mut BookSequencer, input: &In) -> Vec<BookAction> {
    match *input {
        In::Delta(seq) => {
            let mut e = BookEvent::snapshot("binance", seq, book_snapshot(seq));
            e.kind = BookEventKind::Delta;
            s.on_event(e)
        }
        In::Snap(seq) => s.on_event(BookEvent::snapshot("binance", seq, book_snapshot(seq))),
        In::Stale(seq) => s.on_event(BookEvent::stale("binance", symbol(), seq, "test", 0)),
        In::Kv(seq) => s.on_snapshot(BookSnapshotRecord::new(
            "binance",
            seq,
            BookState::Live,
            book_snapshot(seq),
        )),
        In::KvStale(seq) => s.on_snapshot(BookSnapshotRecord::new(
            "binance",
            seq,
            BookState::Stale,
            book_snapshot(seq),
        )),
    }
}

fn show(actions: &[BookAction]) -> Vec<String> {
    actions
        .iter()
        .map(|a| match a {
            BookAction::Reset(l) => {
                assert_eq!(l.bids, vec![level(l.seq)], "reset carries its levels");
                format!("R{}", l.seq)
            }
            BookAction::Apply(l) => {
                assert_eq!(l.bids, vec![level(l.seq)], "apply carries its levels");
                format!("A{}", l.seq)
            }
            BookAction::Invalidate(InvalidReason::Gap { expected, got }) => {
                format!("G{expected}/{got}")
            }
            BookAction::Invalidate(InvalidReason::Stale { seq, .. }) => format!("S{seq}"),
        })
        .collect()
}

struct Case {
    name: &'static str,
    steps: Vec<(In, &'static [&'static str])>,
    /// `Some(min)`: syncing, waiting for a snapshot of at least `min`; `None`: live.
    wants: Option<u64>,
    last: Option<u64>,
}

fn cases() -> Vec<Case> {
    use In::*;
    vec![
        Case {
            name: "starts syncing and wants any snapshot",
            steps: vec![],
            wants: Some(0),
            last: None,
        },
        Case {
            name: "kv snapshot then contiguous deltas",
            steps: vec![
                (Kv(10), &["R10"]),
                (Delta(11), &["A11"]),
                (Delta(12), &["A12"]),
            ],
            wants: None,
            last: Some(12),
        },
        Case {
            name: "events buffered before the snapshot are applied after it",
            steps: vec![
                (Delta(9), &[]),
                (Delta(10), &[]),
                (Delta(11), &[]),
                (Kv(9), &["R9", "A10", "A11"]),
                (Delta(12), &["A12"]),
            ],
            wants: None,
            last: Some(12),
        },
        Case {
            name: "a snapshot newer than the buffer skips it and later in-flight events",
            steps: vec![
                (Delta(9), &[]),
                (Kv(11), &["R11"]),
                (Delta(10), &[]),
                (Delta(11), &[]),
                (Delta(12), &["A12"]),
            ],
            wants: None,
            last: Some(12),
        },
        Case {
            name: "a snapshot older than the buffer is refused, a newer one used",
            steps: vec![
                (Delta(20), &[]),
                (Delta(21), &[]),
                (Kv(15), &[]),
                (Kv(20), &["R20", "A21"]),
            ],
            wants: None,
            last: Some(21),
        },
        Case {
            name: "a gap invalidates and waits for a snapshot that meets the buffer",
            steps: vec![
                (Kv(10), &["R10"]),
                (Delta(11), &["A11"]),
                (Delta(13), &["G12/13"]),
                (Delta(14), &[]),
            ],
            wants: Some(12),
            last: None,
        },
        Case {
            name: "after a gap, an old kv snapshot is refused, a fresh one resyncs",
            steps: vec![
                (Kv(10), &["R10"]),
                (Delta(12), &["G11/12"]),
                (Delta(13), &[]),
                (Kv(10), &[]),
                (Kv(12), &["R12", "A13"]),
                (Delta(14), &["A14"]),
            ],
            wants: None,
            last: Some(14),
        },
        Case {
            name: "a gap inside the buffer restarts the buffer",
            steps: vec![
                (Kv(10), &["R10"]),
                (Delta(12), &["G11/12"]),
                (Delta(15), &[]),
                (Delta(16), &[]),
                (Kv(12), &[]),
                (Kv(14), &["R14", "A15", "A16"]),
            ],
            wants: None,
            last: Some(16),
        },
        Case {
            name: "a snapshot event heals a gap at once",
            steps: vec![
                (Kv(10), &["R10"]),
                (Delta(12), &["G11/12"]),
                (Snap(13), &["R13"]),
                (Delta(14), &["A14"]),
            ],
            wants: None,
            last: Some(14),
        },
        Case {
            name: "a snapshot event while live replaces the book",
            steps: vec![
                (Kv(10), &["R10"]),
                (Snap(11), &["R11"]),
                (Snap(30), &["R30"]),
            ],
            wants: None,
            last: Some(30),
        },
        Case {
            name: "a snapshot event syncs without kv",
            steps: vec![(Delta(4), &[]), (Snap(5), &["R5"]), (Delta(6), &["A6"])],
            wants: None,
            last: Some(6),
        },
        Case {
            name: "a stale event invalidates and demands a newer snapshot",
            steps: vec![
                (Kv(10), &["R10"]),
                (Stale(11), &["S11"]),
                (Kv(10), &[]),
                (Kv(11), &[]),
            ],
            wants: Some(12),
            last: None,
        },
        Case {
            name: "after stale, the publisher's next snapshot event resyncs",
            steps: vec![
                (Kv(10), &["R10"]),
                (Stale(11), &["S11"]),
                (Snap(12), &["R12"]),
                (Delta(13), &["A13"]),
            ],
            wants: None,
            last: Some(13),
        },
        Case {
            name: "after stale, a fresh kv record resyncs",
            steps: vec![
                (Kv(10), &["R10"]),
                (Stale(11), &["S11"]),
                (Delta(13), &[]),
                (Kv(12), &["R12", "A13"]),
            ],
            wants: None,
            last: Some(13),
        },
        Case {
            name: "a stale kv record is refused and raises the requirement",
            steps: vec![(KvStale(20), &[]), (Kv(20), &[]), (Kv(21), &["R21"])],
            wants: None,
            last: Some(21),
        },
        Case {
            name: "a stale event while syncing clears the buffer",
            steps: vec![(Delta(5), &[]), (Stale(6), &[]), (Kv(5), &[])],
            wants: Some(7),
            last: None,
        },
        Case {
            name: "kv snapshots are ignored while live",
            steps: vec![(Kv(10), &["R10"]), (Kv(50), &[]), (Delta(11), &["A11"])],
            wants: None,
            last: Some(11),
        },
        Case {
            name: "a restarted publisher (higher seq, snapshot first) is followed",
            steps: vec![
                (Kv(10), &["R10"]),
                (Delta(11), &["A11"]),
                (Snap(5_000_000), &["R5000000"]),
                (Delta(5_000_001), &["A5000001"]),
            ],
            wants: None,
            last: Some(5_000_001),
        },
    ]
}

#[test]
fn table() {
    for case in cases() {
        let mut s = BookSequencer::default();
        for (i, (input, expected)) in case.steps.iter().enumerate() {
            let got = show(&feed(&mut s, input));
            assert_eq!(got, *expected, "{}: step {i}", case.name);
        }
        assert_eq!(s.wants_snapshot(), case.wants, "{}: wants", case.name);
        assert_eq!(s.last_seq(), case.last, "{}: last", case.name);
        assert_eq!(s.is_live(), case.last.is_some(), "{}: live", case.name);
    }
}

#[test]
fn the_buffer_is_bounded_and_overflow_raises_the_requirement() {
    let mut s = BookSequencer::new(3);
    for seq in 1..=10 {
        assert!(feed(&mut s, &In::Delta(seq)).is_empty());
    }
    assert_eq!(s.buffered(), 3);
    assert_eq!(s.wants_snapshot(), Some(7));
    assert_eq!(s.stats().buffer_dropped, 7);
    assert!(feed(&mut s, &In::Kv(6)).is_empty());
    assert_eq!(show(&feed(&mut s, &In::Kv(7))), ["R7", "A8", "A9", "A10"]);
}

#[test]
fn stats_count_what_happened() {
    let mut s = BookSequencer::default();
    for input in [
        In::Kv(10),
        In::Delta(10),
        In::Delta(11),
        In::Delta(13),
        In::Kv(9),
        In::Kv(12),
    ] {
        feed(&mut s, &input);
    }
    let stats = s.stats();
    assert_eq!(stats.resets, 2);
    assert_eq!(stats.applied, 2);
    assert_eq!(stats.skipped, 1);
    assert_eq!(stats.invalidations, 1);
    assert_eq!(stats.snapshots_refused, 1);
}

mod property {
    //! Any delivery (lost events, KV snapshots of any age offered at any time) leaves the book,
    //! whenever it is live, equal to the publisher's book at the same `seq`; and a final fresh
    //! snapshot always brings it back.

    use exchange_core::orderbook::OrderBook;
    use proptest::prelude::*;

    use super::*;

    #[derive(Debug, Clone)]
    enum Step {
        /// The publisher emits its next event; `lost` means the consumer never sees it.
        Publish {
            lost: bool,
            price: u8,
            qty: u8,
            bid: bool,
        },
        /// KV offers the book as of `back` events ago.
        Kv { back: u8 },
    }

    fn step() -> impl Strategy<Value = Step> {
        prop_oneof![
            8 => (proptest::bool::weighted(0.1), any::<u8>(), 0u8..4, any::<bool>())
                .prop_map(|(lost, price, qty, bid)| Step::Publish { lost, price, qty, bid }),
            1 => (0u8..6).prop_map(|back| Step::Kv { back }),
        ]
    }

    fn apply(book: &mut OrderBook, actions: Vec<BookAction>) {
        for action in actions {
            match action {
                BookAction::Reset(l) => book.apply_snapshot(&l.bids, &l.asks),
                BookAction::Apply(l) => book.apply_delta(&l.bids, &l.asks),
                BookAction::Invalidate(_) => book.clear(),
            }
        }
    }

    fn record(truth: &[(u64, OrderBook)], index: usize) -> BookSnapshotRecord {
        let (seq, book) = &truth[index];
        let (bids, asks) = book.levels();
        BookSnapshotRecord::new(
            "binance",
            *seq,
            BookState::Live,
            BookSnapshot {
                bids,
                asks,
                ..book_snapshot(0)
            },
        )
    }

    proptest! {
        #[test]
        fn live_books_are_always_true(steps in proptest::collection::vec(step(), 1..200)) {
            // truth[i] = (seq, book after the event with that seq); seq starts at 100.
            let mut truth = vec![(100u64, OrderBook::new())];
            let mut s = BookSequencer::new(16);
            let mut book = OrderBook::new();
            for step in steps {
                let actions = match step {
                    Step::Publish { lost, price, qty, bid } => {
                        let (last_seq, last_book) = truth.last().unwrap().clone();
                        let level = Level::new(Decimal::from(price), Decimal::from(qty));
                        let (bids, asks) = if bid { (vec![level], vec![]) } else { (vec![], vec![level]) };
                        let mut next = last_book;
                        next.apply_delta(&bids, &asks);
                        let seq = last_seq + 1;
                        truth.push((seq, next));
                        let mut event = BookEvent::snapshot("binance", seq, book_snapshot(0));
                        event.kind = BookEventKind::Delta;
                        event.bids = bids;
                        event.asks = asks;
                        if lost { Vec::new() } else { s.on_event(event) }
                    }
                    Step::Kv { back } => {
                        let index = truth.len().saturating_sub(1 + back as usize);
                        s.on_snapshot(record(&truth, index))
                    }
                };
                apply(&mut book, actions);
                if let Some(last) = s.last_seq() {
                    let (_, expected) = truth.iter().find(|(seq, _)| *seq == last).unwrap();
                    prop_assert_eq!(&book, expected, "live at {}", last);
                }
            }
            // One more delivered event shows any loss still unseen; then a fresh snapshot
            // always brings a consumer that is not live back.
            let (last_seq, mut last_book) = truth.last().unwrap().clone();
            let level = Level::new(Decimal::from(7), Decimal::ONE);
            last_book.apply_delta(&[level], &[]);
            truth.push((last_seq + 1, last_book));
            let mut event = BookEvent::snapshot("binance", last_seq + 1, book_snapshot(0));
            event.kind = BookEventKind::Delta;
            event.bids = vec![level];
            event.asks = vec![];
            let actions = s.on_event(event);
            apply(&mut book, actions);
            if !s.is_live() {
                let actions = s.on_snapshot(record(&truth, truth.len() - 1));
                apply(&mut book, actions);
            }
            let (seq, expected) = truth.last().unwrap();
            prop_assert_eq!(s.last_seq(), Some(*seq));
            prop_assert_eq!(&book, expected);
        }
    }
}
