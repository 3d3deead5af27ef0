//! The ledger's rules, fact by fact and in every arrival order.

use bus::{OrderEventKind, OrderPhase, OrderRecord, Reject};
use exchange_core::model::{
    Fill, Liquidity, Order, OrderRequest, OrderStatus, OrderType, Side, TimeInForce,
};
use rust_decimal::Decimal;
use rust_decimal_macros::dec;

use super::{
    LedgerError, Step, Update, apply, current_state, fills_to_publish, needs_reconciliation,
};

fn request() -> OrderRequest {
    OrderRequest {
        client_order_id: "s-1".into(),
        symbol: "BTC/USDT".parse().unwrap(),
        side: Side::Buy,
        order_type: OrderType::Limit,
        quantity: dec!(1.0),
        price: Some(dec!(100)),
        stop_price: None,
        time_in_force: TimeInForce::Gtc,
        expire_ts_ns: None,
        post_only: false,
        reduce_only: false,
    }
}

fn venue(status: OrderStatus, filled: Decimal) -> Order {
    let mut order = super::order_of(&request(), 5);
    order.venue_order_id = Some("28".into());
    order.status = status;
    order.filled_quantity = filled;
    order
}

fn fill(trade_id: &str, quantity: Decimal) -> Fill {
    Fill {
        client_order_id: "s-1".into(),
        venue_order_id: "28".into(),
        trade_id: trade_id.into(),
        symbol: "BTC/USDT".parse().unwrap(),
        side: Side::Buy,
        price: dec!(100),
        quantity,
        fee: dec!(0.01),
        fee_asset: Some("USDT".into()),
        liquidity: Some(Liquidity::Maker),
        exchange_ts_ns: 7,
        local_ts_ns: 8,
    }
}

/// Applies the updates in order from no record; returns the last record and every event id.
fn run(updates: Vec<Update>) -> (Option<OrderRecord>, Vec<String>, Vec<OrderEventKind>) {
    let mut record: Option<OrderRecord> = None;
    let mut ids = Vec::new();
    let mut kinds = Vec::new();
    for update in updates {
        let Step {
            record: next,
            events,
            ..
        } = apply("binance", "main", record.as_ref(), update, 10).unwrap();
        for e in events {
            ids.push(e.id);
            kinds.push(e.kind);
        }
        record = Some(next);
    }
    (record, ids, kinds)
}

fn pending() -> Update {
    Update::Pending {
        request: request(),
        traceparent: Some("00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01".into()),
        command_sequence: Some(42),
    }
}

#[test]
fn pending_writes_a_record_and_publishes_nothing() {
    let step = apply("binance", "main", None, pending(), 10).unwrap();
    assert!(step.changed, "the intent must be written");
    assert!(step.events.is_empty());
    let (record, ids, _) = run(vec![pending()]);
    let record = record.unwrap();
    assert_eq!(record.phase, OrderPhase::Pending);
    assert_eq!(record.request, Some(request()));
    assert!(record.traceparent.is_some());
    assert_eq!(record.command_sequence, Some(42));
    assert!(ids.is_empty());
}

#[test]
fn a_second_pending_is_refused() {
    let (record, _, _) = run(vec![pending()]);
    let err = apply("binance", "main", record.as_ref(), pending(), 1).unwrap_err();
    assert_eq!(err, LedgerError::Exists("s-1".into()));
}

#[test]
fn a_normal_life_publishes_each_fact_once() {
    let (record, ids, kinds) = run(vec![
        pending(),
        Update::Venue(venue(OrderStatus::Open, dec!(0))),
        Update::Venue(venue(OrderStatus::Open, dec!(0))),
        Update::Venue(venue(OrderStatus::PartiallyFilled, dec!(0.4))),
        Update::Fill(fill("t1", dec!(0.4))),
        Update::Fill(fill("t1", dec!(0.4))),
        Update::Fill(fill("t2", dec!(0.6))),
        Update::Venue(venue(OrderStatus::Filled, dec!(1.0))),
        Update::Fill(fill("t2", dec!(0.6))),
    ]);
    assert_eq!(ids, vec!["accepted", "fill:t1", "fill:t2"]);
    assert!(matches!(
        kinds[1],
        OrderEventKind::PartiallyFilled { fill: Some(_), .. }
    ));
    assert!(matches!(
        kinds[2],
        OrderEventKind::Filled { fill: Some(_), .. }
    ));
    let record = record.unwrap();
    assert_eq!(record.order.status, OrderStatus::Filled);
    assert_eq!(record.fills_quantity, dec!(1.0));
    assert_eq!(record.fill_ids, vec!["t1", "t2"]);
    assert_eq!(record.phase, OrderPhase::Known);
    assert_eq!(record.request, None);
    assert!(!needs_reconciliation(&record));
}

