//! The build pipeline, the one module that knows every stage: report files → reports →
//! extractions and relations (in parallel across reports) → quads of each report, loaded
//! as they come → resolution across reports → entity facts → the quads that need them.

use crate::aggregate::Facts;
use crate::extract::Extractor;
use crate::geo::Gazetteer;
use crate::ingest::{self, IngestError, Report, Source};
use crate::model::{EntityType, Extraction, Relations, ReportRecord};
use crate::rdf::{self, layout};
use crate::relate::{relate, ReportContext};
use crate::resolve::{resolve, Resolution};
use crate::store::{self, Loaded, StoreError};
use rayon::prelude::*;
use std::collections::BTreeMap;
use std::path::Path;
use std::sync::mpsc::sync_channel;
use std::sync::Arc;

/// What every stage shares: the gazetteer and the extractor built on it.
pub struct Stages {
    pub gazetteer: Arc<Gazetteer>,
    pub extractor: Extractor,
}

impl Stages {
    /// The stages over a gazetteer.
    pub fn new(gazetteer: Arc<Gazetteer>) -> Self {
        Self {
            extractor: Extractor::new(gazetteer.clone()),
            gazetteer,
        }
    }

    /// The stages over the gazetteer compiled into the binary.
    pub fn bundled() -> crate::Result<Self> {
        Ok(Self::new(Arc::new(Gazetteer::bundled()?)))
    }
}

/// A report and what was extracted from it.
pub struct Processed {
    pub report: Report,
    pub extraction: Extraction,
    pub relations: Relations,
}

/// The government that presents a report (东城区 → 东城区人民政府).
pub fn reporting_body(report: &Report) -> Option<String> {
    report
        .meta
        .district
        .as_ref()
        .map(|d| format!("{d}人民政府"))
}

/// Reads one report and extracts its entities and relations.
pub fn process(source: &Source, stages: &Stages) -> Result<Processed, IngestError> {
    let report = ingest::read_report(source)?;
    let extraction = stages.extractor.extract(&report.body.text);
    let context = ReportContext {
        creator: reporting_body(&report),
        year: report.meta.year,
    };
    let relations = relate(&report.body.text, &extraction, &context, &stages.gazetteer);
    Ok(Processed {
        report,
        extraction,
        relations,
    })
}

/// Reads and extracts every report, in parallel; the results keep the sources' order.
/// `tick` is called once per file.
pub fn process_all(
    sources: &[Source],
    stages: &Stages,
    tick: &(dyn Fn() + Sync),
) -> Vec<Result<Processed, IngestError>> {
    sources
        .par_iter()
        .map(|s| {
            let out = process(s, stages);
            tick();
            out
        })
        .collect()
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
    pub linked_places: usize,
    pub located_projects: usize,
    pub relations: usize,
    pub statuses: usize,
    pub quantities: usize,
}

