//! Coinbase times → nanoseconds since the epoch: RFC 3339 texts (REST and WebSocket), UNIX
//! seconds as strings (candle `start`), and the `GET /time` body.

use serde::Deserialize;

use crate::ExchangeError;

/// Days from 1970-01-01 to the civil date (proleptic Gregorian), after H. Hinnant's algorithm.
fn days_from_civil(year: i64, month: i64, day: i64) -> i64 {
    let y = if month <= 2 { year - 1 } else { year };
    let era = y.div_euclid(400);
    let yoe = y - era * 400;
    let mp = (month + 9) % 12;
    let doy = (153 * mp + 2) / 5 + day - 1;
    let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    era * 146_097 + doe - 719_468
}

fn digits(text: &str, what: &str) -> crate::Result<i64> {
    if text.is_empty() || !text.bytes().all(|b| b.is_ascii_digit()) {
        return Err(ExchangeError::InvalidResponse(format!(
            "coinbase time: bad {what} field"
        )));
    }
    text.parse()
        .map_err(|_| ExchangeError::InvalidResponse(format!("coinbase time: bad {what} field")))
}

/// Parses an RFC 3339 time (`2026-09-07T01:57:58.894355Z`, up to nanoseconds, `Z` or `±HH:MM`).
pub fn rfc3339_to_ns(text: &str) -> crate::Result<i64> {
    let bad = || ExchangeError::InvalidResponse(format!("coinbase time: {text:?} is not RFC 3339"));
    let (date, rest) = text.split_once(['T', 't', ' ']).ok_or_else(bad)?;
    let mut ymd = date.splitn(3, '-');
    let (year, month, day) = match (ymd.next(), ymd.next(), ymd.next()) {
        (Some(y), Some(m), Some(d)) => (digits(y, "year")?, digits(m, "month")?, digits(d, "day")?),
        _ => return Err(bad()),
    };
    let (clock, offset_secs) = if let Some(clock) = rest.strip_suffix(['Z', 'z']) {
        (clock, 0)
    } else {
        let at = rest.rfind(['+', '-']).ok_or_else(bad)?;
        let (clock, offset) = rest.split_at(at);
        let sign = if offset.starts_with('-') { -1 } else { 1 };
        let (h, m) = offset[1..].split_once(':').ok_or_else(bad)?;
        (
            clock,
            sign * (digits(h, "offset")? * 3600 + digits(m, "offset")? * 60),
        )
    };
    let (hms, frac) = match clock.split_once('.') {
        Some((hms, frac)) => (hms, frac),
        None => (clock, ""),
    };
    let mut parts = hms.splitn(3, ':');
    let (h, mi, s) = match (parts.next(), parts.next(), parts.next()) {
        (Some(h), Some(mi), Some(s)) => (
            digits(h, "hour")?,
            digits(mi, "minute")?,
            digits(s, "second")?,
        ),
        _ => return Err(bad()),
    };
    if !(1..=12).contains(&month) || !(1..=31).contains(&day) || h > 23 || mi > 59 || s > 60 {
        return Err(bad());
    }
    let mut nanos = 0i64;
    if !frac.is_empty() {
        if frac.len() > 9 {
            return Err(bad());
        }
        nanos = digits(frac, "fraction")? * 10i64.pow(9 - frac.len() as u32);
    }
    let secs = days_from_civil(year, month, day) * 86_400 + h * 3600 + mi * 60 + s - offset_secs;
    secs.checked_mul(1_000_000_000)
        .and_then(|ns| ns.checked_add(nanos))
        .ok_or_else(bad)
}

/// The civil date of a day count from 1970-01-01 (inverse of `days_from_civil`).
fn civil_from_days(days: i64) -> (i64, i64, i64) {
    let z = days + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z - era * 146_097;
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let day = doy - (153 * mp + 2) / 5 + 1;
    let month = if mp < 10 { mp + 3 } else { mp - 9 };
    let year = yoe + era * 400 + i64::from(month <= 2);
    (year, month, day)
}

