//! One market (the spot books shared by spot and margin accounts, or the USD-M futures books):
//! symbols, accounts, order entry and cancellation.
//!
//! Everything here is synchronous and takes the current time as an argument, so tests drive it
//! without a runtime. Events are collected and drained with [`Exchange::take_events`].

use std::collections::BTreeMap;

use rust_decimal::Decimal;

use super::account::{Account, AccountKind};
use super::book::{Book, PriceLevel};
use super::candles::Tape;
use super::events::EngineEvent;
use super::spec::{FilterFailure, SymbolSpec};
use super::types::{Order, OrderType, Side, TimeInForce};

/// Whether the market settles in spot balances or futures positions.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum MarketKind {
    /// Spot (and margin) balances.
    Spot,
    /// USD-M perpetual futures.
    Futures,
}

/// Why the engine refused a request; the wire layer maps each to a Binance code.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum EngineError {
    /// The symbol is not listed (`-1121`).
    #[error("Invalid symbol.")]
    UnknownSymbol,
    /// A filter failed (`-1013`).
    #[error("Filter failure: {}", .0.as_str())]
    Filter(FilterFailure),
    /// Not enough free balance (`-2010`).
    #[error("Account has insufficient balance for requested action.")]
    InsufficientBalance,
    /// Futures margin check failed (`-2019`).
    #[error("Margin is insufficient.")]
    MarginInsufficient,
    /// A LIMIT_MAKER order would take (`-2010`).
    #[error("Order would immediately match and take.")]
    WouldTake,
    /// A stop order would trigger at once (`-2010`).
    #[error("Order would trigger immediately.")]
    WouldTrigger,
    /// Client order id already used by an open order (`-2010`).
    #[error("Duplicate order sent.")]
    Duplicate,
    /// No such order (`-2013` / `-2011`).
    #[error("Order does not exist.")]
    UnknownOrder,
    /// Reduce-only order would increase the position (`-2022`).
    #[error("ReduceOnly Order is rejected.")]
    ReduceOnly,
    /// A quote-quantity market order found nothing to buy (`-2010`).
    #[error("Order book liquidity is less than LOT_SIZE filter minimum quantity.")]
    InsufficientLiquidity,
    /// Unknown account index (a configuration error).
    #[error("unknown account")]
    UnknownAccount,
}

/// Margin side effect of a margin order.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum SideEffect {
    /// Plain order.
    #[default]
    None,
    /// Borrow what is missing.
    MarginBuy,
    /// Repay borrowed assets from the proceeds.
    AutoRepay,
}

/// A validated new-order request.
#[derive(Debug, Clone, PartialEq)]
pub struct NewOrder {
    /// Account index.
    pub account: usize,
    /// Symbol.
    pub symbol: String,
    /// Side.
    pub side: Side,
    /// Type.
    pub kind: OrderType,
    /// Time in force.
    pub tif: TimeInForce,
    /// Limit price (limit-style orders).
    pub price: Option<Decimal>,
    /// Base quantity.
    pub qty: Option<Decimal>,
    /// Quote quantity (market orders only).
    pub quote_qty: Option<Decimal>,
    /// Stop price (stop orders).
    pub stop_price: Option<Decimal>,
    /// Client order id; generated when None.
    pub client_id: Option<String>,
    /// Futures reduce-only.
    pub reduce_only: bool,
    /// Margin side effect.
    pub side_effect: SideEffect,
}

/// State of one symbol.
#[derive(Debug, Clone)]
pub struct SymbolState {
    /// Specification.
    pub spec: SymbolSpec,
    /// True book.
    pub book: Book,
    /// Trades and candles.
    pub tape: Tape,
    pub(super) stops: Vec<u64>,
    pub(super) last_bbo: (Option<PriceLevel>, Option<PriceLevel>),
}

/// Fee rates.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Fees {
    /// Maker rate (0.001 = 0.1 %).
    pub maker: Decimal,
    /// Taker rate.
    pub taker: Decimal,
}

/// One market.
#[derive(Debug, Clone)]
pub struct Exchange {
    pub(super) kind: MarketKind,
    pub(super) symbols: BTreeMap<String, SymbolState>,
    pub(super) orders: BTreeMap<u64, Order>,
    pub(super) accounts: Vec<Account>,
    pub(super) next_order_id: u64,
    pub(super) next_trade_id: u64,
    pub(super) fees: Fees,
    pub(super) events: Vec<EngineEvent>,
    client_seq: u64,
}