impl Summary {
    fn new(records: &[ReportRecord], res: &Resolution, facts: &Facts, skipped: usize) -> Self {
        let mut s = Summary {
            reports: records.len(),
            skipped,
            merges: res.merges.len(),
            ..Default::default()
        };
        for r in records {
            s.sentences += r.sentences;
            s.mentions += r.mentions.len();
            for (t, _, _) in &r.entities {
                *s.per_report.entry(*t).or_default() += 1;
            }
            s.relations += r.relations.relations.len();
            s.statuses += r.relations.statuses.len();
            s.quantities += r.relations.quantities.len();
        }
        for ((etype, _), f) in &facts.entities {
            *s.resolved.entry(*etype).or_default() += 1;
            match etype {
                EntityType::Place => {
                    s.places += 1;
                    s.linked_places += usize::from(!f.gazetteer.is_empty());
                }
                EntityType::Project => s.located_projects += usize::from(f.location.is_some()),
                _ => {}
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
            self.linked_places,
            self.places,
            self.places - self.linked_places
        )?;
        let projects = self
            .resolved
            .get(&EntityType::Project)
            .copied()
            .unwrap_or(0);
        writeln!(
            f,
            "projects with a location: {} of {projects}",
            self.located_projects
        )?;
        writeln!(
            f,
            "relations: {}, project statuses: {}, quantities: {}",
            self.relations, self.statuses, self.quantities
        )
    }
}

/// What a build did.
pub struct Built {
    pub loaded: Loaded,
    pub summary: Summary,
    /// Files that could not be read, each with its reason.
    pub skipped: Vec<IngestError>,
    /// Seconds spent reading, extracting and loading reports' own quads (overlapped).
    pub first_pass: f64,
}

/// Builds the graph of `sources` into a new generation of the store at `dir`.
///
/// Each report's own quads go to the bulk loader as soon as it is extracted, while other
/// reports are still being read; what needs the resolution across reports is kept as a
/// compact [`ReportRecord`] and loaded afterwards. Memory holds the records, not the texts
/// or their quads. A build in which no report can be read leaves the store as it was.
pub fn build(
    dir: &Path,
    sources: &[Source],
    stages: &Stages,
    tick: &(dyn Fn() + Sync),
) -> crate::Result<Built> {
    let started = std::time::Instant::now();
    let (loaded, (summary, skipped, first_pass)) = store::build(dir, |loader| {
        let (records, skipped) = load_reports(loader, sources, stages, tick)?;
        let first_pass = started.elapsed().as_secs_f64();
        if records.is_empty() {
            return Err(crate::Error::Store(StoreError::Invalid {
                path: dir.to_owned(),
                message: "no report could be read; the store was left as it was".into(),
            }));
        }
        let names = records.iter().flat_map(ReportRecord::name_groups);
        let res = resolve(names, &stages.gazetteer);
        let facts = Facts::gather(&records, &res, &stages.gazetteer);
        let mut order: Vec<&ReportRecord> = records.iter().collect();
        order.sort_by_key(|r| (r.year.is_none(), r.year, &r.id));
        for (n, record) in order.into_iter().enumerate() {
            loader.load(layout::linked_report_quads(record, n + 1, &res))?;
        }
        loader.load(layout::entity_quads(&facts))?;
        loader.load(layout::gazetteer_index_quads(&stages.gazetteer))?;
        loader.load(rdf::static_quads(
            crate::geo::gazetteer::BUNDLED.iter().copied(),
        )?)?;
        let summary = Summary::new(&records, &res, &facts, skipped.len());
        Ok((summary, skipped, first_pass))
    })?;
    Ok(Built {
        loaded,
        summary,
        skipped,
        first_pass,
    })
}

type Extracted = Result<(Vec<oxigraph::model::Quad>, ReportRecord), IngestError>;

/// Reads and extracts reports on rayon's threads while this thread loads their quads;
/// returns the records of the reports read and the errors of those that could not be.
fn load_reports(
    loader: &mut store::Loader,
    sources: &[Source],
    stages: &Stages,
    tick: &(dyn Fn() + Sync),
) -> crate::Result<(Vec<ReportRecord>, Vec<IngestError>)> {
    // A few reports in flight: enough to keep the loader busy, bounded in memory.
    let (tx, rx) = sync_channel::<Extracted>(4);
    let mut records = Vec::with_capacity(sources.len());
    let mut skipped = Vec::new();
    std::thread::scope(|scope| -> crate::Result<()> {
        // Dropped when this closure returns, before the scope waits for the producer:
        // a failed load then ends the producer's sends instead of blocking them.
        let rx = rx;
        scope.spawn(move || {
            sources.par_iter().for_each_with(tx, |tx, source| {
                let out = process(source, stages).map(|p| {
                    let creator = reporting_body(&p.report);
                    layout::report_quads(&p.report, &p.extraction, &p.relations, creator)
                });
                tick();
                // The receiver is gone only when loading failed; that error is reported.
                let _ = tx.send(out);
            });
        });
        let quads = rx.iter().flat_map(|item| match item {
            Ok((quads, record)) => {
                records.push(record);
                quads
            }
            Err(e) => {
                skipped.push(e);
                Vec::new()
            }
        });
        loader.load(quads)?;
        Ok(())
    })?;
    // Reports arrive in the order they finish; the records are kept in identifier order.
    records.sort_by(|a, b| a.id.cmp(&b.id));
    skipped.sort_by(|a, b| a.path().cmp(b.path()));
    Ok((records, skipped))
}