#[test]
fn the_accepted_event_shows_what_was_published_not_the_venue_running_ahead() {
    let (_, ids, kinds) = run(vec![
        pending(),
        Update::Venue(venue(OrderStatus::Filled, dec!(1.0))),
    ]);
    assert_eq!(ids, vec!["accepted"]);
    let OrderEventKind::Accepted { order } = &kinds[0] else {
        panic!("{kinds:?}")
    };
    assert_eq!(order.status, OrderStatus::Open);
    assert_eq!(order.venue_order_id.as_deref(), Some("28"));
}

#[test]
fn a_fill_before_any_acknowledgement_publishes_accepted_first() {
    let (record, ids, _) = run(vec![pending(), Update::Fill(fill("t1", dec!(1.0)))]);
    assert_eq!(ids, vec!["accepted", "fill:t1"]);
    assert_eq!(record.unwrap().order.status, OrderStatus::Filled);
}

#[test]
fn cancel_is_published_once_and_is_final() {
    let (record, ids, _) = run(vec![
        pending(),
        Update::Venue(venue(OrderStatus::Open, dec!(0))),
        Update::Venue(venue(OrderStatus::Canceled, dec!(0))),
        Update::Venue(venue(OrderStatus::Canceled, dec!(0))),
        Update::Venue(venue(OrderStatus::Open, dec!(0))),
    ]);
    assert_eq!(ids, vec!["accepted", "canceled"]);
    assert_eq!(record.unwrap().order.status, OrderStatus::Canceled);
}

#[test]
fn a_late_fill_after_cancel_is_still_published_and_the_order_stays_canceled() {
    let (record, ids, kinds) = run(vec![
        pending(),
        Update::Venue(venue(OrderStatus::Canceled, dec!(0.3))),
        Update::Fill(fill("t1", dec!(0.3))),
    ]);
    assert_eq!(ids, vec!["accepted", "canceled", "fill:t1"]);
    assert!(matches!(kinds[2], OrderEventKind::PartiallyFilled { .. }));
    let record = record.unwrap();
    assert_eq!(record.order.status, OrderStatus::Canceled);
    assert!(!needs_reconciliation(&record));
}

#[test]
fn settle_publishes_only_what_the_fills_did_not_explain() {
    let (_, ids, kinds) = run(vec![
        pending(),
        Update::Venue(venue(OrderStatus::Open, dec!(0))),
        Update::Fill(fill("t1", dec!(0.4))),
        Update::Settle(venue(OrderStatus::PartiallyFilled, dec!(0.4))),
        Update::Settle(venue(OrderStatus::Filled, dec!(1.0))),
        Update::Settle(venue(OrderStatus::Filled, dec!(1.0))),
    ]);
    assert_eq!(ids, vec!["accepted", "fill:t1", "filled"]);
    assert!(matches!(
        kinds[2],
        OrderEventKind::Filled { fill: None, .. }
    ));
}

#[test]
fn a_venue_update_running_ahead_waits_for_its_fills() {
    let (record, ids, _) = run(vec![
        pending(),
        Update::Venue(venue(OrderStatus::Filled, dec!(1.0))),
    ]);
    assert_eq!(ids, vec!["accepted"]);
    let record = record.unwrap();
    assert_eq!(record.order.status, OrderStatus::Open);
    assert_eq!(record.order.filled_quantity, dec!(1.0));
    assert!(needs_reconciliation(&record), "fills are still owed");
}

#[test]
fn unknown_then_found_at_the_venue() {
    let (record, ids, _) = run(vec![
        pending(),
        Update::Unknown("503 from the venue".into()),
        Update::Venue(venue(OrderStatus::Open, dec!(0))),
    ]);
    assert_eq!(ids, vec!["unknown:1", "accepted"]);
    let record = record.unwrap();
    assert_eq!(record.phase, OrderPhase::Known);
    assert_eq!(record.unknowns, 1);
}