/// Formats ns since the epoch as RFC 3339 UTC (`2026-01-01T00:00:00Z`, with a fraction only
/// when there is one, trailing zeros trimmed).
pub fn ns_to_rfc3339(ns: i64) -> String {
    let secs = ns.div_euclid(1_000_000_000);
    let nanos = ns.rem_euclid(1_000_000_000);
    let (y, mo, d) = civil_from_days(secs.div_euclid(86_400));
    let rem = secs.rem_euclid(86_400);
    let mut out = format!(
        "{y:04}-{mo:02}-{d:02}T{:02}:{:02}:{:02}",
        rem / 3600,
        rem % 3600 / 60,
        rem % 60
    );
    if nanos != 0 {
        let frac = format!("{nanos:09}");
        out.push('.');
        out.push_str(frac.trim_end_matches('0'));
    }
    out.push('Z');
    out
}

/// Parses an optional RFC 3339 time: an empty text (the venue's "no value") is `None`.
pub fn opt_rfc3339_to_ns(text: Option<&str>) -> crate::Result<Option<i64>> {
    match text {
        None | Some("") => Ok(None),
        Some(t) => rfc3339_to_ns(t).map(Some),
    }
}

/// UNIX seconds as a decimal string (`"1712192400"`) → nanoseconds.
pub fn unix_secs_to_ns(text: &str) -> crate::Result<i64> {
    let secs: i64 = text.trim().parse().map_err(|_| {
        ExchangeError::InvalidResponse(format!("coinbase time: {text:?} is not UNIX seconds"))
    })?;
    secs.checked_mul(1_000_000_000).ok_or_else(|| {
        ExchangeError::InvalidResponse(format!("coinbase time: {text:?} is out of range"))
    })
}

/// `GET /api/v3/brokerage/time` (SDK docstring; numbers as strings).
///
/// ```json
/// {"iso":"2023-05-31T15:30:00.000Z","epochSeconds":"1685547000","epochMillis":"1685547000000"}
/// ```
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct ServerTime {
    /// RFC 3339 time.
    pub iso: String,
    /// Seconds since the epoch.
    #[serde(with = "super::num::str_i64")]
    pub epoch_seconds: i64,
    /// Milliseconds since the epoch.
    #[serde(with = "super::num::str_i64")]
    pub epoch_millis: i64,
}

impl ServerTime {
    /// Server time, ns since the epoch.
    pub fn ns(&self) -> i64 {
        self.epoch_millis.saturating_mul(1_000_000)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_rfc3339_variants() {
        assert_eq!(rfc3339_to_ns("1970-01-01T00:00:00Z").unwrap(), 0);
        assert_eq!(
            rfc3339_to_ns("2026-09-07T01:57:58.894355Z").unwrap(),
            1_788_746_278_894_355_000
        );
        assert_eq!(
            rfc3339_to_ns("2026-09-07T23:37:22.675755362Z").unwrap(),
            1_788_824_242_675_755_362
        );
        assert_eq!(
            rfc3339_to_ns("2023-11-26T10:19:47.504Z").unwrap(),
            1_700_993_987_504_000_000
        );
        assert_eq!(
            rfc3339_to_ns("2023-11-26T11:19:47.504+01:00").unwrap(),
            1_700_993_987_504_000_000
        );
        for bad in [
            "",
            "2023-11-26",
            "2023-13-01T00:00:00Z",
            "2023-11-26T10:19:47",
            "x",
        ] {
            assert!(rfc3339_to_ns(bad).is_err(), "{bad:?}");
        }
        assert_eq!(opt_rfc3339_to_ns(Some("")).unwrap(), None);
        for text in [
            "2026-09-07T23:37:22.675755362Z",
            "2024-02-29T00:00:00Z",
            "1969-12-31T23:59:59.5Z",
        ] {
            assert_eq!(ns_to_rfc3339(rfc3339_to_ns(text).unwrap()), text);
        }
    }

    #[test]
    fn parses_unix_seconds_and_server_time() {
        assert_eq!(
            unix_secs_to_ns("1712192400").unwrap(),
            1_712_192_400_000_000_000
        );
        assert!(unix_secs_to_ns("abc").is_err());
        let t: ServerTime = serde_json::from_str(
            r#"{"iso":"2023-05-31T15:30:00.000Z","epochSeconds":"1685547000","epochMillis":"1685547000000"}"#,
        )
        .unwrap();
        assert_eq!(t.ns(), 1_685_547_000_000_000_000);
        assert_eq!(rfc3339_to_ns(&t.iso).unwrap(), t.ns());
    }
}
