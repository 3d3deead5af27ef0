//! Subjects of the bus contract: builders that validate every token, and a parser that turns a
//! received subject back into what it names.
//!
//! | subject | payload |
//! |---|---|
//! | `md.<venue>.trade.<symbol>` | [`crate::TradeMsg`] |
//! | `md.<venue>.ticker.<symbol>` | [`crate::TickerMsg`] |
//! | `md.<venue>.book.<symbol>` | [`crate::BookEvent`] |
//! | `md.<venue>.candle_<tf>.<symbol>` | [`crate::CandleMsg`] |
//! | `md.<venue>.status.<symbol>` | [`crate::FeedStatus`] |
//! | `orders.cmd.<venue>.<account>` | [`crate::OrderCommand`] |
//! | `orders.evt.<venue>.<account>` | [`crate::OrderEvent`] |
//! | `acct.<venue>.<account>.<query>` | [`crate::AccountRequest`] → [`crate::AccountReply`] |
//!
//! A symbol token is the unified symbol with `/` and `:` replaced by `-` ([`Symbol::token`]).
//! Venue and account tokens are 1–64 characters of `A-Z a-z 0-9 - _`: no `.`, `*`, `>` or
//! whitespace can reach a subject, and every token is also a valid JetStream KV key part.

use std::fmt;
use std::str::FromStr;

use exchange_core::model::{Symbol, Timeframe};

use crate::error::{BusError, Result};

/// The longest venue or account token.
pub const MAX_TOKEN_LEN: usize = 64;

/// Every order command subject (`orders.cmd.>`), the subjects of the `ORDERS_CMD` stream.
pub const ORDER_COMMANDS_ALL: &str = "orders.cmd.>";

/// Every order event subject (`orders.evt.>`), the subjects of the `ORDERS_EVT` stream.
pub const ORDER_EVENTS_ALL: &str = "orders.evt.>";

/// Checks that `token` can be a venue, account or client-order-id token: 1–64 characters of
/// `A-Z a-z 0-9 - _`.
pub fn check_token(what: &'static str, token: &str) -> Result<()> {
    if token.is_empty() {
        return Err(BusError::token(what, token, "empty"));
    }
    if token.len() > MAX_TOKEN_LEN {
        return Err(BusError::token(
            what,
            token,
            format!("longer than {MAX_TOKEN_LEN} characters"),
        ));
    }
    if let Some(c) = token
        .chars()
        .find(|c| !(c.is_ascii_alphanumeric() || *c == '-' || *c == '_'))
    {
        return Err(BusError::token(
            what,
            token,
            format!("character {c:?} not allowed (only A-Z a-z 0-9 - _)"),
        ));
    }
    Ok(())
}

/// A market-data channel: the third token of an `md.` subject.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum MdChannel {
    /// `trade`: public trades.
    Trade,
    /// `ticker`: best bid/ask and 24 h statistics.
    Ticker,
    /// `book`: order book snapshots and deltas.
    Book,
    /// `status`: feed state changes.
    Status,
    /// `candle_<tf>`: candles of one timeframe (`candle_1m`, `candle_1h`).
    Candle(Timeframe),
}

impl fmt::Display for MdChannel {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            MdChannel::Trade => f.write_str("trade"),
            MdChannel::Ticker => f.write_str("ticker"),
            MdChannel::Book => f.write_str("book"),
            MdChannel::Status => f.write_str("status"),
            MdChannel::Candle(tf) => write!(f, "candle_{tf}"),
        }
    }
}

impl FromStr for MdChannel {
    type Err = BusError;

    fn from_str(s: &str) -> Result<Self> {
        match s {
            "trade" => Ok(MdChannel::Trade),
            "ticker" => Ok(MdChannel::Ticker),
            "book" => Ok(MdChannel::Book),
            "status" => Ok(MdChannel::Status),
            _ => match s.strip_prefix("candle_") {
                Some(tf) => tf
                    .parse()
                    .map(MdChannel::Candle)
                    .map_err(|e| BusError::token("channel", s, e.to_string())),
                None => Err(BusError::token(
                    "channel",
                    s,
                    "expected trade, ticker, book, status or candle_<tf>",
                )),
            },
        }
    }
}

/// An account query: the last token of an `acct.` subject.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum AccountQuery {
    /// `balance`: balances per asset.
    Balance,
    /// `positions`: open positions.
    Positions,
    /// `open_orders`: working orders.
    OpenOrders,
    /// `markets`: the venue's markets with their trading rules.
    Markets,
}

impl AccountQuery {
    /// Every query.
    pub const ALL: [AccountQuery; 4] = [
        AccountQuery::Balance,
        AccountQuery::Positions,
        AccountQuery::OpenOrders,
        AccountQuery::Markets,
    ];

