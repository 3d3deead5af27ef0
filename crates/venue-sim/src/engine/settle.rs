//! Settlement of executions: balance reservation at order entry, per-fill accounting for spot,
//! margin and futures accounts, and margin auto-repay.

use rust_decimal::Decimal;

use super::account::{AccountFill, AccountKind};
use super::book::MakerFill;
use super::candles::PublicTrade;
use super::events::{EngineEvent, OrderUpdate};
use super::exchange::{EngineError, Exchange, MarketKind, NewOrder, SideEffect};
use super::spec::SymbolSpec;
use super::types::{ExecType, OrderStatus, OrderType, Owner, Side};

impl Exchange {
    /// Reserves what a new order needs; returns the amount locked for it.
    pub(super) fn reserve(
        &mut self,
        req: &NewOrder,
        sim_base: Decimal,
        sim_quote: Decimal,
    ) -> Result<Decimal, EngineError> {
        match self.kind {
            MarketKind::Spot => self.reserve_spot(req, sim_base, sim_quote),
            MarketKind::Futures => self.reserve_futures(req, sim_quote),
        }
    }

    fn reserve_spot(
        &mut self,
        req: &NewOrder,
        sim_base: Decimal,
        sim_quote: Decimal,
    ) -> Result<Decimal, EngineError> {
        let asset = self.lock_asset(&req.symbol, req.side);
        let price = req.price.unwrap_or_default();
        let need = match (req.side, req.kind) {
            (Side::Buy, OrderType::Market) => sim_quote,
            (Side::Buy, _) => price * req.qty.unwrap_or_default(),
            (Side::Sell, _) => req.qty.unwrap_or(sim_base),
        };
        let acc = self
            .accounts
            .get_mut(req.account)
            .ok_or(EngineError::UnknownAccount)?;
        let margin = acc.kind == AccountKind::Margin;
        let bal = acc.balance_mut(&asset);
        if bal.free < need {
            if margin && req.side_effect == SideEffect::MarginBuy {
                let borrow = need - bal.free;
                bal.borrowed += borrow;
                bal.free += borrow;
            } else {
                return Err(EngineError::InsufficientBalance);
            }
        }
        bal.free -= need;
        bal.locked += need;
        Ok(need)
    }

    fn reserve_futures(
        &mut self,
        req: &NewOrder,
        sim_quote: Decimal,
    ) -> Result<Decimal, EngineError> {
        let asset = self.lock_asset(&req.symbol, req.side);
        let mark = self.mark_price(&req.symbol);
        let (pos_margin, unrealized) = self.futures_exposure(req.account);
        let acc = self
            .accounts
            .get_mut(req.account)
            .ok_or(EngineError::UnknownAccount)?;
        let pos = acc.position_mut(&req.symbol).clone();
        if req.reduce_only {
            let qty = req.qty.unwrap_or_default();
            let reduces = match req.side {
                Side::Buy => pos.amount.is_sign_negative() && qty <= -pos.amount,
                Side::Sell => pos.amount.is_sign_positive() && qty <= pos.amount,
            };
            if pos.amount.is_zero() || !reduces {
                return Err(EngineError::ReduceOnly);
            }
            return Ok(Decimal::ZERO);
        }
        let notional = match req.kind {
            OrderType::Market => sim_quote.max(req.qty.unwrap_or_default() * mark),
            _ => req.price.unwrap_or_default() * req.qty.unwrap_or_default(),
        };
        let margin = notional / Decimal::from(pos.leverage.max(1));
        let bal = acc.balance_mut(&asset);
        let available = bal.free - bal.locked - pos_margin + unrealized;
        if available < margin {
            return Err(EngineError::MarginInsufficient);
        }
        bal.locked += margin;
        Ok(margin)
    }

    /// Position initial margin and unrealized PnL of a futures account, over all symbols.
    pub fn futures_exposure(&self, account: usize) -> (Decimal, Decimal) {
        let Some(acc) = self.accounts.get(account) else {
            return (Decimal::ZERO, Decimal::ZERO);
        };
        acc.positions
            .iter()
            .fold((Decimal::ZERO, Decimal::ZERO), |(m, u), (sym, p)| {
                let mark = self.mark_price(sym);
                let margin = p.amount.abs() * mark / Decimal::from(p.leverage.max(1));
                (m + margin, u + p.unrealized(mark))
            })
    }

