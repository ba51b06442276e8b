//! Raw bytes to text: byte-order marks, UTF-16, binary data and invalid UTF-8.

use super::ReadError;

/// Decodes a file's bytes as text.
///
/// UTF-8 is expected; a UTF-8 byte-order mark is dropped, UTF-16 with a byte-order
/// mark is decoded, and binary data (a NUL byte) or invalid UTF-8 is refused with
/// the line and column of the first offending byte.
pub fn decode_text(bytes: &[u8]) -> Result<String, ReadError> {
    if bytes.is_empty() {
        return Err(ReadError::new("the file is empty"));
    }
    if let Some(rest) = bytes.strip_prefix(b"\xEF\xBB\xBF") {
        return decode_utf8(rest);
    }
    if let Some(rest) = bytes.strip_prefix(b"\xFF\xFE") {
        return decode_utf16(rest, u16::from_le_bytes);
    }
    if let Some(rest) = bytes.strip_prefix(b"\xFE\xFF") {
        return decode_utf16(rest, u16::from_be_bytes);
    }
    if let Some(endian) = utf16_without_bom(bytes) {
        return Err(ReadError::new(format!(
            "UTF-16 ({endian}) without a byte-order mark: save it as UTF-8, or as UTF-16 with one"
        )));
    }
    decode_utf8(bytes)
}

/// Text in UTF-16 saved without a byte-order mark: ASCII characters with a NUL
/// byte beside each, on the same side throughout its start. `"little-endian"` or
/// `"big-endian"`, or `None` when the bytes do not look so.
fn utf16_without_bom(bytes: &[u8]) -> Option<&'static str> {
    let start = &bytes[..bytes.len().min(512) & !1];
    if start.len() < 4 {
        return None;
    }
    let pairs = || start.chunks_exact(2);
    let ascii = |b: u8| b == b'\n' || b == b'\r' || b == b'\t' || (0x20..0x7f).contains(&b);
    if pairs().all(|p| ascii(p[0]) && p[1] == 0) {
        Some("little-endian")
    } else if pairs().all(|p| p[0] == 0 && ascii(p[1])) {
        Some("big-endian")
    } else {
        None
    }
}

fn decode_utf8(bytes: &[u8]) -> Result<String, ReadError> {
    if let Some(offset) = bytes.iter().position(|&b| b == 0) {
        let (line, column) = position(&bytes[..offset]);
        return Err(ReadError::at(
            line,
            Some(column),
            "binary data (a NUL byte), not a transcript",
        ));
    }
    match std::str::from_utf8(bytes) {
        Ok(text) => Ok(text.to_string()),
        Err(error) => {
            let (line, column) = position(&bytes[..error.valid_up_to()]);
            Err(ReadError::at(
                line,
                Some(column),
                format!("invalid UTF-8 (byte offset {})", error.valid_up_to()),
            ))
        }
    }
}

/// Decodes a JSON Lines file line by line, so one bad line (a NUL or invalid UTF-8
/// byte) fails alone: the text with every bad line left blank, and for each bad line
/// its 1-based number and why. A UTF-8 byte-order mark on the first line is dropped.
pub fn decode_lines(bytes: &[u8]) -> (String, Vec<(usize, ReadError)>) {
    let bytes = bytes.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(bytes);
    let mut text = String::with_capacity(bytes.len());
    let mut bad = Vec::new();
    for (index, line) in bytes.split(|&b| b == b'\n').enumerate() {
        if index > 0 {
            text.push('\n');
        }
        match decode_utf8(line) {
            Ok(decoded) => text.push_str(&decoded),
            Err(error) => bad.push((
                index + 1,
                ReadError::at(index + 1, error.column, error.message),
            )),
        }
    }
    (text, bad)
}

fn decode_utf16(bytes: &[u8], unit: fn([u8; 2]) -> u16) -> Result<String, ReadError> {
    if !bytes.len().is_multiple_of(2) {
        return Err(ReadError::new("truncated UTF-16 (odd number of bytes)"));
    }
    let units = bytes.chunks_exact(2).map(|pair| unit([pair[0], pair[1]]));
    let text: String = char::decode_utf16(units)
        .collect::<Result<_, _>>()
        .map_err(|_| ReadError::new("invalid UTF-16 (unpaired surrogate)"))?;
    if text.contains('\0') {
        return Err(ReadError::new(
            "binary data (a NUL character), not a transcript",
        ));
    }
    Ok(text)
}

/// 1-based line and column (in characters) just after `prefix`.
fn position(prefix: &[u8]) -> (usize, usize) {
    let line = prefix.iter().filter(|&&b| b == b'\n').count() + 1;
    let line_start = prefix
        .iter()
        .rposition(|&b| b == b'\n')
        .map_or(0, |i| i + 1);
    let column = String::from_utf8_lossy(&prefix[line_start..])
        .chars()
        .count()
        + 1;
    (line, column)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_bad_line_of_json_lines_fails_alone() {
        let (text, bad) =
            decode_lines(b"{\"a\": 1}\n{\"b\": \"\xC3\x28\"}\n{\"c\": \0}\n{\"d\": 4}");
        assert_eq!(text, "{\"a\": 1}\n\n\n{\"d\": 4}");
        let lines: Vec<usize> = bad.iter().map(|(line, _)| *line).collect();
        assert_eq!(lines, [2, 3]);
        assert!(bad[0].1.message.contains("invalid UTF-8"));
        assert!(bad[1].1.message.contains("NUL"));
    }

    #[test]
    fn strips_bom_and_decodes_utf16() {
        assert_eq!(decode_text(b"\xEF\xBB\xBFhi").unwrap(), "hi");
        assert_eq!(decode_text(b"\xFF\xFEh\0i\0").unwrap(), "hi");
        assert_eq!(decode_text(b"\xFE\xFF\0h\0i").unwrap(), "hi");
    }

    #[test]
    fn refuses_binary_and_bad_utf8_with_position() {
        let error = decode_text(b"ab\ncd\0").unwrap_err();
        assert_eq!((error.line, error.column), (Some(2), Some(3)));
        let error = decode_text(b"ok\n\xC3\x28").unwrap_err();
        assert_eq!((error.line, error.column), (Some(2), Some(1)));
        assert!(error.message.contains("invalid UTF-8"));
        assert!(decode_text(b"").unwrap_err().message.contains("empty"));
    }
}
