//! Table-style tests of the book publisher state: every emitted sequence is gap-free, and a
//! consumer running the bus's own [`BookSequencer`] over what was published ends with the
//! publisher's book.

use bus::book::{BookAction, BookSequencer};
use bus::{BookEventKind, FeedState};
use exchange_core::model::{BookDelta, BookSnapshot, Level, Symbol};
use exchange_core::orderbook::OrderBook;
use rust_decimal::Decimal;

use super::*;

fn sym() -> Symbol {
    "BTC/USDT".parse().unwrap()
}

fn lvl(p: i64, q: i64) -> Level {
    Level::new(Decimal::from(p), Decimal::from(q))
}

fn snap(bid: i64, ask: i64, id: u64) -> StreamEvent<BookUpdate> {
    StreamEvent::Data(BookUpdate::Snapshot(BookSnapshot {
        symbol: sym(),
        bids: vec![lvl(bid, 1), lvl(bid - 1, 2)],
        asks: vec![lvl(ask, 1)],
        venue_seq: Some(id),
        exchange_ts_ns: 1,
        local_ts_ns: 2,
    }))
}

fn delta(price: i64, qty: i64, id: u64) -> StreamEvent<BookUpdate> {
    StreamEvent::Data(BookUpdate::Delta(BookDelta {
        symbol: sym(),
        bids: vec![lvl(price, qty)],
        asks: vec![],
        venue_first_seq: Some(id),
        venue_seq: Some(id),
        exchange_ts_ns: 3,
        local_ts_ns: 4,
    }))
}

fn stale(why: &str) -> StreamEvent<BookUpdate> {
    StreamEvent::Data(BookUpdate::Stale { reason: why.into() })
}

/// A consumer of everything published: the bus sequencer plus a book, and the statuses seen.
#[derive(Default)]
struct Consumer {
    seq: Option<BookSequencer>,
    book: OrderBook,
    seqs: Vec<u64>,
    statuses: Vec<FeedState>,
    records: Vec<BookSnapshotRecord>,
}

impl Consumer {
    fn take(&mut self, emits: Vec<Emit>) {
        let sequencer = self.seq.get_or_insert_with(|| BookSequencer::new(1000));
        for emit in emits {
            let actions = match emit {
                Emit::Event(e) => {
                    self.seqs.push(e.seq);
                    sequencer.on_event(e)
                }
                Emit::Status(s, _) => {
                    self.statuses.push(s);
                    continue;
                }
                Emit::Record(r) => {
                    self.records.push(r.clone());
                    sequencer.on_snapshot(r)
                }
            };
            for action in actions {
                match action {
                    BookAction::Reset(l) => self.book.apply_snapshot(&l.bids, &l.asks),
                    BookAction::Apply(l) => self.book.apply_delta(&l.bids, &l.asks),
                    BookAction::Invalidate(_) => self.book.clear(),
                }
            }
        }
    }

    fn gap_free(&self) -> bool {
        self.seqs.windows(2).all(|w| w[1] == w[0] + 1)
    }
}

#[test]
fn snapshot_then_deltas_are_numbered_without_gaps() {
    let mut s = BookState::new("binance", sym(), 100, 3);
    let mut c = Consumer::default();
    c.take(s.on_event(delta(5, 5, 1), 0)); // before any snapshot: ignored
    assert!(c.seqs.is_empty());
    c.take(s.on_event(snap(10, 11, 7), 0));
    for i in 0..7 {
        c.take(s.on_event(delta(9 - i, i + 1, 8 + i as u64), 0));
    }
    assert_eq!(c.seqs.first(), Some(&100));
    assert!(c.gap_free());
    assert_eq!(c.statuses, vec![FeedState::Live]);
    // A record at the snapshot and after every 3 deltas.
    assert_eq!(c.records.len(), 3);
    assert_eq!(c.records.last().unwrap().seq, 100 + 6);
    assert_eq!(c.book.levels(), s.book().levels());
    assert!(s.is_live());
}

#[test]
fn stale_then_snapshot_reports_stale_and_resynced() {
    let mut s = BookState::new("binance", sym(), 1, 100);
    let mut c = Consumer::default();
    c.take(s.on_event(snap(10, 11, 7), 0));
    c.take(s.on_event(stale("sequence gap"), 5));
    c.take(s.on_event(delta(9, 0, 9), 0)); // ignored while stale
    c.take(s.on_event(stale("again"), 6)); // no second marker
    assert!(
        c.book.levels().0.is_empty(),
        "a consumer drops a stale book"
    );
    let record = c.records.last().unwrap();
    assert_eq!(record.state, bus::BookState::Stale);
    c.take(s.on_event(snap(20, 21, 30), 0));
    assert_eq!(
        c.statuses,
        vec![FeedState::Live, FeedState::Stale, FeedState::Resynced]
    );
    assert!(c.gap_free());
    assert_eq!(c.book.levels(), s.book().levels());
}

