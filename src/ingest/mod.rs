//! Ingest: find report files, decode them, strip web boilerplate, read metadata.

mod clean;
mod decode;
mod meta;

pub use clean::{strip_html, Cleaned};
pub use decode::{decode, Encoding};
pub use meta::{Metadata, ReportKind, BEIJING_DISTRICTS};

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

/// File endings read as reports.
pub const REPORT_EXTENSIONS: [&str; 4] = ["txt", "md", "html", "htm"];

/// Largest report file read, in bytes: a bigger file is refused rather than read whole.
pub const MAX_REPORT_BYTES: u64 = 256 << 20;

/// Why one input file could not be read as a report.
#[derive(Debug, thiserror::Error)]
pub enum IngestError {
    #[error("{path}: cannot read file: {source}")]
    Io {
        path: PathBuf,
        source: std::io::Error,
    },
    #[error("{path}: file is empty")]
    Empty { path: PathBuf },
    #[error("{path}: looks like a binary file, not text")]
    Binary { path: PathBuf },
    #[error("{path}: cannot decode as UTF-8, UTF-16 (with BOM) or GB18030")]
    Undecodable { path: PathBuf },
    #[error("{path}: no report text left after removing web boilerplate")]
    NoBody { path: PathBuf },
    #[error("{path}: no words, only punctuation, digits or symbols")]
    NoWords { path: PathBuf },
    #[error("{path}: {size} bytes is more than the {max} bytes a report may have")]
    TooLarge { path: PathBuf, size: u64, max: u64 },
    #[error("{0}: no such file or folder")]
    NotFound(PathBuf),
}

impl IngestError {
    /// The file this error is about.
    pub fn path(&self) -> &Path {
        match self {
            Self::Io { path, .. }
            | Self::Empty { path }
            | Self::Binary { path }
            | Self::Undecodable { path }
            | Self::NoBody { path }
            | Self::NoWords { path }
            | Self::TooLarge { path, .. }
            | Self::NotFound(path) => path,
        }
    }
}

/// A report file found under an input root.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Source {
    pub path: PathBuf,
    /// The report's identifier: its path relative to the common folder of the inputs, with
    /// `/` separators and without extension (with it, when two files differ only there).
    pub id: String,
}

/// One report, decoded and cleaned, ready for extraction.
#[derive(Debug, Clone)]
pub struct Report {
    /// The report's identifier in IRIs and gold files (see [`Source::id`]).
    pub id: String,
    pub path: PathBuf,
    pub encoding: Encoding,
    /// The decoded file text (HTML included): provenance offsets point here.
    pub original: String,
    /// The report body with boilerplate removed, mapped back to `original`.
    pub body: Cleaned,
    pub meta: Metadata,
}

/// What discovery found: report files, and paths that could not be listed.
#[derive(Debug, Default)]
pub struct Discovered {
    /// Report files, sorted by identifier.
    pub sources: Vec<Source>,
    /// Entries that could not be read (broken links, unreadable folders).
    pub problems: Vec<IngestError>,
}

/// Lists report files under `paths` (files or folders, recursively, following symbolic
/// links), each with an identifier that is unique within the whole input.
pub fn discover(paths: &[PathBuf]) -> Result<Discovered, IngestError> {
    let mut found: Vec<(PathBuf, PathBuf)> = Vec::new();
    let mut problems = Vec::new();
    for root in paths {
        let meta = std::fs::metadata(root).map_err(|source| match source.kind() {
            std::io::ErrorKind::NotFound => IngestError::NotFound(root.clone()),
            _ => IngestError::Io {
                path: root.clone(),
                source,
            },
        })?;
        let base = if meta.is_dir() {
            root.clone()
        } else {
            root.parent().map(Path::to_owned).unwrap_or_default()
        };
        let logical_base = canonical(&base)?;
        if !meta.is_dir() {
            let name = root.file_name().map(PathBuf::from).unwrap_or_default();
            found.push((root.clone(), logical_base.join(name)));
            continue;
        }
        for entry in walkdir::WalkDir::new(root)
            .follow_links(true)
            .sort_by_file_name()
        {
            match entry {
                Ok(e) if e.file_type().is_file() && has_report_extension(e.path()) => {
                    let rel = e.path().strip_prefix(root).unwrap_or(e.path());
                    found.push((e.path().to_owned(), logical_base.join(rel)));
                }
                Ok(_) => {}
                Err(e) => {
                    let path = e.path().map(Path::to_owned).unwrap_or_else(|| root.clone());
                    problems.push(IngestError::Io {
                        path,
                        source: std::io::Error::other(e.to_string()),
                    });
                }
            }
        }
    }
    Ok(Discovered {
        sources: identify(found),
        problems,
    })
}

