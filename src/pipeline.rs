//! The build pipeline: report files → reports → extractions and relations (in parallel across
//! reports) → resolution across reports → quads.

use crate::error::IngestError;
use crate::extract::{EntityType, Extraction, Extractor};
use crate::gazetteer::{gazetteer, Gazetteer};
use crate::ingest::{self, Report};
use crate::rdf;
use crate::relate::{relate, Relations};
use crate::resolve::{resolve, Resolution};
use oxigraph::model::Quad;
use rayon::prelude::*;
use std::collections::BTreeMap;
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

/// Reads and extracts every report under `paths`.
pub fn process(paths: &[PathBuf], extractor: &Extractor) -> std::io::Result<Batch> {
    Ok(process_files(&ingest::discover(paths)?, extractor, &|| {}))
}

/// Reads and extracts the given report files; `tick` is called once per file.
pub fn process_files(files: &[PathBuf], extractor: &Extractor, tick: &(dyn Fn() + Sync)) -> Batch {
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
    Batch { processed, skipped }
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
        if let Some(body) = reporting_body(&p.report) {
            groups.push((EntityType::Organisation, vec![body]));
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
/// and the ontology and gazetteer graphs. Order and duplicates do not matter: the store is a
/// set, and exports sort.
pub fn batch_quads(batch: &Batch, resolution: &Resolution) -> crate::Result<Vec<Quad>> {
    let mut quads: Vec<Quad> = batch
        .processed
        .par_iter()
        .flat_map_iter(|p| rdf::report_quads(p, resolution))
        .collect();
    quads.extend(rdf::derived_quads(resolution, gazetteer()));
    quads.extend(crate::store::static_quads()?);
    Ok(quads)
}

/// Counts that `govkg build` reports.
#[derive(Debug, Clone, Default)]
pub struct Summary {
    pub reports: usize,
    pub skipped: usize,
    pub sentences: usize,
    pub mentions: usize,
    /// Distinct entities per report, by type.
    pub per_report: BTreeMap<EntityType, usize>,
    /// Entities after resolution across reports, by type.
    pub resolved: BTreeMap<EntityType, usize>,
    pub merges: usize,
    pub places: usize,
    pub unlinked_places: usize,
    pub relations: usize,
    pub statuses: usize,
    pub quantities: usize,
}

impl Summary {
    /// Counts what a batch and its resolution hold.
    pub fn new(batch: &Batch, res: &Resolution, gaz: &Gazetteer) -> Self {
        let mut s = Summary {
            reports: batch.processed.len(),
            skipped: batch.skipped.len(),
            merges: res.merges.len(),
            ..Default::default()
        };
        for p in &batch.processed {
            s.sentences += p.extraction.sentences.len();
            s.mentions += p.extraction.mentions.len();
            for e in &p.extraction.entities {
                *s.per_report.entry(e.etype).or_default() += 1;
            }
            s.relations += p.relations.relations.len();
            s.statuses += p.relations.statuses.len();
            s.quantities += p.relations.quantities.len();
        }
        for ((etype, _), names) in &res.names {
            *s.resolved.entry(*etype).or_default() += 1;
            if *etype == EntityType::Place {
                s.places += 1;
                if names.iter().all(|n| gaz.link(n).is_empty()) {
                    s.unlinked_places += 1;
                }
            }
        }
        s
    }
}

fn by_type(counts: &BTreeMap<EntityType, usize>) -> String {
    EntityType::ALL
        .iter()
        .map(|t| format!("{} {}", t.name(), counts.get(t).copied().unwrap_or(0)))
        .collect::<Vec<_>>()
        .join(", ")
}

impl std::fmt::Display for Summary {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        writeln!(
            f,
            "reports: {} read, {} skipped",
            self.reports, self.skipped
        )?;
        writeln!(f, "sentences: {}", self.sentences)?;
        writeln!(f, "mentions: {}", self.mentions)?;
        writeln!(f, "entities (per report): {}", by_type(&self.per_report))?;
        writeln!(
            f,
            "resolved entities: {} ({} merges)",
            by_type(&self.resolved),
            self.merges
        )?;
        writeln!(
            f,
            "places linked to the gazetteer: {} of {} ({} unlinked, kept without geometry)",
            self.places - self.unlinked_places,
            self.places,
            self.unlinked_places
        )?;
        writeln!(
            f,
            "relations: {}, project statuses: {}, quantities: {}",
            self.relations, self.statuses, self.quantities
        )
    }
}
