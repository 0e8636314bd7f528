//! The graph layout: which named graph holds which quads.
//!
//! | graph | holds |
//! | --- | --- |
//! | `graph/ontology` | the OWL ontology |
//! | `graph/gazetteer` | gazetteer places and their sourced geometries |
//! | `graph/entities` | every entity-level fact, written once: type, labels, aliases, lookup keys, resolution notes, gazetteer links, location (geometry, footprint, distance to the Central Axis), relations between entities, co-mentions, and counts of reports and mentions |
//! | one per report, named by the report's IRI | what that report says: its metadata, evidence sentences, mentions, which entities it mentions, relation statements with evidence, status statements and quantities |
//!
//! A report graph is written in two parts. [`report_quads`] needs only the report: it is
//! written while other reports are still being read. [`linked_report_quads`] needs the
//! resolution across reports (which entity a name stands for); so does [`entity_quads`].

use super::vocab::{
    ont, term, DCTERMS, ENTITIES_GRAPH, GAZETTEER_GRAPH, GEO, RDF, RDFS, SKOS, XSD,
};
use super::{entity_iri, report_iri, report_part_iri};
use crate::aggregate::{Facts, Location};
use crate::geo::geometry::{self, Footprint, CRS84};
use crate::geo::Gazetteer;
use crate::ingest::Report;
use crate::model::{
    grams, lookup_key, EntityType, Extraction, MentionRecord, Relations, ReportRecord,
};
use crate::resolve::Resolution;
use oxigraph::model::{GraphName, Literal, NamedNode, NamedOrBlankNode, Quad, Term};
use std::collections::BTreeSet;

/// Byte → character offsets of one text; provenance offsets are in characters.
pub struct CharIndex {
    starts: Vec<usize>,
}

impl CharIndex {
    /// Indexes `text`.
    pub fn new(text: &str) -> Self {
        Self {
            starts: text.char_indices().map(|(i, _)| i).collect(),
        }
    }

    /// Character offset of byte offset `byte`.
    pub fn chars_before(&self, byte: usize) -> usize {
        self.starts.partition_point(|&s| s < byte)
    }
}

fn zh(text: &str) -> Literal {
    Literal::new_language_tagged_literal_unchecked(text, "zh")
}

fn int(n: usize) -> Literal {
    Literal::new_typed_literal(n.to_string(), term(XSD, "integer"))
}

/// An `xsd:decimal` with at most `places` decimals, trailing zeros dropped.
fn decimal(v: f64, places: usize) -> Literal {
    let mut s = format!("{v:.places$}");
    if s.contains('.') {
        while s.ends_with('0') {
            s.pop();
        }
        if s.ends_with('.') {
            s.push('0');
        }
    }
    if s == "-0.0" {
        s = "0.0".to_owned();
    }
    Literal::new_typed_literal(s, term(XSD, "decimal"))
}

fn year(y: i32) -> Literal {
    Literal::new_typed_literal(y.to_string(), term(XSD, "gYear"))
}

/// Quads of one graph, in the order written.
struct Sink {
    graph: GraphName,
    quads: Vec<Quad>,
}

impl Sink {
    fn new(graph: NamedNode) -> Self {
        Self {
            graph: GraphName::NamedNode(graph),
            quads: Vec::new(),
        }
    }

    fn add(&mut self, s: impl Into<NamedOrBlankNode>, p: NamedNode, o: impl Into<Term>) {
        self.quads.push(Quad::new(s, p, o, self.graph.clone()));
    }
}

fn sentence_iri(report: &str, k: usize) -> NamedNode {
    report_part_iri("sentence", report, &(k + 1).to_string())
}

fn mention_iri(report: &str, m: &MentionRecord) -> NamedNode {
    let kind = m.etype.path();
    report_part_iri("mention", report, &format!("{}-{}-{kind}", m.start, m.end))
}