    /// The subject token (`balance`, `positions`, `open_orders`, `markets`).
    pub fn as_str(self) -> &'static str {
        match self {
            AccountQuery::Balance => "balance",
            AccountQuery::Positions => "positions",
            AccountQuery::OpenOrders => "open_orders",
            AccountQuery::Markets => "markets",
        }
    }
}

impl fmt::Display for AccountQuery {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

impl FromStr for AccountQuery {
    type Err = BusError;

    fn from_str(s: &str) -> Result<Self> {
        AccountQuery::ALL
            .into_iter()
            .find(|q| q.as_str() == s)
            .ok_or_else(|| {
                BusError::token(
                    "account query",
                    s,
                    "expected balance, positions, open_orders or markets",
                )
            })
    }
}

/// What a bus subject names, as [`Subject::parse`] finds it.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub enum Subject {
    /// `md.<venue>.<channel>.<symbol>`.
    MarketData {
        /// Venue token.
        venue: String,
        /// Channel.
        channel: MdChannel,
        /// Unified symbol.
        symbol: Symbol,
    },
    /// `orders.cmd.<venue>.<account>`.
    OrderCommands {
        /// Venue token.
        venue: String,
        /// Account token.
        account: String,
    },
    /// `orders.evt.<venue>.<account>`.
    OrderEvents {
        /// Venue token.
        venue: String,
        /// Account token.
        account: String,
    },
    /// `acct.<venue>.<account>.<query>`.
    Account {
        /// Venue token.
        venue: String,
        /// Account token.
        account: String,
        /// The query.
        query: AccountQuery,
    },
}

impl Subject {
    /// Parses a concrete subject (no wildcards).
    pub fn parse(subject: &str) -> Result<Subject> {
        let tokens: Vec<&str> = subject.split('.').collect();
        let bad = |why: String| BusError::subject(subject, why);
        let token = |what, t: &str| {
            check_token(what, t)
                .map(|()| t.to_owned())
                .map_err(|e| bad(e.to_string()))
        };
        match tokens.as_slice() {
            ["md", venue, channel, symbol] => Ok(Subject::MarketData {
                venue: token("venue", venue)?,
                channel: channel.parse().map_err(|e: BusError| bad(e.to_string()))?,
                symbol: Symbol::from_token(symbol).map_err(|e| bad(e.to_string()))?,
            }),
            ["orders", "cmd", venue, account] => Ok(Subject::OrderCommands {
                venue: token("venue", venue)?,
                account: token("account", account)?,
            }),
            ["orders", "evt", venue, account] => Ok(Subject::OrderEvents {
                venue: token("venue", venue)?,
                account: token("account", account)?,
            }),
            ["acct", venue, account, query] => Ok(Subject::Account {
                venue: token("venue", venue)?,
                account: token("account", account)?,
                query: query.parse().map_err(|e: BusError| bad(e.to_string()))?,
            }),
            _ => Err(bad(
                "expected md.<venue>.<channel>.<symbol>, orders.cmd|evt.<venue>.<account> \
                 or acct.<venue>.<account>.<query>"
                    .into(),
            )),
        }
    }

    /// Renders the subject, validating every token.
    pub fn render(&self) -> Result<String> {
        match self {
            Subject::MarketData {
                venue,
                channel,
                symbol,
            } => market_data(venue, *channel, symbol),
            Subject::OrderCommands { venue, account } => order_commands(venue, account),
            Subject::OrderEvents { venue, account } => order_events(venue, account),
            Subject::Account {
                venue,
                account,
                query,
            } => account_query(venue, account, *query),
        }
    }
}

/// `md.<venue>.<channel>.<symbol>`.
pub fn market_data(venue: &str, channel: MdChannel, symbol: &Symbol) -> Result<String> {
    check_token("venue", venue)?;
    Ok(format!("md.{venue}.{channel}.{}", symbol.token()))
}

/// A subscription filter over market data: `None` stands for any token (`*`).
///
/// `market_data_filter(Some("binance"), Some(MdChannel::Book), None)` is `md.binance.book.*`.
pub fn market_data_filter(
    venue: Option<&str>,
    channel: Option<MdChannel>,
    symbol: Option<&Symbol>,
) -> Result<String> {
    if let Some(v) = venue {
        check_token("venue", v)?;
    }
    Ok(format!(
        "md.{}.{}.{}",
        venue.unwrap_or("*"),
        channel.map_or_else(|| "*".to_owned(), |c| c.to_string()),
        symbol.map_or_else(|| "*".to_owned(), Symbol::token),
    ))
}

/// `orders.cmd.<venue>.<account>`.
pub fn order_commands(venue: &str, account: &str) -> Result<String> {
    check_token("venue", venue)?;
    check_token("account", account)?;
    Ok(format!("orders.cmd.{venue}.{account}"))
}