impl Exchange {
    /// A market with `symbols`, empty books starting at `start_update_id`.
    pub fn new(kind: MarketKind, symbols: &[SymbolSpec], fees: Fees, start_update_id: u64) -> Self {
        let symbols = symbols
            .iter()
            .map(|s| {
                let state = SymbolState {
                    spec: s.clone(),
                    book: Book::new(start_update_id),
                    tape: Tape::new(s.start_price),
                    stops: Vec::new(),
                    last_bbo: (None, None),
                };
                (s.symbol.clone(), state)
            })
            .collect();
        Exchange {
            kind,
            symbols,
            orders: BTreeMap::new(),
            accounts: Vec::new(),
            next_order_id: 1,
            next_trade_id: 1,
            fees,
            events: Vec::new(),
            client_seq: 0,
        }
    }

    /// Market kind.
    pub fn kind(&self) -> MarketKind {
        self.kind
    }

    /// Fee rates.
    pub fn fees(&self) -> Fees {
        self.fees
    }

    /// Adds an account; returns its index.
    pub fn add_account(&mut self, account: Account) -> usize {
        self.accounts.push(account);
        self.accounts.len() - 1
    }

    /// An account by index.
    pub fn account(&self, idx: usize) -> Option<&Account> {
        self.accounts.get(idx)
    }

    /// A symbol's state.
    pub fn symbol(&self, symbol: &str) -> Option<&SymbolState> {
        self.symbols.get(symbol)
    }

    /// A symbol's state, mutable (candles roll on read).
    pub fn symbol_mut(&mut self, symbol: &str) -> Option<&mut SymbolState> {
        self.symbols.get_mut(symbol)
    }

    /// All symbols.
    pub fn symbols(&self) -> impl Iterator<Item = &SymbolState> {
        self.symbols.values()
    }

    /// Symbol names.
    pub fn symbol_names(&self) -> Vec<String> {
        self.symbols.keys().cloned().collect()
    }

    /// Drains the events produced since the last call.
    pub fn take_events(&mut self) -> Vec<EngineEvent> {
        std::mem::take(&mut self.events)
    }

    /// Mark price of a symbol: book mid, else last trade.
    pub fn mark_price(&self, symbol: &str) -> Decimal {
        let Some(s) = self.symbols.get(symbol) else {
            return Decimal::ZERO;
        };
        match (s.book.best_bid(), s.book.best_ask()) {
            (Some((b, _)), Some((a, _))) => (b + a) / Decimal::TWO,
            _ => s.tape.last_price(),
        }
    }

    /// An order of `account` by id or client id.
    pub fn find_order(
        &self,
        account: usize,
        symbol: &str,
        id: Option<u64>,
        client_id: Option<&str>,
    ) -> Option<&Order> {
        self.orders.values().find(|o| {
            o.account == account
                && o.symbol == symbol
                && id.is_none_or(|i| o.id == i)
                && client_id.is_none_or(|c| o.client_id == c)
        })
    }

    /// Open orders of `account`, optionally of one symbol.
    pub fn open_orders(&self, account: usize, symbol: Option<&str>) -> Vec<Order> {
        self.orders
            .values()
            .filter(|o| {
                o.account == account && o.status.is_open() && symbol.is_none_or(|s| o.symbol == s)
            })
            .cloned()
            .collect()
    }

    /// All orders of `account`, optionally of one symbol.
    pub fn all_orders(&self, account: usize, symbol: Option<&str>) -> Vec<Order> {
        self.orders
            .values()
            .filter(|o| o.account == account && symbol.is_none_or(|s| o.symbol == s))
            .cloned()
            .collect()
    }

    pub(super) fn next_flow_id(&mut self) -> u64 {
        self.next_order_id += 1;
        self.next_order_id - 1
    }

    /// A fresh client id for a cancel request that did not bring one.
    pub fn next_cancel_id(&mut self) -> String {
        self.next_client_id()
    }

    pub(super) fn next_client_id(&mut self) -> String {
        self.client_seq += 1;
        format!("sim{:019}", self.client_seq)
    }

    /// Sets the leverage of a futures symbol for an account.
    pub fn set_leverage(
        &mut self,
        account: usize,
        symbol: &str,
        leverage: u32,
    ) -> Result<(), EngineError> {
        if !self.symbols.contains_key(symbol) {
            return Err(EngineError::UnknownSymbol);
        }
        let acc = self
            .accounts
            .get_mut(account)
            .ok_or(EngineError::UnknownAccount)?;
        acc.position_mut(symbol).leverage = leverage;
        Ok(())
    }

    /// Account kind of an index.
    pub fn account_kind(&self, idx: usize) -> Option<AccountKind> {
        self.accounts.get(idx).map(|a| a.kind)
    }
}