#[test]
fn unknown_keeps_the_request_for_a_second_placement() {
    let (record, _, _) = run(vec![pending(), Update::Unknown("timeout".into())]);
    let record = record.unwrap();
    assert_eq!(record.phase, OrderPhase::Unknown);
    assert_eq!(record.request, Some(request()));
    assert!(needs_reconciliation(&record));
}

#[test]
fn a_rejected_place_is_terminal_and_answers_repeats_as_rejected() {
    let reason = Reject::new("tick_size", "price off tick");
    let (record, ids, kinds) = run(vec![Update::PlaceRejected {
        request: request(),
        reason: reason.clone(),
        command_sequence: Some(7),
    }]);
    assert_eq!(ids, vec!["rejected"]);
    assert_eq!(
        kinds[0],
        OrderEventKind::Rejected {
            order: Some({
                let mut o = super::order_of(&request(), 10);
                o.status = OrderStatus::Rejected;
                o
            }),
            reason
        }
    );
    let record = record.unwrap();
    assert_eq!(record.command_sequence, Some(7));
    assert!(!needs_reconciliation(&record));
    assert!(matches!(
        current_state(&record),
        OrderEventKind::Rejected { .. }
    ));
}

#[test]
fn a_venue_rejection_after_pending() {
    let (record, ids, _) = run(vec![
        pending(),
        Update::Venue(venue(OrderStatus::Rejected, dec!(0))),
        Update::Venue(venue(OrderStatus::Rejected, dec!(0))),
    ]);
    assert_eq!(ids, vec!["rejected"]);
    assert_eq!(record.unwrap().order.status, OrderStatus::Rejected);
}

#[test]
fn a_refused_cancel_leaves_the_order_and_counts() {
    let (record, ids, kinds) = run(vec![
        pending(),
        Update::Venue(venue(OrderStatus::Open, dec!(0))),
        Update::CommandRejected(Reject::new("rate_limited", "slow down")),
        Update::CommandRejected(Reject::new("rate_limited", "slow down")),
    ]);
    assert_eq!(ids, vec!["accepted", "rejected:1", "rejected:2"]);
    let OrderEventKind::Rejected { order, .. } = &kinds[1] else {
        panic!()
    };
    assert_eq!(order.as_ref().unwrap().status, OrderStatus::Open);
    assert_eq!(record.unwrap().order.status, OrderStatus::Open);
}

#[test]
fn an_order_first_seen_on_the_venue_is_tracked() {
    let (record, ids, _) = run(vec![
        Update::Venue(venue(OrderStatus::PartiallyFilled, dec!(0.5))),
        Update::Fill(fill("t9", dec!(0.5))),
    ]);
    assert_eq!(ids, vec!["accepted", "fill:t9"]);
    let record = record.unwrap();
    assert_eq!(record.fills_quantity, dec!(0.5));
    assert_eq!(record.order.status, OrderStatus::PartiallyFilled);
}

#[test]
fn updates_that_need_a_record_say_so() {
    let err = apply(
        "binance",
        "main",
        None,
        Update::Fill(fill("t1", dec!(1))),
        1,
    )
    .unwrap_err();
    assert_eq!(err, LedgerError::NoRecord("s-1".into()));
}

#[test]
fn a_repeat_of_any_update_changes_nothing() {
    let updates = [
        Update::Venue(venue(OrderStatus::Open, dec!(0))),
        Update::Fill(fill("t1", dec!(0.4))),
        Update::Venue(venue(OrderStatus::Canceled, dec!(0.4))),
        Update::Settle(venue(OrderStatus::Canceled, dec!(0.4))),
    ];
    let (mut record, _, _) = run(vec![pending()]);
    for update in updates {
        let first = apply("binance", "main", record.as_ref(), update.clone(), 10).unwrap();
        let again = apply("binance", "main", Some(&first.record), update, 11).unwrap();
        assert!(again.events.is_empty(), "{:?}", again.events);
        assert!(!again.changed);
        assert_eq!(again.record, first.record);
        record = Some(first.record);
    }
}

