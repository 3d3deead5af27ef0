//! The v2 book checksum: the documented example, the real ETH/USD sequence, and corruption.

use exchange_core::BookUpdate;
use exchange_core::adapters::kraken::book::checksum::{checksum_input, crc32};
use exchange_core::adapters::kraken::parse::from_json;
use exchange_core::adapters::kraken::parse::ws_book::{BookFrame, BookKind, BookMessage};
use exchange_core::adapters::kraken::{BookAction, BookState, KrakenBook};
use exchange_core::model::Level;
use rust_decimal_macros::dec;
use serde_json::Value;

use super::{lines, sym};

fn messages(line: &str) -> Vec<BookMessage> {
    from_json::<BookFrame>("book", line)
        .unwrap()
        .into_messages()
}

#[test]
fn documented_checksum_example_verifies() {
    let v: Value =
        serde_json::from_str(&super::fixture("kraken_book_checksum_v2_doc_example.json")).unwrap();
    let msgs = messages(&v["book"].to_string());
    let data = &msgs[0].data;
    let pairs = |levels: &[exchange_core::adapters::kraken::parse::ws_book::WsLevel]| {
        levels
            .iter()
            .map(|l| (l.price.text().to_owned(), l.qty.text().to_owned()))
            .collect::<Vec<_>>()
    };
    let (asks, bids) = (pairs(&data.asks), pairs(&data.bids));
    let input = checksum_input(
        asks.iter().map(|(p, q)| (p.as_str(), q.as_str())),
        bids.iter().map(|(p, q)| (p.as_str(), q.as_str())),
    );
    assert!(input.starts_with("452852100000"));
    assert_eq!(input, v["expected"]["crc32_input"].as_str().unwrap());
    assert_eq!(crc32(&input), 3_310_070_434);

    let mut book = KrakenBook::new(sym("BTC/USD"), 10).unwrap();
    let actions = book.on_message(&msgs[0], 1);
    assert_eq!(book.state(), BookState::Live);
    assert_eq!(book.checksum(), 3_310_070_434);
    assert!(matches!(
        &actions[..],
        [BookAction::Publish {
            seq: 1,
            update: BookUpdate::Snapshot(_)
        }]
    ));
}

#[test]
fn real_eth_usd_sequence_verifies_every_checksum() {
    let l = lines("kraken_book_v2_sequence_ETHUSD.jsonl");
    let mut book = KrakenBook::new(sym("ETH/USD"), 10).unwrap();
    let snapshot = messages(&l[1]);
    assert_eq!(snapshot[0].kind, BookKind::Snapshot);
    assert_eq!(snapshot[0].data.checksum, 2_606_672_715);
    book.on_message(&snapshot[0], 1);
    assert_eq!(book.state(), BookState::Live);
    assert_eq!(book.checksum(), 2_606_672_715);
    let (bids, asks) = book.top_text(10);
    assert_eq!(asks[3], ["1797.30".to_owned(), "139.09783403".to_owned()]);
    assert_eq!(bids[0], ["1797.24".to_owned(), "0.43393711".to_owned()]);

    let update = messages(&l[2]);
    let actions = book.on_message(&update[0], 2);
    assert_eq!(book.counters().checksum_failures, 0);
    assert_eq!(book.checksum(), 3_329_440_863);
    assert_eq!(book.level_counts(), (10, 10));
    let (_, asks) = book.top_text(10);
    assert!(asks.iter().all(|a| a[0] != "1797.29"), "1797.29 deleted");
    assert_eq!(asks[9], ["1797.52".to_owned(), "1.56601318".to_owned()]);
    // 1797.29 left and 1797.52 became 10th: nothing was cut, the delta is the wire levels.
    let [
        BookAction::Publish {
            seq: 2,
            update: BookUpdate::Delta(delta),
        },
    ] = &actions[..]
    else {
        panic!("{actions:?}");
    };
    assert_eq!(
        delta.asks,
        vec![
            Level::new(dec!(1797.29), dec!(0)),
            Level::new(dec!(1797.52), dec!(1.56601318))
        ]
    );
    assert_eq!(delta.exchange_ts_ns, 1_746_523_046_208_075_000);
}

