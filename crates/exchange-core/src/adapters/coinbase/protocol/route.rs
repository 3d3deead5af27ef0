//! Routing a channel message to subscription keys: the events of one product, and the keys
//! a `subscriptions` ack lists.

use std::collections::BTreeSet;

use super::SubKey;
use crate::adapters::coinbase::parse::ws::{Channel, ChannelBody, ChannelMessage};

/// Whether an event of `event_product` belongs to a subscription of `key_product`: the same
/// product, or, on public channels, the `-USD` product that answers for a `-USDC` one ("-USDC
/// products are only distinct on the user channel", §5).
fn serves(key_product: &str, event_product: &str, public: bool) -> bool {
    key_product == event_product
        || (public
            && key_product
                .strip_suffix("-USDC")
                .is_some_and(|base| event_product.strip_suffix("-USD") == Some(base)))
}

/// Keeps, in each event, the items of `product` (renamed to it); drops events left empty
/// unless `keep_empty` says otherwise.
fn nested<E: Clone, I>(
    events: &[E],
    product: &str,
    items: impl Fn(&mut E) -> &mut Vec<I>,
    product_of: impl Fn(&mut I) -> Option<&mut String>,
    keep_empty: impl Fn(&E) -> bool,
    public: bool,
) -> Option<Vec<E>> {
    let mut out = Vec::new();
    for event in events {
        let mut event = event.clone();
        items(&mut event).retain_mut(|item| match product_of(item) {
            Some(id) if serves(product, id, public) => {
                product.clone_into(id);
                true
            }
            _ => false,
        });
        if !items(&mut event).is_empty() || keep_empty(&event) {
            out.push(event);
        }
    }
    (!out.is_empty()).then_some(out)
}

/// For events that are dropped when none of their items is kept.
fn never<E>(_: &E) -> bool {
    false
}

/// The events of `body` about `product`, or `None` when there are none.
pub(super) fn for_product(body: &ChannelBody, product: &str) -> Option<ChannelBody> {
    match body {
        ChannelBody::Level2(events) => {
            let kept: Vec<_> = events
                .iter()
                .filter(|e| serves(product, &e.product_id, true))
                .map(|e| {
                    let mut e = e.clone();
                    product.clone_into(&mut e.product_id);
                    e
                })
                .collect();
            (!kept.is_empty()).then_some(ChannelBody::Level2(kept))
        }
        ChannelBody::MarketTrades(events) => nested(
            events,
            product,
            |e| &mut e.trades,
            |t| Some(&mut t.product_id),
            never,
            true,
        )
        .map(ChannelBody::MarketTrades),
        ChannelBody::Ticker(events) => nested(
            events,
            product,
            |e| &mut e.tickers,
            |t| Some(&mut t.product_id),
            never,
            true,
        )
        .map(ChannelBody::Ticker),
        ChannelBody::Candles(events) => nested(
            events,
            product,
            |e| &mut e.candles,
            |c| c.product_id.as_mut(),
            never,
            true,
        )
        .map(ChannelBody::Candles),
        ChannelBody::Status(events) => nested(
            events,
            product,
            |e| &mut e.products,
            |p| Some(&mut p.id),
            never,
            true,
        )
        .map(ChannelBody::Status),
        ChannelBody::User(events) => nested(
            events,
            product,
            |e| &mut e.orders,
            |o| Some(&mut o.product_id),
            |e| e.is_snapshot(),
            false,
        )
        .map(ChannelBody::User),
        ChannelBody::Subscriptions(_) | ChannelBody::Heartbeats(_) | ChannelBody::Other(_) => None,
    }
}

/// The keys an ack lists.
pub(super) fn acked_keys(msg: &ChannelMessage) -> BTreeSet<SubKey> {
    let mut keys = BTreeSet::new();
    if let ChannelBody::Subscriptions(events) = &msg.body {
        for event in events {
            for (name, products) in &event.subscriptions {
                let Some(channel) = Channel::from_subscribe_name(name) else {
                    continue;
                };
                if channel.takes_products() && !products.is_empty() {
                    keys.extend(products.iter().map(|p| SubKey::new(channel, p)));
                } else {
                    keys.insert(SubKey::channel(channel));
                }
            }
        }
    }
    keys
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::adapters::coinbase::parse::ws::{WsMessage, parse_message};

    fn body(text: &str) -> ChannelBody {
        match parse_message(text).unwrap() {
            WsMessage::Channel(m) => m.body,
            other => panic!("{other:?}"),
        }
    }

    #[test]
    fn usdc_keys_get_the_usd_data_of_public_channels_renamed() {
        let trades = body(
            r#"{"channel":"market_trades","timestamp":"2026-01-01T00:00:00Z","sequence_num":5,"events":[{"type":"update","trades":[{"trade_id":"1","product_id":"BTC-USD","price":"1","size":"1","side":"BUY","time":"2026-01-01T00:00:00Z"},{"trade_id":"2","product_id":"ETH-USD","price":"1","size":"1","side":"SELL","time":"2026-01-01T00:00:00Z"}]}]}"#,
        );
        let Some(ChannelBody::MarketTrades(e)) = for_product(&trades, "BTC-USDC") else {
            panic!()
        };
        assert_eq!(e[0].trades.len(), 1);
        assert_eq!(e[0].trades[0].product_id, "BTC-USDC");
        assert!(for_product(&trades, "SOL-USD").is_none());
        assert!(serves("BTC-USD", "BTC-USD", false));
        assert!(
            !serves("BTC-USDC", "BTC-USD", false),
            "user channel keeps them apart"
        );
        assert!(!serves("BTC-USD", "BTC-USDC", true));
    }
}