#[test]
fn every_arrival_order_of_the_same_facts_publishes_the_same_fills_once() {
    let facts = [
        Update::Venue(venue(OrderStatus::Open, dec!(0))),
        Update::Fill(fill("t1", dec!(0.25))),
        Update::Venue(venue(OrderStatus::PartiallyFilled, dec!(0.25))),
        Update::Fill(fill("t2", dec!(0.75))),
        Update::Venue(venue(OrderStatus::Filled, dec!(1.0))),
    ];
    // All 120 permutations of the five facts, each also delivered twice.
    let mut indices: Vec<usize> = (0..facts.len()).collect();
    let mut count = 0;
    permute(&mut indices, 0, &mut |order| {
        let mut updates = vec![pending()];
        for &i in order {
            updates.push(facts[i].clone());
            updates.push(facts[i].clone());
        }
        let (record, ids, kinds) = run(updates);
        let record = record.unwrap();
        let mut fills: Vec<&String> = ids.iter().filter(|id| id.starts_with("fill:")).collect();
        fills.sort();
        assert_eq!(fills, vec!["fill:t1", "fill:t2"], "{order:?}");
        assert_eq!(ids.iter().filter(|id| *id == "accepted").count(), 1);
        assert_eq!(ids[0], "accepted", "{order:?}");
        assert_eq!(record.order.status, OrderStatus::Filled, "{order:?}");
        assert_eq!(record.fills_quantity, dec!(1.0));
        assert!(matches!(kinds.last(), Some(OrderEventKind::Filled { .. })));
        count += 1;
    });
    assert_eq!(count, 120);
}

fn permute(items: &mut Vec<usize>, k: usize, visit: &mut dyn FnMut(&[usize])) {
    if k == items.len() {
        visit(items);
        return;
    }
    for i in k..items.len() {
        items.swap(k, i);
        permute(items, k + 1, visit);
        items.swap(k, i);
    }
}

#[test]
fn a_rest_check_publishes_only_the_missing_fills_within_the_venues_filled_quantity() {
    let (record, _, _) = run(vec![
        pending(),
        Update::Venue(venue(OrderStatus::Open, dec!(0))),
        Update::Fill(fill("t1", dec!(0.25))),
    ]);
    let record = record.unwrap();
    let rest = vec![
        fill("t1", dec!(0.25)),
        fill("t2", dec!(0.25)),
        fill("t3", dec!(0.25)),
    ];
    let ids = |fills: Vec<Fill>| fills.into_iter().map(|f| f.trade_id).collect::<Vec<_>>();
    // The venue says 0.75 filled: t2 and t3 are missing.
    assert_eq!(
        ids(fills_to_publish(Some(&record), dec!(0.75), rest.clone())),
        vec!["t2", "t3"]
    );
    // The venue says 0.5: only t2 fits (the rest will come with a later check).
    assert_eq!(
        ids(fills_to_publish(Some(&record), dec!(0.5), rest.clone())),
        vec!["t2"]
    );
    // Nothing beyond what was published: nothing.
    assert!(fills_to_publish(Some(&record), dec!(0.25), rest.clone()).is_empty());
    // A merged stream fill (one id for 0.5) against REST's one-by-one ids: no double count.
    let (merged, _, _) = run(vec![pending(), Update::Fill(fill("o:2", dec!(0.5)))]);
    let rest = vec![fill("o:1", dec!(0.25)), fill("o:2", dec!(0.25))];
    assert!(fills_to_publish(merged.as_ref(), dec!(0.5), rest).is_empty());
    // A fill, then two merged by the stream (named after the last), then one the stream has
    // not brought yet: REST's second fill is inside the merged one; only the fourth is missing.
    let (merged, _, _) = run(vec![
        pending(),
        Update::Fill(fill("o:1", dec!(0.25))),
        Update::Fill(fill("o:3", dec!(0.5))),
    ]);
    let rest = vec![
        fill("o:1", dec!(0.25)),
        fill("o:2", dec!(0.25)),
        fill("o:3", dec!(0.25)),
        fill("o:4", dec!(0.25)),
    ];
    assert_eq!(
        ids(fills_to_publish(merged.as_ref(), dec!(1.0), rest.clone())),
        vec!["o:4"]
    );
    assert!(fills_to_publish(merged.as_ref(), dec!(0.75), rest).is_empty());
    // A stream gap lost the first fill and brought the second, under the names REST uses: the
    // first is published.
    let (gap, _, _) = run(vec![pending(), Update::Fill(fill("t2", dec!(0.25)))]);
    let rest = vec![fill("t1", dec!(0.25)), fill("t2", dec!(0.25))];
    assert_eq!(
        ids(fills_to_publish(gap.as_ref(), dec!(0.5), rest)),
        vec!["t1"]
    );
    // No record yet: everything the venue filled.
    assert_eq!(
        ids(fills_to_publish(
            None,
            dec!(0.5),
            vec![fill("a", dec!(0.5))]
        )),
        vec!["a"]
    );
}
