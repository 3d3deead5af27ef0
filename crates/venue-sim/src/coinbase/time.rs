//! Time text (pure): RFC 3339 with microseconds (`2026-04-07T00:28:58.544778Z`), with
//! nanoseconds for envelopes, and Go's `time.String()` form used by `heartbeats.current_time`.

/// Civil date of days since 1970-01-01 (Howard Hinnant's algorithm).
fn civil(days: i64) -> (i64, u32, u32) {
    let z = days + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z.rem_euclid(146_097);
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let d = (doy - (153 * mp + 2) / 5 + 1) as u32;
    let m = if mp < 10 { mp + 3 } else { mp - 9 } as u32;
    let y = yoe + era * 400 + i64::from(m <= 2);
    (y, m, d)
}

fn parts(ms: u64) -> (i64, u32, u32, u64, u64, u64) {
    let secs = ms / 1000;
    let (y, mo, d) = civil((secs / 86_400) as i64);
    let rem = secs % 86_400;
    (y, mo, d, rem / 3600, rem % 3600 / 60, rem % 60)
}

/// `2026-04-07T00:28:58.544000Z` (microseconds, from ms).
pub fn rfc3339_us(ms: u64) -> String {
    let (y, mo, d, h, mi, s) = parts(ms);
    format!(
        "{y:04}-{mo:02}-{d:02}T{h:02}:{mi:02}:{s:02}.{:06}Z",
        (ms % 1000) * 1000
    )
}

/// `2026-09-07T23:37:22.675755362Z` (nanoseconds, from ns).
pub fn rfc3339_ns(ns: u128) -> String {
    let ms = (ns / 1_000_000) as u64;
    let (y, mo, d, h, mi, s) = parts(ms);
    format!(
        "{y:04}-{mo:02}-{d:02}T{h:02}:{mi:02}:{s:02}.{:09}Z",
        ns % 1_000_000_000
    )
}

/// Go `time.String()`: `2026-09-07 23:37:22.674409 +0000 UTC m=+139651.272674714`.
pub fn go_time_string(ns: u128, uptime_ns: u128) -> String {
    let ms = (ns / 1_000_000) as u64;
    let (y, mo, d, h, mi, s) = parts(ms);
    format!(
        "{y:04}-{mo:02}-{d:02} {h:02}:{mi:02}:{s:02}.{:06} +0000 UTC m=+{}.{:09}",
        (ns % 1_000_000_000) / 1000,
        uptime_ns / 1_000_000_000,
        uptime_ns % 1_000_000_000
    )
}

/// Parses `2026-04-07T00:28:58.5Z`-style RFC 3339 UTC text into ms (GTD `end_time`, filters).
pub fn parse_rfc3339_ms(s: &str) -> Option<u64> {
    if !s.is_ascii() {
        return None;
    }
    let s = s.strip_suffix('Z')?;
    let (date, time) = s.split_once('T')?;
    let mut dp = date.split('-');
    let y: i64 = dp.next()?.parse().ok()?;
    let m: i64 = dp.next()?.parse().ok()?;
    let d: i64 = dp.next()?.parse().ok()?;
    let (hms, frac) = time.split_once('.').unwrap_or((time, "0"));
    let mut tp = hms.split(':');
    let h: u64 = tp.next()?.parse().ok()?;
    let mi: u64 = tp.next()?.parse().ok()?;
    let sec: u64 = tp.next()?.parse().ok()?;
    let frac_ms: u64 = format!("{:0<3}", &frac[..frac.len().min(3)]).parse().ok()?;
    if !(1970..=9999).contains(&y)
        || !(1..=12).contains(&m)
        || !(1..=31).contains(&d)
        || h > 23
        || mi > 59
        || sec > 60
    {
        return None;
    }
    let (yy, mm) = if m <= 2 { (y - 1, m + 9) } else { (y, m - 3) };
    let era = yy.div_euclid(400);
    let yoe = yy.rem_euclid(400);
    let doy = (153 * mm + 2) / 5 + d - 1;
    let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    let days = era * 146_097 + doe - 719_468;
    let secs = u64::try_from(days).ok()? * 86_400 + h * 3600 + mi * 60 + sec;
    Some(secs * 1000 + frac_ms)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn formats_and_parses() {
        let ms = 1_775_521_738_544;
        assert_eq!(rfc3339_us(ms), "2026-04-07T00:28:58.544000Z");
        assert_eq!(parse_rfc3339_ms("2026-04-07T00:28:58.544778Z"), Some(ms));
        assert_eq!(parse_rfc3339_ms("2026-04-07T00:28:58Z"), Some(ms - 544));
        assert_eq!(
            rfc3339_ns(1_788_824_242_675_755_362),
            "2026-09-07T23:37:22.675755362Z"
        );
        assert!(
            go_time_string(1_788_824_242_674_409_000, 5_500_000_000)
                .ends_with("UTC m=+5.500000000")
        );
        assert_eq!(parse_rfc3339_ms("nope"), None);
    }
}