fn canonical(dir: &Path) -> Result<PathBuf, IngestError> {
    let dir = if dir.as_os_str().is_empty() {
        Path::new(".")
    } else {
        dir
    };
    std::fs::canonicalize(dir).map_err(|source| IngestError::Io {
        path: dir.to_owned(),
        source,
    })
}

/// Identifiers from logical paths: relative to their common folder, without extension
/// unless two files would then collide. The same file given twice is listed once.
fn identify(mut found: Vec<(PathBuf, PathBuf)>) -> Vec<Source> {
    found.sort_by(|a, b| a.1.cmp(&b.1));
    found.dedup_by(|a, b| a.1 == b.1);
    let common = common_folder(found.iter().map(|(_, logical)| logical.as_path()));
    let relative = |logical: &Path| -> String {
        let rel = logical.strip_prefix(&common).unwrap_or(logical);
        rel.components()
            .map(|c| c.as_os_str().to_string_lossy().into_owned())
            .collect::<Vec<_>>()
            .join("/")
    };
    let without_extension = |rel: &str| -> String {
        match rel.rsplit_once('.') {
            Some((stem, _)) if !stem.ends_with('/') && !stem.is_empty() => stem.to_owned(),
            _ => rel.to_owned(),
        }
    };
    let mut uses: BTreeMap<String, usize> = BTreeMap::new();
    for (_, logical) in &found {
        *uses
            .entry(without_extension(&relative(logical)))
            .or_default() += 1;
    }
    let mut sources: Vec<Source> = found
        .into_iter()
        .map(|(path, logical)| {
            let rel = relative(&logical);
            let stem = without_extension(&rel);
            let id = if uses[&stem] > 1 { rel } else { stem };
            Source { path, id }
        })
        .collect();
    sources.sort_by(|a, b| a.id.cmp(&b.id));
    sources
}

/// The deepest folder that holds every path.
fn common_folder<'a>(paths: impl Iterator<Item = &'a Path>) -> PathBuf {
    let mut common: Option<PathBuf> = None;
    for p in paths {
        let folder = p.parent().unwrap_or(p);
        common = Some(match common {
            None => folder.to_owned(),
            Some(c) => c
                .components()
                .zip(folder.components())
                .take_while(|(a, b)| a == b)
                .map(|(a, _)| a)
                .collect(),
        });
    }
    common.unwrap_or_default()
}

fn has_report_extension(path: &Path) -> bool {
    path.extension()
        .and_then(|e| e.to_str())
        .is_some_and(|e| REPORT_EXTENSIONS.contains(&e.to_ascii_lowercase().as_str()))
}

/// Reads, decodes and cleans one report file.
pub fn read_report(source: &Source) -> Result<Report, IngestError> {
    let path = &source.path;
    let io = |source| IngestError::Io {
        path: path.clone(),
        source,
    };
    let size = std::fs::metadata(path).map_err(io)?.len();
    if size > MAX_REPORT_BYTES {
        return Err(IngestError::TooLarge {
            path: path.clone(),
            size,
            max: MAX_REPORT_BYTES,
        });
    }
    let bytes = std::fs::read(path).map_err(io)?;
    report_from_bytes(&source.id, path, &bytes)
}

/// Decodes and cleans report bytes; `path` names the report in errors and picks HTML
/// handling, `id` identifies it.
pub fn report_from_bytes(id: &str, path: &Path, bytes: &[u8]) -> Result<Report, IngestError> {
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
    if body.text.chars().all(char::is_whitespace) {
        return Err(IngestError::NoBody {
            path: path.to_owned(),
        });
    }
    if !body.text.chars().any(char::is_alphabetic) {
        return Err(IngestError::NoWords {
            path: path.to_owned(),
        });
    }
    let meta = meta::read_metadata(&body.text, &original);
    Ok(Report {
        id: id.to_owned(),
        path: path.to_owned(),
        encoding,
        original,
        body,
        meta,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ids(paths: &[&str]) -> Vec<String> {
        identify(
            paths
                .iter()
                .map(|p| (PathBuf::from(p), PathBuf::from(p)))
                .collect(),
        )
        .into_iter()
        .map(|s| s.id)
        .collect()
    }

    #[test]
    fn identifiers_are_relative_paths_unique_across_folders() {
        assert_eq!(ids(&["/a/r/000.txt", "/a/r/001.txt"]), ["000", "001"]);
        assert_eq!(
            ids(&["/x/东城/2023/报告.txt", "/x/西城/2023/报告.txt"]),
            ["东城/2023/报告", "西城/2023/报告"]
        );
        assert_eq!(
            ids(&["/a/rpt.txt", "/a/rpt.html", "/a/other.md"]),
            ["other", "rpt.html", "rpt.txt"]
        );
        assert_eq!(ids(&["/a/r.txt", "/a/r.txt"]), ["r"]);
    }
}
