//! Reading the inputs that are not transcripts (a rubric, results files, a labels
//! CSV, sidecar labels) with the same care as transcripts: a bounded size, and no
//! special file that never ends (`/dev/zero`, a FIFO nobody writes to).

use std::io::Read;
use std::path::Path;

use anyhow::{bail, Context, Result};

/// The most a rubric, results file or labels file may hold (256 MiB): far above any
/// real one, far below what would exhaust memory.
pub const MAX_INPUT_BYTES: u64 = 256 * 1024 * 1024;

/// Reads a whole text file, refusing anything but a regular file, anything over
/// [`MAX_INPUT_BYTES`], and text that is not UTF-8; every error names the path.
pub fn read_text(path: &Path) -> Result<String> {
    let metadata =
        std::fs::metadata(path).with_context(|| format!("cannot read {}", path.display()))?;
    if !metadata.is_file() {
        bail!(
            "cannot read {}: not a regular file (a directory, device or FIFO)",
            path.display()
        );
    }
    if metadata.len() > MAX_INPUT_BYTES {
        bail!(
            "cannot read {}: {} bytes, over the {MAX_INPUT_BYTES}-byte limit",
            path.display(),
            metadata.len()
        );
    }
    let file =
        std::fs::File::open(path).with_context(|| format!("cannot read {}", path.display()))?;
    let mut bytes = Vec::new();
    file.take(MAX_INPUT_BYTES + 1)
        .read_to_end(&mut bytes)
        .with_context(|| format!("cannot read {}", path.display()))?;
    if bytes.len() as u64 > MAX_INPUT_BYTES {
        bail!(
            "cannot read {}: over the {MAX_INPUT_BYTES}-byte limit",
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
