//! Query results as text tables and as SPARQL CSV, TSV and JSON.

use super::OutputError;
use crate::model::vocab::compact_iri;
use crate::query::Table;
use oxigraph::model::Term;
use oxigraph::sparql::results::{QueryResultsFormat, QueryResultsSerializer};
use std::io::Write;

/// Output formats of query results.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum OutputFormat {
    Table,
    Csv,
    Tsv,
    Json,
}

/// Writes a table in the given format.
pub fn write_table(
    table: &Table,
    format: OutputFormat,
    mut out: impl Write,
) -> Result<(), OutputError> {
    let sparql_format = match format {
        OutputFormat::Table => return write_text_table(table, out),
        OutputFormat::Csv => QueryResultsFormat::Csv,
        OutputFormat::Tsv => QueryResultsFormat::Tsv,
        OutputFormat::Json => QueryResultsFormat::Json,
    };
    let mut ser = QueryResultsSerializer::from_format(sparql_format)
        .serialize_solutions_to_writer(&mut out, table.variables.clone())?;
    for row in &table.rows {
        ser.serialize(
            table
                .variables
                .iter()
                .zip(row)
                .filter_map(|(v, t)| t.as_ref().map(|t| (v.as_ref(), t.as_ref()))),
        )?;
    }
    ser.finish()?;
    if format == OutputFormat::Json {
        writeln!(out)?;
    }
    Ok(())
}

/// A short human form of a term: prefixed IRIs, bare literal values.
pub fn display_term(term: &Term) -> String {
    match term {
        Term::NamedNode(n) => compact_iri(n.as_str()),
        Term::BlankNode(b) => format!("_:{}", b.as_str()),
        Term::Literal(l) => l.value().to_owned(),
        #[allow(unreachable_patterns)]
        other => other.to_string(),
    }
}

/// Widest cell of a text table, in terminal columns; csv, tsv and json give full values.
const MAX_CELL_WIDTH: usize = 64;

/// `s` cut to `MAX_CELL_WIDTH` columns, with an ellipsis when cut.
fn fit(s: String) -> String {
    use unicode_width::{UnicodeWidthChar, UnicodeWidthStr};
    if s.width() <= MAX_CELL_WIDTH {
        return s;
    }
    let mut out = String::new();
    let mut width = 0;
    for c in s.chars() {
        width += c.width().unwrap_or(0);
        if width > MAX_CELL_WIDTH - 1 {
            break;
        }
        out.push(c);
    }
    out.push('…');
    out
}

fn write_text_table(table: &Table, mut out: impl Write) -> Result<(), OutputError> {
    use unicode_width::UnicodeWidthStr;
    let header: Vec<String> = table
        .variables
        .iter()
        .map(|v| v.as_str().to_owned())
        .collect();
    let cells: Vec<Vec<String>> = table
        .rows
        .iter()
        .map(|r| {
            r.iter()
                .map(|t| {
                    fit(t
                        .as_ref()
                        .map(display_term)
                        .unwrap_or_default()
                        .replace('\n', " "))
                })
                .collect()
        })
        .collect();
    let mut widths: Vec<usize> = header.iter().map(|h| h.width()).collect();
    for row in &cells {
        for (w, c) in widths.iter_mut().zip(row) {
            *w = (*w).max(c.width());
        }
    }
    let line = |cells: &[String]| -> String {
        let padded: Vec<String> = cells
            .iter()
            .zip(&widths)
            .map(|(c, w)| format!("{c}{}", " ".repeat(w.saturating_sub(c.width()))))
            .collect();
        padded.join(" | ").trim_end().to_owned()
    };
    writeln!(out, "{}", line(&header))?;
    writeln!(
        out,
        "{}",
        widths
            .iter()
            .map(|w| "-".repeat(*w))
            .collect::<Vec<_>>()
            .join("-+-")
    )?;
    for row in &cells {
        writeln!(out, "{}", line(row))?;
    }
    writeln!(
        out,
        "({} row{})",
        cells.len(),
        if cells.len() == 1 { "" } else { "s" }
    )?;
    Ok(())
}
