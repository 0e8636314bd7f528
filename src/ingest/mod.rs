//! Ingest: find report files, decode them, strip web boilerplate, read metadata.

mod clean;
mod decode;
mod meta;

pub use clean::{strip_html, Cleaned};
pub use decode::{decode, Encoding};
pub use meta::{Metadata, ReportKind, BEIJING_DISTRICTS};

use crate::error::IngestError;
use std::path::{Path, PathBuf};

/// File endings read as reports.
pub const REPORT_EXTENSIONS: [&str; 4] = ["txt", "md", "html", "htm"];

/// One report, decoded and cleaned, ready for extraction.
#[derive(Debug, Clone)]
pub struct Report {
    /// File stem: the report's identifier in IRIs and gold files.
    pub id: String,
    pub path: PathBuf,
    pub encoding: Encoding,
    /// The decoded file text (HTML included): provenance offsets point here.
    pub original: String,
    /// The report body with boilerplate removed, mapped back to `original`.
    pub body: Cleaned,
    pub meta: Metadata,
}

/// Lists report files under `paths` (files or folders, recursively), sorted for determinism.
pub fn discover(paths: &[PathBuf]) -> std::io::Result<Vec<PathBuf>> {
    let mut files = Vec::new();
    for root in paths {
        if root.is_file() {
            files.push(root.clone());
            continue;
        }
        if !root.exists() {
            return Err(std::io::Error::new(
                std::io::ErrorKind::NotFound,
                format!("{}: no such file or folder", root.display()),
            ));
        }
        for entry in walkdir::WalkDir::new(root).sort_by_file_name() {
            let entry = entry.map_err(std::io::Error::other)?;
            if entry.file_type().is_file() && has_report_extension(entry.path()) {
                files.push(entry.into_path());
            }
        }
    }
    files.sort();
    files.dedup();
    Ok(files)
}

fn has_report_extension(path: &Path) -> bool {
    path.extension()
        .and_then(|e| e.to_str())
        .is_some_and(|e| REPORT_EXTENSIONS.contains(&e.to_ascii_lowercase().as_str()))
}

/// Reads, decodes and cleans one report file.
pub fn read_report(path: &Path) -> Result<Report, IngestError> {
    let bytes = std::fs::read(path).map_err(|source| IngestError::Io {
        path: path.to_owned(),
        source,
    })?;
    report_from_bytes(path, &bytes)
}

/// Decodes and cleans report bytes; `path` names the report and picks HTML handling.
pub fn report_from_bytes(path: &Path, bytes: &[u8]) -> Result<Report, IngestError> {
    let (original, encoding) = decode(path, bytes)?;
    let is_html = path
        .extension()
        .and_then(|e| e.to_str())
        .is_some_and(|e| e.eq_ignore_ascii_case("html") || e.eq_ignore_ascii_case("htm"));
    let body = if is_html {
        clean::clean(&strip_html(&original))
    } else {
        clean::clean(&Cleaned::identity(&original))
    };
    if body.text.chars().filter(|c| !c.is_whitespace()).count() == 0 {
        return Err(IngestError::NoBody {
            path: path.to_owned(),
        });
    }
    let meta = meta::read_metadata(&body.text, &original);
    let id = path
        .file_stem()
        .map(|s| s.to_string_lossy().into_owned())
        .unwrap_or_default();
    Ok(Report {
        id,
        path: path.to_owned(),
        encoding,
        original,
        body,
        meta,
    })
}
