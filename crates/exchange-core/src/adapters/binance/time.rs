//! Binance timestamps (milliseconds since the epoch, §1) → our nanoseconds.

/// Milliseconds since the epoch → nanoseconds, saturating instead of overflowing.
pub(crate) fn ms_to_ns(ms: i64) -> i64 {
    ms.saturating_mul(1_000_000)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn converts_and_saturates() {
        assert_eq!(ms_to_ns(1_499_827_319_559), 1_499_827_319_559_000_000);
        assert_eq!(ms_to_ns(i64::MAX), i64::MAX);
    }
}
