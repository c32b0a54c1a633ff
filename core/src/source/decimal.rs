//! Decimal text to `f64`, small: the standard library's exact parser carries tables that cost
//! the WASM module 18 KB (15 KB gzipped), for numbers that almost never occur in manifests and
//! whose value decides nothing (no field netward checks takes a fraction).
//!
//! Correctly rounded (bit for bit what `str::parse` gives) when the significant digits fit in
//! 2^53 and the decimal exponent is within ±22: every number people write by hand. Beyond that
//! the value is within a few units in the last place.

/// Powers of ten that are exact in an `f64`.
const EXACT_POWERS: [f64; 23] = [
    1e0, 1e1, 1e2, 1e3, 1e4, 1e5, 1e6, 1e7, 1e8, 1e9, 1e10, 1e11, 1e12, 1e13, 1e14, 1e15, 1e16,
    1e17, 1e18, 1e19, 1e20, 1e21, 1e22,
];

/// Parses `[-+]?digits?(.digits?)?([eE][-+]?digits)?` with at least one mantissa digit;
/// `None` for anything else. Out-of-range magnitudes give infinity or zero, like `str::parse`.
pub(super) fn parse_f64(text: &str) -> Option<f64> {
    let bytes = text.as_bytes();
    let mut at = 0;
    let negative = match bytes.first() {
        Some(b'-') => {
            at = 1;
            true
        }
        Some(b'+') => {
            at = 1;
            false
        }
        _ => false,
    };
    // Up to 19 significant digits in `mantissa`; later ones only move the exponent.
    let (mut mantissa, mut digits, mut exponent) = (0u64, 0u32, 0i64);
    let mut seen_digit = false;
    let mut seen_point = false;
    while let Some(&byte) = bytes.get(at) {
        match byte {
            b'0'..=b'9' => {
                seen_digit = true;
                if mantissa == 0 && byte == b'0' {
                    // A leading zero is not significant.
                } else if digits < 19 {
                    mantissa = mantissa * 10 + u64::from(byte - b'0');
                    digits += 1;
                } else {
                    exponent += 1;
                }
                if seen_point {
                    exponent -= 1;
                }
            }
            b'.' if !seen_point => seen_point = true,
            _ => break,
        }
        at += 1;
    }
    if !seen_digit {
        return None;
    }
    if let Some(b'e' | b'E') = bytes.get(at) {
        at += 1;
        let sign = match bytes.get(at) {
            Some(b'-') => {
                at += 1;
                -1
            }
            Some(b'+') => {
                at += 1;
                1
            }
            _ => 1,
        };
        let start = at;
        let mut written = 0i64;
        while let Some(byte @ b'0'..=b'9') = bytes.get(at) {
            // Saturating: 1e400 and 1e4000000000 are both infinity.
            written = (written * 10 + i64::from(byte - b'0')).min(1_000_000);
            at += 1;
        }
        if at == start {
            return None;
        }
        exponent += sign * written;
    }
    if at != bytes.len() {
        return None;
    }
    let magnitude = scale(mantissa, exponent);
    Some(if negative { -magnitude } else { magnitude })
}

/// `mantissa × 10^exponent`.
fn scale(mantissa: u64, exponent: i64) -> f64 {
    if mantissa == 0 {
        return 0.0;
    }
    // Rounded once here (exact up to 2^53), and once more by an exact power: the fast path.
    let mut value = mantissa as f64;
    let mut exponent = exponent;
    while exponent > 22 {
        value *= EXACT_POWERS[22];
        exponent -= 22;
        if value.is_infinite() {
            return value;
        }
    }
    while exponent < -22 {
        value /= EXACT_POWERS[22];
        exponent += 22;
        if value == 0.0 {
            return value;
        }
    }
    let power = EXACT_POWERS
        .get(exponent.unsigned_abs() as usize)
        .copied()
        .unwrap_or(1.0);
    if exponent < 0 {
        value / power
    } else {
        value * power
    }
}

#[cfg(test)]
mod tests {
    use proptest::prelude::*;

    use super::*;

    fn same_as_std(text: &str) {
        let expected: f64 = text.parse().unwrap();
        let got = parse_f64(text).unwrap();
        assert_eq!(
            got.to_bits(),
            expected.to_bits(),
            "{text}: {got} vs {expected}"
        );
    }

    #[test]
    fn what_people_write_is_exact() {
        for text in [
            "0",
            "-0",
            "+0",
            "0.0",
            "1",
            "1.5",
            "-2.25",
            "0.1",
            "0.2",
            "0.3",
            "1.10",
            "3.14159",
            "08",
            "1e3",
            "1E3",
            "1e+3",
            "1.5e2",
            "2.5e-3",
            "6.02e23",
            "1e-7",
            ".5",
            "5.",
            "-.5",
            "0.000001",
            "123456789012345",
            "9007199254740992",
            "9223372036854775808",
            "1e22",
            "1e-22",
            "0.1e1",
            "100000000000000000000000",
        ] {
            same_as_std(text);
        }
    }

    #[test]
    fn what_is_not_a_number_is_refused() {
        for text in [
            "", "-", ".", "e5", "1e", "1e+", "1.2.3", "1x", "--1", "1e5.0", " 1",
        ] {
            assert_eq!(parse_f64(text), None, "{text}");
        }
    }

    #[test]
    fn extremes_saturate_like_std() {
        for text in ["1e400", "-1e400", "1e-400", "1e99999999999999", "0e99999"] {
            same_as_std(text);
        }
    }

    proptest! {
        #[test]
        fn short_decimals_are_exact(whole in 0u64..10_000_000, fraction in 0u32..10_000_000, exp in -15i32..15) {
            same_as_std(&format!("{whole}.{fraction}e{exp}"));
            same_as_std(&format!("-{whole}.{fraction:07}"));
        }

        #[test]
        fn long_decimals_are_close(mantissa in 1u64.., exp in -300i32..280) {
            let text = format!("{mantissa}e{exp}");
            let expected: f64 = text.parse().unwrap();
            let got = parse_f64(&text).unwrap();
            let error = ((got - expected) / expected).abs();
            prop_assert!(error < 1e-14, "{text}: {got} vs {expected}");
        }
    }
}