    /// Records one execution: public trade, then both sides' accounting.
    pub(super) fn settle(
        &mut self,
        symbol: &str,
        taker: Owner,
        taker_order: Option<u64>,
        taker_side: Side,
        fill: &MakerFill,
        now: u64,
    ) {
        let trade_id = self.next_trade_id;
        self.next_trade_id += 1;
        let trade = PublicTrade {
            id: trade_id,
            price: fill.price,
            qty: fill.qty,
            time: now,
            buyer_maker: taker_side == Side::Sell,
        };
        if let Some(s) = self.symbols.get_mut(symbol) {
            s.tape.record(trade.clone());
        }
        self.events.push(EngineEvent::Trade {
            symbol: symbol.to_string(),
            trade,
        });
        if let (Owner::Account(_), Some(id)) = (taker, taker_order) {
            self.apply_fill(id, fill.price, fill.qty, false, trade_id, now);
        }
        if let Owner::Account(_) = fill.owner {
            self.apply_fill(fill.order_id, fill.price, fill.qty, true, trade_id, now);
        }
    }

    fn apply_fill(
        &mut self,
        id: u64,
        price: Decimal,
        qty: Decimal,
        is_maker: bool,
        trade_id: u64,
        now: u64,
    ) {
        let Some(order) = self.orders.get(&id).cloned() else {
            return;
        };
        let Some(spec) = self.symbols.get(&order.symbol).map(|s| s.spec.clone()) else {
            return;
        };
        let rate = if is_maker {
            self.fees.maker
        } else {
            self.fees.taker
        };
        let quote_amt = price * qty;
        let remaining_before = order.remaining();
        let (commission, commission_asset, realized, release) = match self.kind {
            MarketKind::Spot => {
                let release = match order.side {
                    Side::Buy => quote_amt.min(order.locked),
                    Side::Sell => qty.min(order.locked),
                };
                let (c, a) = self.spot_fill(&order, &spec, price, qty, rate, release);
                (c, a, Decimal::ZERO, release)
            }
            MarketKind::Futures => {
                let release = if remaining_before.is_zero() {
                    order.locked
                } else {
                    order.locked * qty / remaining_before
                };
                let (c, r) = self.futures_fill(&order, &spec, price, qty, rate, release, now);
                (c, spec.quote.clone(), r, release)
            }
        };
        let Some(o) = self.orders.get_mut(&id) else {
            return;
        };
        o.locked -= release;
        o.executed += qty;
        o.cum_quote += quote_amt;
        o.update_time = now;
        o.status = if o.remaining().is_zero() {
            OrderStatus::Filled
        } else {
            OrderStatus::PartiallyFilled
        };
        let snapshot = o.clone();
        if let Some(acc) = self.accounts.get_mut(order.account) {
            acc.update_time = now;
            acc.fills.push(AccountFill {
                symbol: order.symbol.clone(),
                trade_id,
                order_id: id,
                side: order.side.as_str().into(),
                price,
                qty,
                quote_qty: quote_amt,
                commission,
                commission_asset: commission_asset.clone(),
                realized_pnl: realized,
                is_maker,
                time: now,
            });
        }
        self.events.push(EngineEvent::Order(Box::new(OrderUpdate {
            order: snapshot.clone(),
            exec: ExecType::Trade,
            last_qty: qty,
            last_price: price,
            commission,
            commission_asset: Some(commission_asset),
            trade_id: trade_id as i64,
            is_maker,
            realized_pnl: realized,
            time: now,
            cancel_client_id: None,
        })));
        let (assets, position) = match self.kind {
            MarketKind::Spot => (vec![spec.base.clone(), spec.quote.clone()], None),
            MarketKind::Futures => (vec![spec.quote.clone()], Some(order.symbol.clone())),
        };
        self.events.push(EngineEvent::Account {
            account: order.account,
            assets,
            position,
            time: now,
            reason: "ORDER",
        });
        if snapshot.status == OrderStatus::Filled {
            self.finish(id, OrderStatus::Filled, now);
        }
    }

    fn spot_fill(
        &mut self,
        order: &super::types::Order,
        spec: &SymbolSpec,
        price: Decimal,
        qty: Decimal,
        rate: Decimal,
        release: Decimal,
    ) -> (Decimal, String) {
        let quote_amt = price * qty;
        let Some(acc) = self.accounts.get_mut(order.account) else {
            return (Decimal::ZERO, String::new());
        };
        match order.side {
            Side::Buy => {
                let q = acc.balance_mut(&spec.quote);
                q.locked -= release;
                q.free -= quote_amt - release;
                let commission = (qty * rate).round_dp(8);
                acc.balance_mut(&spec.base).free += qty - commission;
                (commission, spec.base.clone())
            }
            Side::Sell => {
                let b = acc.balance_mut(&spec.base);
                b.locked -= release;
                b.free -= qty - release;
                let commission = (quote_amt * rate).round_dp(8);
                acc.balance_mut(&spec.quote).free += quote_amt - commission;
                (commission, spec.quote.clone())
            }
        }
    }