fn eth_usd_book() -> KrakenBook {
    let l = lines("kraken_book_v2_sequence_ETHUSD.jsonl");
    let mut book = KrakenBook::new(sym("ETH/USD"), 10).unwrap();
    book.on_message(&messages(&l[1])[0], 1);
    book
}

fn ask_update(price: &str, qty: &str, checksum: u32) -> BookMessage {
    let frame = format!(
        r#"{{"channel":"book","type":"update","data":[{{"symbol":"ETH/USD","bids":[],"asks":[{{"price":{price},"qty":{qty}}}],"checksum":{checksum}}}]}}"#
    );
    messages(&frame).remove(0)
}

#[test]
fn truncation_drops_levels_out_of_scope_and_reports_them() {
    // Inserting ask 1797.26 into the real snapshot pushes 1797.49 out of the top 10. The
    // expected checksum was computed with Python's zlib.crc32 over the resulting top 10
    // (asks 1797.25, 1797.26, 1797.28 … 1797.48; the snapshot's bids), by the documented rule.
    let mut book = eth_usd_book();
    let actions = book.on_message(&ask_update("1797.26", "1.00000000", 3_248_385_077), 2);
    assert_eq!(book.state(), BookState::Live);
    assert_eq!(book.counters().checksum_failures, 0);
    assert_eq!(book.level_counts(), (10, 10));
    let [
        BookAction::Publish {
            update: BookUpdate::Delta(delta),
            ..
        },
    ] = &actions[..]
    else {
        panic!("{actions:?}");
    };
    assert_eq!(
        delta.asks,
        vec![
            Level::new(dec!(1797.26), dec!(1.00000000)),
            Level::new(dec!(1797.49), dec!(0)),
        ],
        "the truncated level is published as a delete"
    );
}

#[test]
fn a_corrupted_checksum_is_detected_and_asks_for_a_resubscription() {
    let l = lines("kraken_book_v2_sequence_ETHUSD.jsonl");
    let mut book = eth_usd_book();
    // The real update with its checksum off by one.
    let corrupted = l[2].replace("3329440863", "3329440864");
    let actions = book.on_message(&messages(&corrupted)[0], 2);
    assert_eq!(book.state(), BookState::Stale);
    assert_eq!(book.counters().checksum_failures, 1);
    let [
        BookAction::Publish {
            update: BookUpdate::Stale { reason },
            ..
        },
        BookAction::Resubscribe,
    ] = &actions[..]
    else {
        panic!("{actions:?}");
    };
    assert!(
        reason.contains("3329440863") && reason.contains("3329440864"),
        "{reason}"
    );
    // Updates are dropped until a snapshot arrives; the snapshot makes the book live again.
    assert!(book.on_message(&messages(&l[2])[0], 3).is_empty());
    assert_eq!(book.counters().dropped, 1);
    book.on_message(&messages(&l[1])[0], 4);
    assert_eq!(book.state(), BookState::Live);
    book.on_message(&messages(&l[2])[0], 5);
    assert_eq!(book.checksum(), 3_329_440_863);
    assert_eq!(book.state(), BookState::Live);
}

#[test]
fn a_float_round_trip_would_fail_the_checksum() {
    // 0.10000000 read through f64 prints as 0.1: the text, not the value, is checksummed.
    let mut book = eth_usd_book();
    let as_float = ask_update("1797.26", "1.0", 3_248_385_077);
    book.on_message(&as_float, 2);
    assert_eq!(book.counters().checksum_failures, 1);
}

#[test]
fn depths_outside_the_venue_list_are_refused() {
    assert!(KrakenBook::new(sym("BTC/USD"), 27).is_err());
    for depth in [10, 25, 100, 500, 1000] {
        assert_eq!(
            KrakenBook::new(sym("BTC/USD"), depth).unwrap().depth(),
            depth
        );
    }
}
