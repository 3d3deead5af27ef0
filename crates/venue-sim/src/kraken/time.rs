//! Time text as Kraken writes it: RFC 1123 (`Tue, 11 Nov 25 00:17:04 +0000`, REST Time) and
//! RFC 3339 with microseconds (`2025-05-06T09:17:26.058856Z`, WebSocket v2). Pure arithmetic on
//! the Unix epoch (civil-from-days), no time zone database.

/// (year, month 1-12, day 1-31) of a day count since 1970-01-01.
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

/// RFC 3339 UTC with microseconds of a time in microseconds since the epoch.
pub fn rfc3339_us(us: u64) -> String {
    let secs = (us / 1_000_000) as i64;
    let (y, m, d) = civil(secs.div_euclid(86_400));
    let s = secs.rem_euclid(86_400);
    format!(
        "{y:04}-{m:02}-{d:02}T{:02}:{:02}:{:02}.{:06}Z",
        s / 3600,
        s % 3600 / 60,
        s % 60,
        us % 1_000_000
    )
}

/// RFC 3339 of a time in ms.
pub fn rfc3339_ms(ms: u64) -> String {
    rfc3339_us(ms * 1000)
}

/// RFC 1123 with a two-digit year, as `/0/public/Time` writes it.
pub fn rfc1123(secs: u64) -> String {
    const DAYS: [&str; 7] = ["Thu", "Fri", "Sat", "Sun", "Mon", "Tue", "Wed"];
    const MONTHS: [&str; 12] = [
        "Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec",
    ];
    let days = (secs / 86_400) as i64;
    let (y, m, d) = civil(days);
    let s = secs % 86_400;
    format!(
        "{}, {d:02} {} {:02} {:02}:{:02}:{:02} +0000",
        DAYS[(days % 7) as usize],
        MONTHS[(m - 1) as usize],
        y % 100,
        s / 3600,
        s % 3600 / 60,
        s % 60
    )
}

/// Wall clock in microseconds.
pub fn now_us() -> u64 {
    std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map(|d| d.as_micros() as u64)
        .unwrap_or(0)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn fixture_times() {
        assert_eq!(rfc1123(1_762_820_224), "Tue, 11 Nov 25 00:17:04 +0000");
        assert_eq!(
            rfc3339_us(1_746_523_046_058_856),
            "2025-05-06T09:17:26.058856Z"
        );
    }
}
