//! The private stream of [`CoinbaseExchange`]: the `user` channel on the user-data session
//! (a fresh JWT per subscribe), turned into [`AccountEvent`]s by [`UserFills`]: every order
//! change, and each fill once (from the growth of the order's cumulative figures).
//!
//! A reconnect or a `sequence_num` gap yields `Resync`: updates may have been lost. The
//! tracker keeps what it last saw of each open order, so fills made while the stream was
//! interrupted are still reported once, from the snapshot the resubscription brings; orders
//! that ended meanwhile are for the caller to reconcile over REST.

use super::exchange::CoinbaseExchange;
use super::parse::ws::{Channel, ChannelBody};
use super::protocol::SubKey;
use super::streams::map_messages;
use super::user_fills::UserFills;
use crate::model::{AccountEvent, now_ns};
use crate::session::SubscribeOptions;
use crate::{Result, Subscription};

impl CoinbaseExchange {
    /// Orders and fills of the account, from the `user` channel for every product.
    pub(crate) async fn account_stream(&self) -> Result<Subscription<AccountEvent>> {
        self.adapter.require_credentials("subscribe_account")?;
        let parts = self.user_parts().await?;
        let sub = parts
            .handle
            .subscribe(SubKey::channel(Channel::User), SubscribeOptions::default())
            .await?;
        let mut fills = UserFills::new();
        Ok(map_messages(sub, move |msg| match &msg.body {
            ChannelBody::User(events) => {
                let mut out = Vec::new();
                for event in events {
                    match fills.on_event(event, msg.timestamp_ns, now_ns()) {
                        Ok(items) => out.extend(items.into_iter().map(Ok)),
                        Err(e) => out.push(Err(e)),
                    }
                }
                out
            }
            _ => Vec::new(),
        }))
    }
}
