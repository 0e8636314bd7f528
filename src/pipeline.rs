//! The build pipeline: report files → reports → extractions and relations (in parallel across
//! reports) → resolution across reports → quads.

use crate::error::IngestError;
use crate::extract::{Extraction, Extractor};
use crate::gazetteer::gazetteer;
use crate::ingest::{self, Report};
use crate::rdf;
use crate::relate::{relate, Relations};
use crate::resolve::{resolve, Resolution};
use oxigraph::model::Quad;
use rayon::prelude::*;
use std::path::PathBuf;

/// A report and what was extracted from it.
pub struct Processed {
    pub report: Report,
    pub extraction: Extraction,
    pub relations: Relations,
}

/// The outcome of reading and extracting a set of files.
pub struct Batch {
    /// Reports in file-name order.
    pub processed: Vec<Processed>,
    /// Files that could not be read, each with its reason.
    pub skipped: Vec<IngestError>,
}

/// The government that presents a report (东城区 → 东城区人民政府).
pub fn reporting_body(report: &Report) -> Option<String> {
    report
        .meta
        .district
        .as_ref()
        .map(|d| format!("{d}人民政府"))
}

/// Reads and extracts every report under `paths`; `tick` is called once per file.
pub fn process(
    paths: &[PathBuf],
    extractor: &Extractor,
    tick: &(dyn Fn() + Sync),
) -> std::io::Result<Batch> {
    let files = ingest::discover(paths)?;
    let results: Vec<Result<Processed, IngestError>> = files
        .par_iter()
        .map(|path| {
            let out = ingest::read_report(path).map(|report| {
                let extraction = extractor.extract(&report.body.text);
                let relations = relate(
                    &report.body.text,
                    &extraction,
                    reporting_body(&report).as_deref(),
                    gazetteer(),
                );
                Processed {
                    report,
                    extraction,
                    relations,
                }
            });
            tick();
            out
        })
        .collect();
    let mut processed = Vec::new();
    let mut skipped = Vec::new();
    for r in results {
        match r {
            Ok(p) => processed.push(p),
            Err(e) => skipped.push(e),
        }
    }
    Ok(Batch { processed, skipped })
}

/// Number of report files `process` would read.
pub fn count_files(paths: &[PathBuf]) -> std::io::Result<usize> {
    Ok(ingest::discover(paths)?.len())
}

/// Resolves the batch's entities across reports.
pub fn resolve_batch(batch: &Batch) -> Resolution {
    let mut groups = Vec::new();
    for p in &batch.processed {
        for e in &p.extraction.entities {
            let mut names = vec![e.label.clone()];
            names.extend(e.aliases.iter().cloned());
            groups.push((e.etype, names));
        }
        for r in &p.relations.relations {
            for t in [&r.subject, &r.object] {
                groups.push((t.etype, vec![t.label.clone()]));
            }
        }
    }
    resolve(groups, gazetteer())
}

/// All quads of a batch: each report's named graph, the derived graph of resolved entities,
/// and the ontology and gazetteer graphs; sorted and without duplicates.
pub fn batch_quads(batch: &Batch, resolution: &Resolution) -> crate::Result<Vec<Quad>> {
    let mut quads: Vec<Quad> = batch
        .processed
        .par_iter()
        .flat_map_iter(|p| rdf::report_quads(p, resolution))
        .collect();
    quads.extend(rdf::derived_quads(resolution, gazetteer()));
    quads.extend(crate::store::static_quads()?);
    quads.par_sort_by_cached_key(|q| q.to_string());
    quads.dedup();
    Ok(quads)
}
