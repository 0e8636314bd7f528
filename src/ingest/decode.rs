//! Decoding report bytes: UTF-8 (BOM or not), UTF-16 with BOM, GB18030/GBK.

use super::IngestError;
use std::path::Path;

/// The encoding a report was decoded from.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize)]
pub enum Encoding {
    Utf8,
    Utf16Le,
    Utf16Be,
    Gb18030,
}

impl Encoding {
    /// Name as used in reports and the build summary.
    pub fn name(self) -> &'static str {
        match self {
            Self::Utf8 => "UTF-8",
            Self::Utf16Le => "UTF-16LE",
            Self::Utf16Be => "UTF-16BE",
            Self::Gb18030 => "GB18030",
        }
    }
}

/// Decodes `bytes`; errors name `path`. Rejects empty and binary content instead of guessing.
pub fn decode(path: &Path, bytes: &[u8]) -> Result<(String, Encoding), IngestError> {
    let err_path = || path.to_owned();
    if bytes.iter().all(|b| b.is_ascii_whitespace()) {
        return Err(IngestError::Empty { path: err_path() });
    }
    if let Some((enc, bom_len)) = encoding_rs::Encoding::for_bom(bytes) {
        let (text, had_errors) = enc.decode_without_bom_handling(&bytes[bom_len..]);
        if had_errors {
            return Err(IngestError::Undecodable { path: err_path() });
        }
        let encoding = if enc == encoding_rs::UTF_16LE {
            Encoding::Utf16Le
        } else if enc == encoding_rs::UTF_16BE {
            Encoding::Utf16Be
        } else {
            Encoding::Utf8
        };
        return finish(path, text.into_owned(), encoding);
    }
    // NUL bytes never occur in UTF-8 or GB18030 text; they mark binaries (or BOM-less UTF-16, unsupported).
    if bytes.contains(&0) {
        return Err(IngestError::Binary { path: err_path() });
    }
    if let Ok(text) = std::str::from_utf8(bytes) {
        return finish(path, text.to_owned(), Encoding::Utf8);
    }
    match encoding_rs::GB18030.decode_without_bom_handling_and_without_replacement(bytes) {
        Some(text) => finish(path, text.into_owned(), Encoding::Gb18030),
        None => Err(IngestError::Undecodable { path: err_path() }),
    }
}

/// Text with many control characters is a binary that happened to decode.
fn finish(
    path: &Path,
    text: String,
    encoding: Encoding,
) -> Result<(String, Encoding), IngestError> {
    let total = text.chars().count().max(1);
    let control = text
        .chars()
        .filter(|c| c.is_control() && !matches!(c, '\n' | '\r' | '\t' | '\u{c}'))
        .count();
    if control * 100 > total {
        return Err(IngestError::Binary {
            path: path.to_owned(),
        });
    }
    if text.trim().is_empty() {
        return Err(IngestError::Empty {
            path: path.to_owned(),
        });
    }
    Ok((text, encoding))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn decodes_gbk_and_utf16() {
        let text = "望坛棚改项目完成";
        let (gbk, _, _) = encoding_rs::GBK.encode(text);
        let (out, enc) = decode(Path::new("a.txt"), &gbk).expect("gbk");
        assert_eq!((out.as_str(), enc), (text, Encoding::Gb18030));
        let mut utf16 = vec![0xFF, 0xFE];
        utf16.extend(text.encode_utf16().flat_map(|u| u.to_le_bytes()));
        let (out, enc) = decode(Path::new("a.txt"), &utf16).expect("utf16");
        assert_eq!((out.as_str(), enc), (text, Encoding::Utf16Le));
    }

    #[test]
    fn rejects_binary_and_empty() {
        let png = [0x89, b'P', b'N', b'G', 0x0D, 0x0A, 0x1A, 0x0A, 0, 0, 0, 13];
        assert!(matches!(
            decode(Path::new("x.txt"), &png),
            Err(IngestError::Binary { .. })
        ));
        assert!(matches!(
            decode(Path::new("x.txt"), b"  \n"),
            Err(IngestError::Empty { .. })
        ));
    }
}