/// The quads of a report that need nothing but the report, in its graph, and the record
/// of what remains to be linked once names are resolved across reports.
pub fn report_quads(
    report: &Report,
    ex: &Extraction,
    relations: &Relations,
    creator: Option<String>,
) -> (Vec<Quad>, ReportRecord) {
    let r = report_iri(&report.id);
    let mut g = Sink::new(r.clone());
    metadata(&mut g, report, ex.sentences.len());
    let chars = CharIndex::new(&report.original);
    let orig_chars = |clean_byte: usize| chars.chars_before(report.body.to_original(clean_byte));
    let body = &report.body.text;
    // Only sentences that carry a mention or a statement are stored: they are the evidence.
    let used: BTreeSet<usize> = ex.mentions.iter().map(|m| m.sentence).collect();
    for &k in &used {
        let s = ex.sentences[k];
        let si = sentence_iri(&report.id, k);
        g.add(si.clone(), term(RDF, "type"), ont("Sentence"));
        g.add(si.clone(), ont("text"), zh(&body[s.start..s.end]));
        g.add(si.clone(), ont("startOffset"), int(orig_chars(s.start)));
        g.add(si.clone(), ont("endOffset"), int(orig_chars(s.end)));
        g.add(si, term(DCTERMS, "isPartOf"), r.clone());
    }
    let mut mentions = Vec::with_capacity(ex.mentions.len());
    for m in &ex.mentions {
        let record = MentionRecord {
            etype: m.etype,
            label: m.label.clone(),
            start: orig_chars(m.start),
            end: orig_chars(m.end),
            sentence: m.sentence,
        };
        // A mention's class follows from govkg:mentionOf's domain, and its report from its
        // sentence (and its graph): not written, a fifth fewer quads to load.
        let mi = mention_iri(&report.id, &record);
        g.add(
            mi.clone(),
            ont("inSentence"),
            sentence_iri(&report.id, m.sentence),
        );
        g.add(mi.clone(), ont("surfaceForm"), zh(&body[m.start..m.end]));
        g.add(mi.clone(), ont("startOffset"), int(record.start));
        g.add(mi, ont("endOffset"), int(record.end));
        mentions.push(record);
    }
    statements(&mut g, &report.id, relations);
    let record = ReportRecord {
        id: report.id.clone(),
        creator,
        year: report.meta.year,
        sentences: ex.sentences.len(),
        mentions,
        entities: ex
            .entities
            .iter()
            .map(|e| (e.etype, e.label.clone(), e.aliases.clone()))
            .collect(),
        relations: relations.clone(),
    };
    (g.quads, record)
}

/// The report's own description.
fn metadata(g: &mut Sink, report: &Report, sentences: usize) {
    let r = report_iri(&report.id);
    let rdf_type = term(RDF, "type");
    g.add(
        r.clone(),
        rdf_type.clone(),
        ont(report.meta.kind.class_name()),
    );
    g.add(r.clone(), rdf_type, ont("Report"));
    if let Some(title) = &report.meta.title {
        g.add(r.clone(), term(RDFS, "label"), zh(title));
        g.add(r.clone(), term(DCTERMS, "title"), zh(title));
    }
    let file_name = report
        .path
        .file_name()
        .map(|f| f.to_string_lossy().into_owned())
        .unwrap_or_else(|| report.id.clone());
    g.add(
        r.clone(),
        ont("fileName"),
        Literal::new_simple_literal(file_name),
    );
    g.add(
        r.clone(),
        ont("sourcePath"),
        Literal::new_simple_literal(&report.id),
    );
    g.add(
        r.clone(),
        ont("encoding"),
        Literal::new_simple_literal(report.encoding.name()),
    );
    if let Some(d) = &report.meta.district {
        g.add(r.clone(), ont("district"), zh(d));
    }
    if let Some(y) = report.meta.year {
        g.add(r.clone(), ont("year"), year(y));
    }
    if let Some(d) = &report.meta.date {
        g.add(
            r.clone(),
            term(DCTERMS, "date"),
            Literal::new_typed_literal(d, term(XSD, "date")),
        );
    }
    g.add(r, ont("sentenceCount"), int(sentences));
}

