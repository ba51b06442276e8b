//! Reading the inputs that are not transcripts (a rubric, results files, a labels
//! CSV, sidecar labels) with the same care as transcripts: a bounded size, and no
//! special file that never ends (`/dev/zero`, a FIFO nobody writes to).

use std::io::Read;
use std::path::Path;
use std::sync::atomic::{AtomicU64, Ordering};

use anyhow::{bail, Context, Result};

/// The most a rubric, results file or labels file may hold by default (256 MiB): far
/// above any real one, far below what would exhaust memory.
pub const DEFAULT_MAX_INPUT_BYTES: u64 = 256 * 1024 * 1024;

/// The limit in force: `--max-input-size`, set once when a command starts.
static MAX_INPUT_BYTES: AtomicU64 = AtomicU64::new(DEFAULT_MAX_INPUT_BYTES);

/// Sets the largest file [`read_text`] reads (`--max-input-size`).
pub fn set_max_input_bytes(bytes: u64) {
    MAX_INPUT_BYTES.store(bytes, Ordering::Relaxed);
}

/// Reads a whole text file, refusing anything but a regular file, anything over the
/// limit ([`set_max_input_bytes`]), and text that is not UTF-8; every error names
/// the path and, for size, the flag that moves the limit.
pub fn read_text(path: &Path) -> Result<String> {
    let limit = MAX_INPUT_BYTES.load(Ordering::Relaxed);
    let metadata =
        std::fs::metadata(path).with_context(|| format!("cannot read {}", path.display()))?;
    if !metadata.is_file() {
        bail!(
            "cannot read {}: not a regular file (a directory, device or FIFO)",
            path.display()
        );
    }
    if metadata.len() > limit {
        bail!(
            "cannot read {}: {} bytes, over the {limit}-byte limit (--max-input-size)",
            path.display(),
            metadata.len()
        );
    }
    let file =
        std::fs::File::open(path).with_context(|| format!("cannot read {}", path.display()))?;
    let mut bytes = Vec::new();
    file.take(limit.saturating_add(1))
        .read_to_end(&mut bytes)
        .with_context(|| format!("cannot read {}", path.display()))?;
    if bytes.len() as u64 > limit {
        bail!(
            "cannot read {}: over the {limit}-byte limit (--max-input-size)",
            path.display()
        );
    }
    String::from_utf8(bytes).map_err(|e| {
        anyhow::anyhow!(
            "cannot read {}: not UTF-8 text (invalid byte at offset {})",
            path.display(),
            e.utf8_error().valid_up_to()
        )
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn refuses_what_never_ends_and_names_the_path() {
        let error = read_text(Path::new("/dev/zero")).unwrap_err().to_string();
        assert!(
            error.contains("/dev/zero") && error.contains("not a regular file"),
            "{error}"
        );
        let error = read_text(Path::new("/nonexistent/rubric.yaml"))
            .unwrap_err()
            .to_string();
        assert!(error.contains("/nonexistent/rubric.yaml"), "{error}");
    }
}
