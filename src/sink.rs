//! The one place output bytes are written: stdout, or a file replaced atomically.
//!
//! A file is written to a temporary file in the same folder and renamed over the
//! target only when the run finished, so an interrupted or failed run never leaves
//! a half-written file and never destroys the previous one. An existing special
//! file (`/dev/null`, a FIFO) is written in place: renaming over a device would
//! replace it with a plain file. A replaced file keeps its permissions; a new one
//! gets the umask's; a symbolic link is written through, not replaced.

use std::fs;
use std::io::{self, BufWriter, Write};
use std::path::{Path, PathBuf};

use anyhow::{Context, Result};
use tempfile::NamedTempFile;

/// Where output goes.
pub enum Sink {
    /// Standard output.
    Stdout(BufWriter<io::Stdout>),
    /// A special file that exists already (`/dev/null`, a FIFO, a terminal): written
    /// in place, since renaming over it would replace the device with a plain file.
    Special(BufWriter<fs::File>, PathBuf),
    /// A temporary file that becomes `target` on [`Sink::finish`].
    File {
        /// The temporary file, in the target's folder.
        temp: BufWriter<NamedTempFile>,
        /// The final path (through a symbolic link, the file it points to).
        target: PathBuf,
        /// The replaced file's permissions, kept exactly.
        keep: Option<fs::Permissions>,
    },
}

impl Sink {
    /// Standard output.
    pub fn stdout() -> Sink {
        Sink::Stdout(BufWriter::with_capacity(64 * 1024, io::stdout()))
    }

    /// A temporary file next to `target`; fails now, before any work, if the
    /// folder is not writable.
    pub fn file(target: &Path) -> Result<Sink> {
        let folder = match target.parent() {
            Some(parent) if !parent.as_os_str().is_empty() => parent.to_path_buf(),
            _ => PathBuf::from("."),
        };
        if target.is_dir() {
            anyhow::bail!("cannot write {}: it is a directory", target.display());
        }
        if fs::metadata(target).is_ok_and(|m| !m.file_type().is_file()) {
            let file = fs::OpenOptions::new()
                .write(true)
                .open(target)
                .with_context(|| format!("cannot write {}", target.display()))?;
            return Ok(Sink::Special(
                BufWriter::with_capacity(64 * 1024, file),
                target.to_path_buf(),
            ));
        }
        // Through a symbolic link, as editors write: the link stays, its file changes.
        let target = match fs::symlink_metadata(target) {
            Ok(m) if m.file_type().is_symlink() => {
                fs::canonicalize(target).unwrap_or_else(|_| target.to_path_buf())
            }
            _ => target.to_path_buf(),
        };
        let folder = match target.parent() {
            Some(parent) if !parent.as_os_str().is_empty() => parent.to_path_buf(),
            _ => folder,
        };
        // A replaced file keeps its mode (results are personal data: a 0600 file
        // stays 0600); a new one gets 0666 less the umask, as any program's would.
        let keep = fs::metadata(&target).ok().map(|m| m.permissions());
        let mut builder = tempfile::Builder::new();
        builder.prefix(".debrief-").suffix(".tmp");
        #[cfg(unix)]
        {
            use std::os::unix::fs::PermissionsExt;
            builder.permissions(fs::Permissions::from_mode(0o666));
        }
        // The error names the user's file, not the temporary one beside it.
        let temp = builder.tempfile_in(&folder).map_err(|e| {
            let text = e.to_string();
            let reason = text.split(" at path ").next().unwrap_or(&text).to_string();
            anyhow::anyhow!("cannot write {}: {reason}", target.display())
        })?;
        Ok(Sink::File {
            temp: BufWriter::with_capacity(64 * 1024, temp),
            target,
            keep,
        })
    }

    /// Writes bytes.
    pub fn write(&mut self, bytes: &[u8]) -> io::Result<()> {
        match self {
            Sink::Stdout(out) => out.write_all(bytes),
            Sink::Special(out, _) => out.write_all(bytes),
            Sink::File { temp, .. } => temp.write_all(bytes),
        }
    }

    /// Flushes, and for a file, moves it into place.
    pub fn finish(self) -> Result<()> {
        match self {
            Sink::Stdout(mut out) => out.flush().context("cannot write to standard output"),
            Sink::Special(mut out, target) => out
                .flush()
                .with_context(|| format!("cannot write {}", target.display())),
            Sink::File { temp, target, keep } => {
                let temp = temp
                    .into_inner()
                    .map_err(|e| e.into_error())
                    .with_context(|| format!("cannot write {}", target.display()))?;
                temp.as_file()
                    .sync_all()
                    .with_context(|| format!("cannot write {}", target.display()))?;
                let temp_path = temp.into_temp_path();
                temp_path
                    .persist(&target)
                    .map_err(|e| e.error)
                    .with_context(|| format!("cannot replace {}", target.display()))?;
                if let Some(permissions) = keep {
                    let _ = fs::set_permissions(&target, permissions);
                }
                Ok(())
            }
        }
    }
}

/// True when an error chain ends in a broken pipe (the reader went away: not an error).
pub fn is_broken_pipe(error: &anyhow::Error) -> bool {
    error
        .chain()
        .filter_map(|e| e.downcast_ref::<io::Error>())
        .any(|e| e.kind() == io::ErrorKind::BrokenPipe)
}
