//! Rate limits (rest-api.md "LIMITS"): request weight per IP per minute with 429 + `Retry-After`,
//! then 418 bans for clients that keep going; order counts per account per 10 s and per day.

use std::collections::HashMap;

use super::error::ApiError;

/// Limit values, as published in `exchangeInfo.rateLimits`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Deserialize)]
#[serde(default)]
pub struct LimitConfig {
    /// REQUEST_WEIGHT per minute.
    pub weight_per_minute: u64,
    /// ORDERS per 10 seconds.
    pub orders_per_10s: u64,
    /// ORDERS per day.
    pub orders_per_day: u64,
    /// Requests answered 429 before the IP is banned (418).
    pub violations_before_ban: u32,
    /// Ban length in ms (Binance starts at 2 minutes).
    pub ban_ms: u64,
}

impl Default for LimitConfig {
    fn default() -> Self {
        LimitConfig {
            weight_per_minute: 6000,
            orders_per_10s: 50,
            orders_per_day: 160_000,
            violations_before_ban: 5,
            ban_ms: 120_000,
        }
    }
}

#[derive(Debug, Default, Clone)]
struct IpState {
    minute: u64,
    used: u64,
    violations: u32,
    banned_until: u64,
}

#[derive(Debug, Default, Clone)]
struct OrderState {
    window10: u64,
    count10: u64,
    day: u64,
    count_day: u64,
}

/// Used counts after an admitted request (for the response headers).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct Usage {
    /// Weight used this minute.
    pub weight: u64,
    /// Orders this 10 s window (when an order was counted).
    pub orders_10s: Option<u64>,
    /// Orders today.
    pub orders_1d: Option<u64>,
}

/// Rate limiter state for one API.
#[derive(Debug, Default)]
pub struct Limiter {
    /// Limits.
    pub config: LimitConfig,
    ips: HashMap<String, IpState>,
    orders: HashMap<usize, OrderState>,
}

impl Limiter {
    /// A limiter with `config`.
    pub fn new(config: LimitConfig) -> Self {
        Limiter {
            config,
            ips: HashMap::new(),
            orders: HashMap::new(),
        }
    }

    /// Charges `weight` to `ip`; errors with 429 over the limit and 418 once banned.
    pub fn charge(&mut self, ip: &str, weight: u64, now: u64) -> Result<u64, ApiError> {
        let cfg = self.config;
        let st = self.ips.entry(ip.to_string()).or_default();
        if st.banned_until > now {
            return Err(ApiError::banned(
                st.banned_until,
                (st.banned_until - now).div_ceil(1000),
            ));
        }
        let minute = now / 60_000;
        if st.minute != minute {
            st.minute = minute;
            st.used = 0;
        }
        let retry = (60_000 - now % 60_000).div_ceil(1000);
        if st.used + weight > cfg.weight_per_minute {
            st.violations += 1;
            if st.violations > cfg.violations_before_ban {
                st.banned_until = now + cfg.ban_ms;
                st.violations = 0;
                return Err(ApiError::banned(st.banned_until, cfg.ban_ms / 1000));
            }
            return Err(ApiError::too_much_weight(cfg.weight_per_minute, retry));
        }
        st.used += weight;
        st.violations = 0;
        Ok(st.used)
    }

    /// Weight used by `ip` this minute.
    pub fn used(&self, ip: &str, now: u64) -> u64 {
        self.ips
            .get(ip)
            .filter(|s| s.minute == now / 60_000)
            .map(|s| s.used)
            .unwrap_or(0)
    }

    /// Counts a new order of `account`; errors with -1015 over either order limit.
    pub fn count_order(&mut self, account: usize, now: u64) -> Result<(u64, u64), ApiError> {
        let cfg = self.config;
        let st = self.orders.entry(account).or_default();
        let w10 = now / 10_000;
        let day = now / 86_400_000;
        if st.window10 != w10 {
            st.window10 = w10;
            st.count10 = 0;
        }
        if st.day != day {
            st.day = day;
            st.count_day = 0;
        }
        if st.count10 >= cfg.orders_per_10s {
            return Err(ApiError::too_many_orders(
                cfg.orders_per_10s,
                "10 SECOND",
                (10_000 - now % 10_000).div_ceil(1000),
            ));
        }
        if st.count_day >= cfg.orders_per_day {
            return Err(ApiError::too_many_orders(
                cfg.orders_per_day,
                "1 DAY",
                (86_400_000 - now % 86_400_000) / 1000,
            ));
        }
        st.count10 += 1;
        st.count_day += 1;
        Ok((st.count10, st.count_day))
    }

    /// Resets all counters and bans.
    pub fn reset(&mut self) {
        self.ips.clear();
        self.orders.clear();
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn weight_then_429_then_418() {
        let mut l = Limiter::new(LimitConfig {
            weight_per_minute: 10,
            violations_before_ban: 2,
            ..LimitConfig::default()
        });
        assert_eq!(l.charge("a", 6, 0), Ok(6));
        let e = l.charge("a", 6, 30_000).unwrap_err();
        assert_eq!((e.http, e.code, e.retry_after), (429, -1003, Some(30)));
        assert_eq!(l.charge("a", 6, 30_001).unwrap_err().http, 429);
        let ban = l.charge("a", 6, 30_002).unwrap_err();
        assert_eq!(ban.http, 418);
        assert_eq!(l.charge("a", 1, 61_000).unwrap_err().http, 418);
        assert_eq!(l.charge("a", 1, 200_000), Ok(1));
        assert_eq!(l.charge("b", 1, 30_000), Ok(1));
    }

    #[test]
    fn order_counts() {
        let mut l = Limiter::new(LimitConfig {
            orders_per_10s: 2,
            ..LimitConfig::default()
        });
        assert_eq!(l.count_order(0, 0), Ok((1, 1)));
        assert_eq!(l.count_order(0, 1), Ok((2, 2)));
        assert_eq!(l.count_order(0, 2).unwrap_err().code, -1015);
        assert_eq!(l.count_order(0, 10_000), Ok((1, 3)));
    }
}
