//! Reading the team's groups file: a CSV with an `id` column (the transcript id, as
//! in the results) and any number of attribute columns (`sex`, `race_ethnicity`,
//! `english_first_language`, ...). debrief never infers an attribute: what is not
//! in this file is unknown.
//!
//! Cells are trimmed; an empty cell is unknown. Values are categories as written
//! (`Female` and `female` are two). A broken file is refused with one line naming
//! the file and the line: a missing `id` column or value, an id given twice, a row
//! with another number of cells than the header, a header naming a column twice.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use anyhow::{bail, Result};
use sha2::{Digest, Sha256};

/// The groups file, read.
#[derive(Debug, Clone)]
pub struct Groups {
    /// The path as given.
    pub path: PathBuf,
    /// sha256 of the file's bytes.
    pub sha256: String,
    /// The attribute columns, in file order (every column but `id`).
    pub columns: Vec<String>,
    /// Each id's cells, in [`Groups::columns`] order; `None` for an empty cell.
    rows: BTreeMap<String, Vec<Option<String>>>,
}

impl Groups {
    /// Reads and checks a groups CSV.
    pub fn read(path: &Path) -> Result<Groups> {
        let text = crate::input::read_text(path)?;
        Groups::parse(path, &text)
    }

    /// Parses the text of a groups CSV read from `path` (named in every error).
    pub fn parse(path: &Path, text: &str) -> Result<Groups> {
        let file = path.display();
        let sha256 = format!("{:x}", Sha256::digest(text.as_bytes()));
        let body = text.strip_prefix('\u{feff}').unwrap_or(text);
        let mut reader = csv::ReaderBuilder::new()
            .has_headers(false)
            .flexible(true)
            .from_reader(body.as_bytes());
        let mut records = reader.records();
        let header = match records.next() {
            None => bail!("{file}: empty: expected a header row with an \"id\" column"),
            Some(Err(e)) => bail!("{file}: line 1: {}", csv_reason(&e)),
            Some(Ok(header)) => header,
        };
        let header: Vec<String> = header.iter().map(|h| h.trim().to_string()).collect();
        let Some(id_column) = header.iter().position(|h| h.eq_ignore_ascii_case("id")) else {
            bail!(
                "{file}: line 1: no \"id\" column (columns: {})",
                header.join(", ")
            );
        };
        for (i, name) in header.iter().enumerate() {
            if name.is_empty() {
                bail!("{file}: line 1: column {} has no name", i + 1);
            }
            if let Some(first) = header[..i].iter().position(|h| h == name) {
                bail!(
                    "{file}: line 1: column \"{name}\" is named twice (columns {} and {})",
                    first + 1,
                    i + 1
                );
            }
        }
        let columns: Vec<String> = header
            .iter()
            .enumerate()
            .filter(|(i, _)| *i != id_column)
            .map(|(_, h)| h.clone())
            .collect();
        let mut rows = BTreeMap::new();
        let mut lines: BTreeMap<String, u64> = BTreeMap::new();
        for record in records {
            let record = match record {
                Ok(record) => record,
                Err(e) => {
                    let line = e.position().map_or(0, csv::Position::line);
                    bail!("{file}: line {line}: {}", csv_reason(&e));
                }
            };
            let line = record.position().map_or(0, csv::Position::line);
            if record.iter().all(|cell| cell.trim().is_empty()) {
                continue;
            }
            if record.len() != header.len() {
                bail!(
                    "{file}: line {line}: {} cells, but the header has {}",
                    record.len(),
                    header.len()
                );
            }
            let id = record[id_column].trim();
            if id.is_empty() {
                bail!("{file}: line {line}: no id");
            }
            if let Some(first) = lines.insert(id.to_string(), line) {
                bail!(
                    "{file}: line {line}: id \"{}\" again (first on line {first})",
                    crate::reporter::visible(id)
                );
            }
            let cells = record
                .iter()
                .enumerate()
                .filter(|(i, _)| *i != id_column)
                .map(|(_, cell)| Some(cell.trim().to_string()).filter(|c| !c.is_empty()))
                .collect();
            rows.insert(id.to_string(), cells);
        }
        Ok(Groups {
            path: path.to_path_buf(),
            sha256,
            columns,
            rows,
        })
    }

