//! Vietnamese number formatting for formulas and reports: a comma before the decimals and a
//! dot between thousands ("1.234,5"), as Vietnamese readers expect ("73,3%", not "73.3%").

/// `x` rounded to at most `decimals` places, trailing zeros dropped: `73.333` → "73,3" (with
/// 1), `100.0` → "100", `1234.5` → "1.234,5". Non-finite values read "không xác định" so a
/// broken input shows up in the formula instead of as "NaN".
pub fn number(x: f64, decimals: usize) -> String {
    if !x.is_finite() {
        return "không xác định".to_owned();
    }
    // Whole numbers below a thousand (most progress values) need no rounding or grouping.
    if x.fract() == 0.0 && x.abs() < 1000.0 {
        return (x as i64).to_string();
    }
    // `format!` rounds half-to-even on the binary value; good enough for display, and the
    // exact value stays in the numeric fields next to the text.
    let fixed = format!("{:.*}", decimals.min(6), x.abs());
    let (int, frac) = fixed.split_once('.').unwrap_or((fixed.as_str(), ""));
    let frac = frac.trim_end_matches('0');
    let negative = x < 0.0 && (int.bytes().any(|b| b != b'0') || !frac.is_empty());
    let mut out = String::with_capacity(fixed.len() + 4);
    if negative {
        out.push('-');
    }
    for (i, c) in int.chars().enumerate() {
        if i > 0 && (int.len() - i).is_multiple_of(3) {
            out.push('.');
        }
        out.push(c);
    }
    if !frac.is_empty() {
        out.push(',');
        out.push_str(frac);
    }
    out
}

/// A percentage with one decimal at most: "73,3%", "100%".
pub fn percent(x: f64) -> String {
    let mut s = number(x, 1);
    if x.is_finite() {
        s.push('%');
    }
    s
}

/// A share of a whole (0.25) as a percentage with up to two decimals: "25%", "33,33%".
pub fn share(x: f64) -> String {
    let mut s = number(x * 100.0, 2);
    if x.is_finite() {
        s.push('%');
    }
    s
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn formats_like_vietnamese_documents() {
        assert_eq!(percent(73.333_333), "73,3%");
        assert_eq!(percent(66.666_666), "66,7%");
        assert_eq!(percent(100.0), "100%");
        assert_eq!(percent(0.0), "0%");
        assert_eq!(number(1234.5, 1), "1.234,5");
        assert_eq!(number(1_234_567.0, 0), "1.234.567");
        assert_eq!(number(-0.04, 1), "0");
        assert_eq!(number(-2.5, 1), "-2,5");
        assert_eq!(share(1.0 / 3.0), "33,33%");
        assert_eq!(percent(f64::NAN), "không xác định");
    }
}
