//! Numbers on the command line: whole numbers written as a student might
//! (10000, 10_000, 1e6), refused with the form wanted when they are not
//! whole numbers in range (10,000, -1, 0.5); and the progress bar's rate.

/// The largest `--runs`.
const MAX_RUNS: u64 = 1_000_000_000;

/// A whole number: digits with optional `_` between them, or `Ne` + digits
/// (`1e6`) that is whole; `None` for anything else.
fn whole(text: &str) -> Option<u64> {
    let text = text.trim();
    if let Some((mantissa, exponent)) = text.split_once(['e', 'E']) {
        let m: u64 = mantissa.parse().ok()?;
        let e: u32 = exponent.parse().ok()?;
        return 10u64.checked_pow(e).and_then(|p| p.checked_mul(m));
    }
    if text.is_empty() || text.starts_with('_') || text.ends_with('_') {
        return None;
    }
    text.replace('_', "").parse().ok()
}

/// What went wrong with a number, and the form wanted.
fn refusal(text: &str, range: &str, example: &str) -> String {
    let why = if text.contains(',') {
        "commas are not read as thousands separators".to_owned()
    } else if text.trim_start().starts_with('-') {
        "it is negative".to_owned()
    } else if text.contains('.') {
        "it is not a whole number".to_owned()
    } else {
        "it is not a whole number in range".to_owned()
    };
    format!(
        "{text:?} is not a number coopsim reads here ({why})\n  hint: write a whole number in \
         {range}, like {example} (10_000 and 1e4 also work)"
    )
}

/// `--runs`: a whole number from 1 to 10^9.
pub fn runs(text: &str) -> Result<u64, String> {
    match whole(text) {
        Some(n) if (1..=MAX_RUNS).contains(&n) => Ok(n),
        _ => Err(refusal(text, "[1, 10^9]", "10000")),
    }
}

/// `--seed`: a whole number in [0, 2^63).
pub fn seed(text: &str) -> Result<u64, String> {
    match whole(text) {
        Some(n) if n <= i64::MAX as u64 => Ok(n),
        _ => Err(refusal(text, "[0, 2^63)", "42")),
    }
}

/// A rate as a whole number with thousands separated (`47,259`), or in
/// thousands or millions above 100,000 (`312k`, `1.2M`).
pub fn rate(per_sec: f64) -> String {
    let r = per_sec.max(0.0);
    if !r.is_finite() {
        return "-".to_owned();
    }
    if r >= 10_000_000.0 {
        format!("{:.0}M", r / 1e6)
    } else if r >= 1_000_000.0 {
        format!("{:.1}M", r / 1e6)
    } else if r >= 100_000.0 {
        format!("{:.0}k", r / 1e3)
    } else {
        let n = r.round() as u64;
        let digits = n.to_string();
        let mut out = String::new();
        for (i, c) in digits.chars().enumerate() {
            if i > 0 && (digits.len() - i).is_multiple_of(3) {
                out.push(',');
            }
            out.push(c);
        }
        out
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Whole numbers in the documented forms are read; the forms a student
    /// might try instead are refused with the form wanted.
    #[test]
    fn numbers_read_as_documented() {
        assert_eq!(runs("10000"), Ok(10_000));
        assert_eq!(runs("10_000"), Ok(10_000));
        assert_eq!(runs("1e6"), Ok(1_000_000));
        for bad in ["10,000", "0", "1e10", "0.5", "-3", "abc", "_1"] {
            let e = runs(bad).unwrap_err();
            assert!(e.contains("whole number"), "{bad}: {e}");
        }
        assert!(runs("10,000").unwrap_err().contains("commas"));
        assert!(seed("-1").unwrap_err().contains("[0, 2^63)"));
        assert_eq!(seed("0"), Ok(0));
        assert_eq!(rate(47_258.57), "47,259");
        assert_eq!(rate(312_400.0), "312k");
        assert_eq!(rate(999.4), "999");
    }
}