    /// The positions of the attribute columns named by `--by` (every column when
    /// none is named), refusing a name the file does not have.
    pub fn select(&self, names: &[String]) -> Result<Vec<usize>> {
        if names.is_empty() {
            if self.columns.is_empty() {
                bail!(
                    "{}: no attribute columns besides \"id\"",
                    self.path.display()
                );
            }
            return Ok((0..self.columns.len()).collect());
        }
        let mut chosen = Vec::new();
        for name in names {
            let Some(i) = self.columns.iter().position(|c| c == name.trim()) else {
                bail!(
                    "{}: --by {}: no such column (columns: {})",
                    self.path.display(),
                    crate::reporter::visible(name),
                    self.columns.join(", ")
                );
            };
            if !chosen.contains(&i) {
                chosen.push(i);
            }
        }
        Ok(chosen)
    }

    /// An id's value in a column; `None` when the id has no row or the cell is empty.
    pub fn value(&self, id: &str, column: usize) -> Option<&str> {
        self.rows.get(id)?.get(column)?.as_deref()
    }

    /// Whether the file has a row for `id`.
    pub fn has(&self, id: &str) -> bool {
        self.rows.contains_key(id)
    }

    /// Every id with a row, sorted.
    pub fn ids(&self) -> impl Iterator<Item = &str> {
        self.rows.keys().map(String::as_str)
    }
}

/// What went wrong in a record, without the csv crate's own position prefix.
fn csv_reason(error: &csv::Error) -> String {
    match error.kind() {
        csv::ErrorKind::Utf8 { .. } => "not UTF-8 text".to_string(),
        csv::ErrorKind::Io(e) => e.to_string(),
        _ => "not valid CSV".to_string(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn parse(text: &str) -> Result<Groups> {
        Groups::parse(Path::new("groups.csv"), text)
    }

    #[test]
    fn reads_ids_and_attributes_with_empty_cells_unknown() {
        let groups = parse("\u{feff}sex, ID ,lang\nF,a,en\n , b ,\n\nM,c,fr\n").unwrap();
        assert_eq!(groups.columns, ["sex", "lang"]);
        assert_eq!(groups.value("a", 0), Some("F"));
        assert_eq!(groups.value("b", 0), None);
        assert_eq!(groups.value("b", 1), None);
        assert_eq!(groups.value("c", 1), Some("fr"));
        assert_eq!(groups.value("zz", 0), None);
        assert!(groups.has("b") && !groups.has("zz"));
        assert_eq!(groups.select(&[]).unwrap(), [0, 1]);
        assert_eq!(groups.select(&["lang".into()]).unwrap(), [1]);
    }

    #[test]
    fn broken_files_fail_naming_file_and_line() {
        for (text, expected) in [
            ("", "groups.csv: empty"),
            ("sex,lang\nF,en\n", "groups.csv: line 1: no \"id\" column"),
            (
                "id,sex,sex\n",
                "groups.csv: line 1: column \"sex\" is named twice",
            ),
            ("id,,x\n", "groups.csv: line 1: column 2 has no name"),
            (
                "id,sex\na,F\nb,M,extra\n",
                "groups.csv: line 3: 3 cells, but the header has 2",
            ),
            ("id,sex\na,F\n,M\n", "groups.csv: line 3: no id"),
            (
                "id,sex\na,F\nb,M\na,M\n",
                "groups.csv: line 4: id \"a\" again (first on line 2)",
            ),
        ] {
            let error = parse(text).unwrap_err().to_string();
            assert!(error.starts_with(expected), "{text:?}: {error}");
            assert!(!error.contains('\n'), "one line: {error}");
        }
        let groups = parse("id,sex\na,F\n").unwrap();
        let error = groups.select(&["race".into()]).unwrap_err().to_string();
        assert_eq!(
            error,
            "groups.csv: --by race: no such column (columns: sex)"
        );
        let error = parse("id\na\n").unwrap().select(&[]).unwrap_err();
        assert!(error.to_string().contains("no attribute columns"));
    }
}