    #[allow(clippy::too_many_arguments)]
    fn futures_fill(
        &mut self,
        order: &super::types::Order,
        spec: &SymbolSpec,
        price: Decimal,
        qty: Decimal,
        rate: Decimal,
        release: Decimal,
        now: u64,
    ) -> (Decimal, Decimal) {
        let Some(acc) = self.accounts.get_mut(order.account) else {
            return (Decimal::ZERO, Decimal::ZERO);
        };
        let delta = match order.side {
            Side::Buy => qty,
            Side::Sell => -qty,
        };
        let realized = acc.position_mut(&order.symbol).apply(delta, price, now);
        let commission = (price * qty * rate).round_dp(8);
        let bal = acc.balance_mut(&spec.quote);
        bal.locked -= release;
        bal.free += realized - commission;
        (commission, realized)
    }

    /// Repays borrowed assets of a margin account from its free balances.
    pub(super) fn auto_repay(&mut self, account: usize, spec: &SymbolSpec) {
        let Some(acc) = self.accounts.get_mut(account) else {
            return;
        };
        for asset in [&spec.base, &spec.quote] {
            let b = acc.balance_mut(asset);
            let repay = b.borrowed.min(b.free).max(Decimal::ZERO);
            b.borrowed -= repay;
            b.free -= repay;
        }
    }

    /// Credits (or debits, when negative) a free balance, as a deposit would; emits `balanceUpdate`.
    pub fn adjust_balance(
        &mut self,
        account: usize,
        asset: &str,
        delta: Decimal,
        now: u64,
    ) -> Result<(), EngineError> {
        let acc = self
            .accounts
            .get_mut(account)
            .ok_or(EngineError::UnknownAccount)?;
        let b = acc.balance_mut(asset);
        if b.free + delta < Decimal::ZERO {
            return Err(EngineError::InsufficientBalance);
        }
        b.free += delta;
        acc.update_time = now;
        self.events.push(EngineEvent::BalanceDelta {
            account,
            asset: asset.to_string(),
            delta,
            time: now,
        });
        self.events.push(EngineEvent::Account {
            account,
            assets: vec![asset.to_string()],
            position: None,
            time: now,
            reason: "DEPOSIT",
        });
        Ok(())
    }

    /// Borrows (positive) or repays (negative) on a margin account.
    pub fn margin_loan(
        &mut self,
        account: usize,
        asset: &str,
        amount: Decimal,
        now: u64,
    ) -> Result<(), EngineError> {
        let acc = self
            .accounts
            .get_mut(account)
            .ok_or(EngineError::UnknownAccount)?;
        let b = acc.balance_mut(asset);
        if amount.is_sign_negative() && (b.free < -amount || b.borrowed < -amount) {
            return Err(EngineError::InsufficientBalance);
        }
        b.borrowed += amount;
        b.free += amount;
        acc.update_time = now;
        self.events.push(EngineEvent::Account {
            account,
            assets: vec![asset.to_string()],
            position: None,
            time: now,
            reason: "ORDER",
        });
        Ok(())
    }

    /// Flow: rests a public order; returns its id.
    pub fn flow_add(
        &mut self,
        symbol: &str,
        side: Side,
        price: Decimal,
        qty: Decimal,
        now: u64,
    ) -> Option<u64> {
        let id = self.next_flow_id();
        let s = self.symbols.get_mut(symbol)?;
        s.book.insert(
            side,
            price,
            super::book::Resting {
                order_id: id,
                owner: Owner::Flow,
                qty,
            },
        );
        self.after_book_change(symbol, now);
        Some(id)
    }

    /// Flow: cancels a public order if it still rests.
    pub fn flow_cancel(
        &mut self,
        symbol: &str,
        side: Side,
        price: Decimal,
        id: u64,
        now: u64,
    ) -> bool {
        let removed = self
            .symbols
            .get_mut(symbol)
            .and_then(|s| s.book.remove(side, price, id))
            .is_some();
        if removed {
            self.after_book_change(symbol, now);
        }
        removed
    }

    /// Flow: a public market order of `qty`.
    pub fn flow_take(&mut self, symbol: &str, side: Side, qty: Decimal, now: u64) {
        let Some(s) = self.symbols.get_mut(symbol) else {
            return;
        };
        let limit = super::book::TakeLimit {
            price: None,
            qty: Some(qty),
            quote: None,
            step: s.spec.step_size,
        };
        let fills = s.book.take(side, limit);
        for f in &fills {
            self.settle(symbol, Owner::Flow, None, side, f, now);
        }
        self.check_stops(symbol, now);
        self.after_book_change(symbol, now);
    }
}