/// Relation, status and quantity statements, without the entities they are about.
fn statements(g: &mut Sink, report: &str, rel: &Relations) {
    let r = report_iri(report);
    let rdf_type = term(RDF, "type");
    let part_of = term(DCTERMS, "isPartOf");
    for (n, rel) in rel.relations.iter().enumerate() {
        let st = report_part_iri("relation", report, &(n + 1).to_string());
        g.add(st.clone(), rdf_type.clone(), term(RDF, "Statement"));
        g.add(st.clone(), term(RDF, "predicate"), ont(rel.kind.property()));
        g.add(
            st.clone(),
            ont("via"),
            Literal::new_simple_literal(&rel.via),
        );
        if let Some(k) = rel.sentence {
            g.add(st.clone(), ont("evidence"), sentence_iri(report, k));
        }
        g.add(st, part_of.clone(), r.clone());
    }
    for (n, st) in rel.statuses.iter().enumerate() {
        let node = report_part_iri("status", report, &(n + 1).to_string());
        g.add(node.clone(), rdf_type.clone(), ont("StatusStatement"));
        g.add(node.clone(), ont("status"), ont(st.status.name()));
        g.add(node.clone(), ont("trigger"), zh(&st.trigger));
        if let Some(y) = st.year {
            g.add(node.clone(), ont("year"), year(y));
        }
        g.add(
            node.clone(),
            ont("evidence"),
            sentence_iri(report, st.sentence),
        );
        g.add(node, part_of.clone(), r.clone());
    }
    for (n, q) in rel.quantities.iter().enumerate() {
        let node = report_part_iri("quantity", report, &(n + 1).to_string());
        g.add(node.clone(), rdf_type.clone(), ont("Quantity"));
        g.add(node.clone(), ont("value"), decimal(q.value, 4));
        g.add(node.clone(), ont("unit"), zh(&q.unit));
        g.add(
            node.clone(),
            ont("approximate"),
            Literal::from(q.approximate),
        );
        g.add(node.clone(), ont("text"), zh(&q.text));
        g.add(
            node.clone(),
            ont("evidence"),
            sentence_iri(report, q.sentence),
        );
        g.add(node, part_of.clone(), r.clone());
    }
}

/// The quads of a report that name resolved entities, in its graph: what each mention and
/// statement is about, which entities the report mentions, and its creator; and its
/// `ordinal`, its place among all reports by year and identifier, which lists sort by.
pub fn linked_report_quads(record: &ReportRecord, ordinal: usize, res: &Resolution) -> Vec<Quad> {
    let report = &record.id;
    let r = report_iri(report);
    let mut g = Sink::new(r.clone());
    let iri = |etype: EntityType, name: &str| entity_iri(etype, res.canonical(etype, name));
    let mut mentioned = BTreeSet::new();
    for m in &record.mentions {
        let e = iri(m.etype, &m.label);
        g.add(mention_iri(report, m), ont("mentionOf"), e.clone());
        mentioned.insert(e);
    }
    if let Some(c) = &record.creator {
        let e = iri(EntityType::Organisation, c);
        g.add(r.clone(), term(DCTERMS, "creator"), e.clone());
        mentioned.insert(e);
    }
    let rel = &record.relations;
    for (n, rel) in rel.relations.iter().enumerate() {
        let st = report_part_iri("relation", report, &(n + 1).to_string());
        let s = iri(rel.subject.etype, &rel.subject.label);
        let o = iri(rel.object.etype, &rel.object.label);
        g.add(st.clone(), term(RDF, "subject"), s.clone());
        g.add(st, term(RDF, "object"), o.clone());
        mentioned.extend([s, o]);
    }
    for (n, st) in rel.statuses.iter().enumerate() {
        let node = report_part_iri("status", report, &(n + 1).to_string());
        g.add(node, ont("project"), iri(EntityType::Project, &st.project));
    }
    for (n, q) in rel.quantities.iter().enumerate() {
        let node = report_part_iri("quantity", report, &(n + 1).to_string());
        let subject = iri(q.subject.etype, &q.subject.label);
        g.add(subject.clone(), ont("hasQuantity"), node.clone());
        g.add(node, ont("quantityOf"), subject);
    }
    g.add(r.clone(), ont("entityCount"), int(mentioned.len()));
    g.add(r.clone(), ont("ordinal"), int(ordinal));
    for e in mentioned {
        g.add(e, ont("mentionedIn"), r.clone());
    }
    g.quads
}

