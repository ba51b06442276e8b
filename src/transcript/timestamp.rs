//! Time offsets: `HH:MM:SS`, `MM:SS` (each optionally with `.mmm`) or plain seconds.

/// Parses `HH:MM:SS`, `MM:SS` or `H:MM:SS.mmm` into milliseconds.
///
/// Minutes and seconds must be below 60 when a larger unit stands before them.
pub fn parse_clock(text: &str) -> Result<u64, String> {
    let text = text.trim();
    let invalid = || format!("invalid timestamp '{text}' (expected HH:MM:SS or MM:SS)");
    let (clock, millis) = match text.split_once(['.', ',']) {
        Some((clock, fraction)) => {
            if fraction.is_empty()
                || fraction.len() > 3
                || !fraction.bytes().all(|b| b.is_ascii_digit())
            {
                return Err(invalid());
            }
            let padded = format!("{fraction:0<3}");
            (clock, padded.parse::<u64>().map_err(|_| invalid())?)
        }
        None => (text, 0),
    };
    let parts: Vec<&str> = clock.split(':').collect();
    if !(2..=3).contains(&parts.len()) {
        return Err(invalid());
    }
    let mut numbers = Vec::with_capacity(3);
    for part in &parts {
        if part.is_empty() || part.len() > 2 || !part.bytes().all(|b| b.is_ascii_digit()) {
            return Err(invalid());
        }
        numbers.push(part.parse::<u64>().map_err(|_| invalid())?);
    }
    if numbers[1..].iter().any(|&n| n >= 60) {
        return Err(format!(
            "invalid timestamp '{text}' (minutes and seconds must be below 60)"
        ));
    }
    let seconds = numbers.iter().fold(0, |total, &n| total * 60 + n);
    Ok(seconds * 1000 + millis)
}

/// Milliseconds from a JSON number of seconds; refuses negative and non-finite values.
pub fn from_seconds(seconds: f64) -> Result<u64, String> {
    if !seconds.is_finite() || !(0.0..=1.0e9).contains(&seconds) {
        return Err(format!(
            "invalid timestamp {seconds} (expected a number of seconds from 0)"
        ));
    }
    Ok((seconds * 1000.0).round() as u64)
}

/// Formats milliseconds as `HH:MM:SS` (fractions dropped).
pub fn format_ms(ms: u64) -> String {
    let seconds = ms / 1000;
    format!(
        "{:02}:{:02}:{:02}",
        seconds / 3600,
        seconds / 60 % 60,
        seconds % 60
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_clock_forms() {
        assert_eq!(parse_clock("00:01:05"), Ok(65_000));
        assert_eq!(parse_clock("1:05"), Ok(65_000));
        assert_eq!(parse_clock("1:00:00.5"), Ok(3_600_500));
        assert!(parse_clock("00:61:00").is_err());
        assert!(parse_clock("ab:cd").is_err());
        assert!(parse_clock("5").is_err());
        assert!(parse_clock("1:2:3:4").is_err());
    }

    #[test]
    fn formats_and_converts_seconds() {
        assert_eq!(format_ms(3_725_000), "01:02:05");
        assert_eq!(from_seconds(2.5), Ok(2_500));
        assert!(from_seconds(-1.0).is_err());
    }
}
