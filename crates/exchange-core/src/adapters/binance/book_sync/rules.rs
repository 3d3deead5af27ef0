//! The continuity rules of the two documented procedures, as pure verdicts on one event.
//!
//! Spot — web-socket-streams.md "How to manage a local order book correctly" (§5.1):
//! - step 4: discard buffered events with `u <= lastUpdateId`; the first remaining event must
//!   contain `lastUpdateId + 1` in `[U; u]`;
//! - step 5: then for each event, if `u` < book id ignore it (we also ignore `u ==` book id, which
//!   carries nothing new), if `U` > book id + 1 something was missed: discard the book and
//!   restart; else apply it (normally `U == previous u + 1`).
//!
//! USD-M futures — developers.binance.com "How to manage a local order book correctly":
//! - step 4: drop any event where `u < lastUpdateId`;
//! - step 5: the first processed event must have `U <= lastUpdateId AND u >= lastUpdateId`;
//! - step 6: afterwards each event's `pu` must equal the previous event's `u`, else
//!   re-initialize from step 3.

use crate::adapters::binance::parse::depth::DepthUpdate;

/// Which procedure applies.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Rules {
    /// Spot and margin (`U`/`u` continuity).
    Spot,
    /// USD-M futures (`pu` continuity).
    UsdM,
}

/// What to do with one event.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Verdict {
    /// Older than the book: ignore it.
    Drop,
    /// Continues the book: apply it.
    Apply,
    /// Something is missing between the book and this event: the book cannot be proven.
    Gap,
}

/// The verdict on the first event after a snapshot with `last_update_id` (spot step 4,
/// futures steps 4–5). [`Verdict::Gap`] here means the snapshot is older than the stream
/// (spot step 3): fetch a newer one.
pub fn first_event(rules: Rules, ev: &DepthUpdate, last_update_id: u64) -> Verdict {
    let (first, last) = (ev.first_update_id, ev.final_update_id);
    match rules {
        Rules::Spot if last <= last_update_id => Verdict::Drop,
        Rules::Spot if first <= last_update_id.saturating_add(1) => Verdict::Apply,
        Rules::UsdM if last < last_update_id => Verdict::Drop,
        Rules::UsdM if first <= last_update_id => Verdict::Apply,
        _ => Verdict::Gap,
    }
}

/// The verdict on an event once the book is live at `book_id` (the last applied `u`):
/// spot step 5, futures step 6.
pub fn next_event(rules: Rules, ev: &DepthUpdate, book_id: u64) -> Verdict {
    if ev.final_update_id <= book_id {
        return Verdict::Drop;
    }
    let continuous = match rules {
        Rules::Spot => ev.first_update_id <= book_id.saturating_add(1),
        Rules::UsdM => ev.prev_final_update_id == Some(book_id),
    };
    if continuous {
        Verdict::Apply
    } else {
        Verdict::Gap
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ev(first: u64, last: u64, pu: Option<u64>) -> DepthUpdate {
        DepthUpdate {
            event_time: 0,
            transaction_time: None,
            symbol: "X".into(),
            first_update_id: first,
            final_update_id: last,
            prev_final_update_id: pu,
            bids: vec![],
            asks: vec![],
        }
    }

    #[test]
    fn spot_first_event_must_straddle_last_update_id_plus_one() {
        let l = 100;
        assert_eq!(
            first_event(Rules::Spot, &ev(90, 99, None), l),
            Verdict::Drop
        );
        assert_eq!(
            first_event(Rules::Spot, &ev(97, 100, None), l),
            Verdict::Drop,
            "u == L"
        );
        assert_eq!(
            first_event(Rules::Spot, &ev(101, 101, None), l),
            Verdict::Apply
        );
        assert_eq!(
            first_event(Rules::Spot, &ev(95, 105, None), l),
            Verdict::Apply
        );
        assert_eq!(
            first_event(Rules::Spot, &ev(102, 105, None), l),
            Verdict::Gap
        );
    }

    #[test]
    fn futures_first_event_must_contain_last_update_id() {
        let l = 100;
        assert_eq!(
            first_event(Rules::UsdM, &ev(90, 99, Some(89)), l),
            Verdict::Drop
        );
        assert_eq!(
            first_event(Rules::UsdM, &ev(97, 100, Some(96)), l),
            Verdict::Apply,
            "u == L"
        );
        assert_eq!(
            first_event(Rules::UsdM, &ev(100, 104, Some(99)), l),
            Verdict::Apply
        );
        assert_eq!(
            first_event(Rules::UsdM, &ev(101, 104, Some(100)), l),
            Verdict::Gap
        );
    }

    #[test]
    fn live_events_need_continuity() {
        assert_eq!(
            next_event(Rules::Spot, &ev(11, 12, None), 10),
            Verdict::Apply
        );
        assert_eq!(next_event(Rules::Spot, &ev(12, 12, None), 10), Verdict::Gap);
        assert_eq!(next_event(Rules::Spot, &ev(9, 10, None), 10), Verdict::Drop);
        assert_eq!(
            next_event(Rules::UsdM, &ev(15, 20, Some(10)), 10),
            Verdict::Apply
        );
        assert_eq!(
            next_event(Rules::UsdM, &ev(15, 20, Some(11)), 10),
            Verdict::Gap
        );
        assert_eq!(
            next_event(Rules::UsdM, &ev(15, 20, None), 10),
            Verdict::Gap,
            "no pu"
        );
        assert_eq!(
            next_event(Rules::UsdM, &ev(5, 10, Some(4)), 10),
            Verdict::Drop
        );
    }
}