#[test]
fn a_resync_makes_a_live_book_stale_until_the_next_snapshot() {
    let mut s = BookState::new("binance", sym(), 1, 100);
    let mut c = Consumer::default();
    c.take(s.on_event(snap(10, 11, 7), 0));
    c.take(s.on_event(StreamEvent::Resync, 0));
    assert!(!s.is_live());
    c.take(s.on_event(snap(12, 13, 9), 0));
    assert_eq!(
        c.statuses,
        vec![FeedState::Live, FeedState::Stale, FeedState::Resynced]
    );
    assert!(c.gap_free());
}

#[test]
fn drops_resume_with_a_snapshot_not_a_hole() {
    let mut s = BookState::new("binance", sym(), 1, 100);
    let mut c = Consumer::default();
    c.take(s.on_event(snap(10, 11, 7), 0));
    c.take(s.on_event(delta(9, 3, 8), 0));
    // The channel is full: three deltas are kept locally, not numbered.
    s.suspend(delta(8, 4, 9));
    s.suspend(delta(10, 0, 10));
    s.suspend(delta(7, 1, 11));
    assert_eq!(s.suspended(), 3);
    let resumed = s.resume(0);
    assert!(matches!(&resumed[0], Emit::Event(e) if e.kind == BookEventKind::Snapshot));
    c.take(resumed);
    c.take(s.on_event(delta(6, 6, 12), 0));
    assert!(c.gap_free(), "{:?}", c.seqs);
    assert_eq!(c.statuses.last(), Some(&FeedState::Resynced));
    assert_eq!(c.book.levels(), s.book().levels());
    assert!(s.resume(0).is_empty(), "nothing more to resume");
}

#[test]
fn a_book_that_went_stale_while_suspended_is_marked_stale_on_resume() {
    let mut s = BookState::new("binance", sym(), 1, 100);
    let mut c = Consumer::default();
    c.take(s.on_event(snap(10, 11, 7), 0));
    s.suspend(stale("gap while backed up"));
    c.take(s.resume(9));
    assert!(c.book.levels().0.is_empty());
    assert_eq!(c.statuses.last(), Some(&FeedState::Stale));
    // Stale, and stale again while suspended: nothing new to say.
    s.suspend(delta(1, 1, 1));
    assert!(s.resume(10).is_empty());
    c.take(s.on_event(snap(30, 31, 40), 0));
    assert_eq!(c.statuses.last(), Some(&FeedState::Resynced));
    assert!(c.gap_free());
}

#[test]
fn republish_after_a_nats_reconnect() {
    let mut s = BookState::new("binance", sym(), 1, 100);
    assert!(
        s.republish().is_empty(),
        "nothing to republish before the first snapshot"
    );
    s.on_event(snap(10, 11, 7), 0);
    s.on_event(delta(9, 5, 8), 0);
    let again = s.republish();
    let mut fresh = Consumer::default();
    fresh.take(again);
    assert_eq!(fresh.book.levels(), s.book().levels());
    assert_eq!(fresh.statuses, vec![FeedState::Resynced]);
    assert!(matches!(fresh.records.last(), Some(r) if r.state == bus::BookState::Live));
}

#[test]
fn the_end_of_the_stream_makes_the_book_stale() {
    let mut s = BookState::new("binance", sym(), 1, 100);
    assert!(s.on_stream_end(0).is_empty());
    s.on_event(snap(10, 11, 7), 0);
    let out = s.on_stream_end(0);
    assert!(out.contains(&Emit::Status(
        FeedState::Stale,
        Some("venue stream ended".into())
    )));
}

#[test]
fn periodic_records_only_when_the_live_book_changed() {
    let mut s = BookState::new("binance", sym(), 1, 1000);
    assert!(s.periodic_record().is_none(), "no book yet");
    s.on_event(snap(10, 11, 7), 0);
    assert!(s.periodic_record().is_none(), "the snapshot was recorded");
    s.on_event(delta(9, 5, 8), 0);
    match s.periodic_record() {
        Some(Emit::Record(r)) => assert_eq!(r.seq, s.last_seq().unwrap()),
        other => panic!("{other:?}"),
    }
    assert!(s.periodic_record().is_none(), "nothing new since");
}

#[test]
fn polled_snapshots_say_polling_then_the_stream_says_resynced() {
    let mut s = BookState::new("binance", sym(), 1, 1000);
    let mut c = Consumer::default();
    c.take(s.on_event(snap(10, 11, 7), 0));
    c.take(s.on_event(StreamEvent::Resync, 0));
    s.set_polling(true);
    c.take(s.on_event(snap(10, 12, 9), 0));
    c.take(s.on_event(snap(9, 12, 11), 0));
    s.set_polling(false);
    c.take(s.on_event(StreamEvent::Resync, 0));
    c.take(s.on_event(snap(9, 13, 12), 0));
    assert_eq!(
        c.statuses,
        vec![
            FeedState::Live,
            FeedState::Stale,
            FeedState::Polling,
            FeedState::Stale,
            FeedState::Resynced
        ],
        "one polling per polling spell, not one per polled snapshot"
    );
    assert_eq!(c.book.levels(), s.book().levels());
}
