//! Account calls of [`CoinbaseExchange`]: balances (`GET /accounts`, cursor pages) and
//! positions (INTX perpetuals of the account's INTX portfolio, US futures from `GET
//! /cfm/positions`).

use serde::Deserialize;

use super::exchange::CoinbaseExchange;
use super::parse::accounts::{self, Account, AccountsPage};
use super::parse::positions::{CfmPositionsResponse, IntxPositionsResponse};
use super::requests::accounts_query;
use super::trading::url_segment;
use crate::model::{Balance, Position};
use crate::{ErrorKind, ExchangeError, Result};

/// Pages `fetch_balance` reads at most.
const MAX_ACCOUNT_PAGES: usize = 100;

/// One portfolio of `GET /portfolios`.
#[derive(Debug, Clone, Deserialize)]
struct Portfolio {
    uuid: String,
    #[serde(rename = "type", default)]
    kind: String,
    #[serde(default)]
    deleted: bool,
}

/// `GET /portfolios`: `{"portfolios":[{"name","uuid","type","deleted"}]}`.
#[derive(Debug, Clone, Deserialize)]
struct PortfoliosResponse {
    portfolios: Vec<Portfolio>,
}

/// Whether an error of `/cfm/positions` means the account has no US futures account (a
/// permission refusal or a 404, which maps to not-found).
fn no_account(kind: ErrorKind) -> bool {
    matches!(
        kind,
        ErrorKind::Permission | ErrorKind::OrderNotFound | ErrorKind::BadSymbol
    )
}

impl CoinbaseExchange {
    /// Every account, every page, summed per asset.
    pub(crate) async fn balances(&self) -> Result<Vec<Balance>> {
        self.adapter.require_credentials("fetch_balance")?;
        let mut all: Vec<Account> = Vec::new();
        let mut cursor: Option<String> = None;
        for _ in 0..MAX_ACCOUNT_PAGES {
            let query = accounts_query(
                self.cfg.options.accounts_page.clamp(1, 250),
                cursor.as_deref(),
            );
            let page: AccountsPage = self.http.get("/accounts", query).await?;
            let next = page.next_cursor().map(str::to_owned);
            all.extend(page.accounts);
            match next {
                Some(next) => cursor = Some(next),
                None => return Ok(accounts::balances(&all)),
            }
        }
        Err(ExchangeError::InvalidResponse(format!(
            "coinbase: more than {MAX_ACCOUNT_PAGES} pages of accounts"
        )))
    }

    /// Open INTX and US futures positions. An account with neither an INTX portfolio nor a
    /// futures account answers [`ExchangeError::NotSupported`].
    pub(crate) async fn positions(&self) -> Result<Vec<Position>> {
        self.adapter.require_credentials("fetch_positions")?;
        let now = crate::model::now_ns();
        let portfolios: PortfoliosResponse = self.http.get("/portfolios", Vec::new()).await?;
        let intx = portfolios
            .portfolios
            .iter()
            .find(|p| p.kind == "INTX" && !p.deleted);
        let mut positions = Vec::new();
        if let Some(intx) = intx {
            let path = format!("/intx/positions/{}", url_segment(&intx.uuid));
            let answer: IntxPositionsResponse = self.http.get(&path, Vec::new()).await?;
            positions.extend(answer.to_positions(now)?);
        }
        let cfm: Result<CfmPositionsResponse> = self.http.get("/cfm/positions", Vec::new()).await;
        match cfm {
            Ok(answer) => positions.extend(answer.to_positions(now)?),
            Err(e) if intx.is_none() && no_account(e.kind()) => {
                return Err(ExchangeError::NotSupported(format!(
                    "{}: this account has neither an INTX portfolio nor a US futures (CFM) \
                     account, so it holds balances, not positions ({e})",
                    self.venue
                )));
            }
            Err(e) if no_account(e.kind()) => {
                tracing::debug!(error = %e, "coinbase: no US futures account");
            }
            Err(e) => return Err(e),
        }
        Ok(positions)
    }
}