/// Entity-level quads, each written once, in the entities graph.
pub fn entity_quads(facts: &Facts) -> Vec<Quad> {
    let mut g = Sink::new(NamedNode::new_unchecked(ENTITIES_GRAPH));
    for ((etype, label), facts) in &facts.entities {
        let e = entity_iri(*etype, label);
        g.add(e.clone(), term(RDF, "type"), ont(etype.name()));
        g.add(e.clone(), term(RDFS, "label"), zh(label));
        let mut keys = BTreeSet::new();
        for name in &facts.names {
            if name != label {
                g.add(e.clone(), term(SKOS, "altLabel"), zh(name));
            }
            keys.insert(lookup_key(name));
        }
        let name_grams: BTreeSet<String> = keys.iter().flat_map(|k| grams(k)).collect();
        for key in keys {
            g.add(
                e.clone(),
                ont("lookupKey"),
                Literal::new_simple_literal(key),
            );
        }
        for gram in name_grams {
            g.add(
                e.clone(),
                ont("nameGram"),
                Literal::new_simple_literal(gram),
            );
        }
        for note in &facts.notes {
            g.add(e.clone(), ont("resolutionNote"), zh(note));
        }
        for place in &facts.gazetteer {
            g.add(
                e.clone(),
                ont("gazetteerPlace"),
                NamedNode::new_unchecked(place),
            );
        }
        g.add(e.clone(), ont("reportCount"), int(facts.reports));
        g.add(e.clone(), ont("mentionCount"), int(facts.mentions));
        let rank_of_type = format!("{}Rank", etype.path());
        g.add(e.clone(), ont(&rank_of_type), int(facts.rank));
        if let Some(loc) = &facts.location {
            location(&mut g, &e, loc);
        }
    }
    for ((st, sl), kind, (ot, ol)) in &facts.relations {
        g.add(
            entity_iri(*st, sl),
            ont(kind.property()),
            entity_iri(*ot, ol),
        );
    }
    for ((at, al), (bt, bl)) in &facts.comentions {
        g.add(
            entity_iri(*at, al),
            ont("mentionedWith"),
            entity_iri(*bt, bl),
        );
    }
    g.quads
}

/// Lookup keys and footprints of the gazetteer's places, in the gazetteer graph: so that a
/// place the reports never name can still be looked up by name and measured from.
pub fn gazetteer_index_quads(gaz: &Gazetteer) -> Vec<Quad> {
    let mut g = Sink::new(NamedNode::new_unchecked(GAZETTEER_GRAPH));
    for place in &gaz.places {
        let p = NamedNode::new_unchecked(&place.iri);
        let keys: BTreeSet<String> = place.names.iter().map(|n| lookup_key(n)).collect();
        for key in keys {
            g.add(
                p.clone(),
                ont("lookupKey"),
                Literal::new_simple_literal(key),
            );
        }
        let footprint = place
            .geometry
            .as_ref()
            .filter(|_| place.locates_works())
            .and_then(geometry::footprint);
        if let Some(f) = footprint {
            add_footprint(&mut g, &p, &f);
        }
    }
    g.quads
}

fn add_footprint(g: &mut Sink, e: &NamedNode, f: &Footprint) {
    g.add(e.clone(), ont("lat"), decimal(f.lat, 6));
    g.add(e.clone(), ont("lon"), decimal(f.lon, 6));
    g.add(e.clone(), ont("extent"), decimal(f.radius_m, 1));
    g.add(e.clone(), ont("lonMetres"), decimal(f.lon_metres, 1));
}

/// An entity's geometry, its footprint for box prefilters, and its distance to the axis.
fn location(g: &mut Sink, e: &NamedNode, loc: &Location) {
    let geometry = NamedNode::new_unchecked(format!("{}/geometry", e.as_str()));
    g.add(e.clone(), term(GEO, "hasGeometry"), geometry.clone());
    g.add(geometry.clone(), term(RDF, "type"), term(GEO, "Geometry"));
    g.add(
        geometry,
        term(GEO, "asWKT"),
        Literal::new_typed_literal(format!("<{CRS84}> {}", loc.wkt), term(GEO, "wktLiteral")),
    );
    if let Some(f) = &loc.footprint {
        add_footprint(g, e, f);
    }
    for c in &loc.cells {
        g.add(e.clone(), ont("cell"), Literal::from(*c));
    }
    // Only works get a distance to the axis: `near-central-axis` then scans just them.
    if let (Some(d), Some(p)) = (loc.axis_m, &loc.axis_place) {
        g.add(e.clone(), ont("axisDistance"), decimal(d, 3));
        g.add(
            e.clone(),
            ont("axisPlace"),
            entity_iri(EntityType::Place, p),
        );
    }
}