/// `orders.evt.<venue>.<account>`.
pub fn order_events(venue: &str, account: &str) -> Result<String> {
    check_token("venue", venue)?;
    check_token("account", account)?;
    Ok(format!("orders.evt.{venue}.{account}"))
}

/// `acct.<venue>.<account>.<query>`.
pub fn account_query(venue: &str, account: &str, query: AccountQuery) -> Result<String> {
    check_token("venue", venue)?;
    check_token("account", account)?;
    Ok(format!("acct.{venue}.{account}.{query}"))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn sym(s: &str) -> Symbol {
        s.parse().unwrap()
    }

    #[test]
    fn builds_the_documented_subjects() {
        let perp = sym("BTC/USDT:USDT");
        assert_eq!(
            market_data("binance", MdChannel::Book, &perp).unwrap(),
            "md.binance.book.BTC-USDT-USDT"
        );
        assert_eq!(
            market_data("kraken", MdChannel::Candle(Timeframe::H1), &sym("ETH/USD")).unwrap(),
            "md.kraken.candle_1h.ETH-USD"
        );
        assert_eq!(
            order_commands("binance", "main").unwrap(),
            "orders.cmd.binance.main"
        );
        assert_eq!(
            order_events("binance", "sub_1").unwrap(),
            "orders.evt.binance.sub_1"
        );
        assert_eq!(
            account_query("coinbase", "main", AccountQuery::OpenOrders).unwrap(),
            "acct.coinbase.main.open_orders"
        );
        assert_eq!(
            market_data_filter(Some("binance"), Some(MdChannel::Book), None).unwrap(),
            "md.binance.book.*"
        );
        assert_eq!(market_data_filter(None, None, None).unwrap(), "md.*.*.*");
    }

    #[test]
    fn every_subject_round_trips() {
        let mut subjects = vec![
            Subject::OrderCommands {
                venue: "binance".into(),
                account: "main".into(),
            },
            Subject::OrderEvents {
                venue: "kraken".into(),
                account: "A-1_x".into(),
            },
        ];
        for query in AccountQuery::ALL {
            subjects.push(Subject::Account {
                venue: "coinbase".into(),
                account: "main".into(),
                query,
            });
        }
        let mut channels = vec![
            MdChannel::Trade,
            MdChannel::Ticker,
            MdChannel::Book,
            MdChannel::Status,
        ];
        channels.extend(Timeframe::ALL.map(MdChannel::Candle));
        for channel in channels {
            for symbol in ["BTC/USDT", "BTC/USDT:USDT", "1000PEPE/USDC"] {
                subjects.push(Subject::MarketData {
                    venue: "binance".into(),
                    channel,
                    symbol: sym(symbol),
                });
            }
        }
        for s in subjects {
            let text = s.render().unwrap();
            assert_eq!(Subject::parse(&text).unwrap(), s, "{text}");
        }
    }

    #[test]
    fn month_and_minute_candles_stay_apart() {
        let month = Subject::parse("md.binance.candle_1M.BTC-USDT").unwrap();
        let minute = Subject::parse("md.binance.candle_1m.BTC-USDT").unwrap();
        assert_ne!(month, minute);
    }

    #[test]
    fn rejects_bad_tokens_when_building() {
        let s = sym("BTC/USDT");
        for venue in [
            "",
            "bin.ance",
            "bin*",
            ">",
            "bin ance",
            "bin\tance",
            "bïnance",
            &"x".repeat(65),
        ] {
            let err = market_data(venue, MdChannel::Trade, &s).unwrap_err();
            assert!(
                matches!(err, BusError::InvalidToken { what: "venue", .. }),
                "{venue:?}: {err}"
            );
        }
        for account in ["", "a.b", "a*", "a>", "a b", "a\n"] {
            for result in [
                order_commands("binance", account),
                order_events("binance", account),
                account_query("binance", account, AccountQuery::Balance),
            ] {
                assert!(
                    matches!(
                        result,
                        Err(BusError::InvalidToken {
                            what: "account",
                            ..
                        })
                    ),
                    "{account:?}"
                );
            }
        }
    }

    #[test]
    fn rejects_malformed_subjects_when_parsing() {
        for bad in [
            "",
            "md",
            "md.binance.book",
            "md.binance.book.BTC-USDT.extra",
            "md.binance.book.BTC/USDT",
            "md.binance.book.btc-usdt",
            "md.binance.depth.BTC-USDT",
            "md.binance.candle_7m.BTC-USDT",
            "md.*.book.BTC-USDT",
            "md.binance.book.>",
            "orders.cmd.binance",
            "orders.xyz.binance.main",
            "orders.cmd.binance.*",
            "acct.binance.main.secrets",
            "acct.binance..balance",
            "other.binance.main.balance",
        ] {
            let err = Subject::parse(bad).unwrap_err();
            assert!(
                matches!(err, BusError::InvalidSubject { .. }),
                "{bad:?}: {err}"
            );
        }
    }
}
