//! Mapping: one report's extraction → quads of the govkg ontology, in the report's named graph.

use crate::extract::EntityType;
use crate::gazetteer::Gazetteer;
use crate::pipeline::{reporting_body, Processed};
use crate::resolve::Resolution;
use crate::vocab::{self, id, ont, term, DCTERMS, RDF, RDFS, SKOS, XSD};
use oxigraph::model::{GraphName, Literal, NamedNode, NamedOrBlankNode, Quad, Term};
use std::collections::{BTreeMap, BTreeSet};

/// Path segment of an entity type in IRIs.
pub fn type_path(etype: EntityType) -> &'static str {
    match etype {
        EntityType::Project => "project",
        EntityType::Place => "place",
        EntityType::Programme => "programme",
        EntityType::Organisation => "organisation",
    }
}

/// IRI of a report, from its file stem.
pub fn report_iri(report_id: &str) -> NamedNode {
    id("report", report_id)
}

/// IRI of an entity: same type and label give the same IRI in every build.
pub fn entity_iri(etype: EntityType, label: &str) -> NamedNode {
    id(type_path(etype), label)
}

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

struct Sink {
    graph: GraphName,
    quads: Vec<Quad>,
}

impl Sink {
    fn add(&mut self, s: impl Into<NamedOrBlankNode>, p: NamedNode, o: impl Into<Term>) {
        self.quads.push(Quad::new(s, p, o, self.graph.clone()));
    }
}

/// All quads one report contributes, in its named graph: metadata, evidence sentences,
/// mentions, entities (under their resolved IRIs), relations, statuses and quantities.
pub fn report_quads(p: &Processed, res: &Resolution) -> Vec<Quad> {
    let (report, ex) = (&p.report, &p.extraction);
    let r = report_iri(&report.id);
    let mut g = Sink {
        graph: GraphName::NamedNode(r.clone()),
        quads: Vec::new(),
    };
    let rdf_type = term(RDF, "type");
    let label = term(RDFS, "label");
    let alt = term(SKOS, "altLabel");
    let part_of = term(DCTERMS, "isPartOf");
    let iri_of = |etype: EntityType, l: &str| entity_iri(etype, res.canonical(etype, l));
    g.add(
        r.clone(),
        rdf_type.clone(),
        ont(report.meta.kind.class_name()),
    );
    g.add(r.clone(), rdf_type.clone(), ont("Report"));
    if let Some(title) = &report.meta.title {
        g.add(r.clone(), label.clone(), zh(title));
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
        ont("encoding"),
        Literal::new_simple_literal(report.encoding.name()),
    );
    if let Some(d) = &report.meta.district {
        g.add(r.clone(), ont("district"), zh(d));
    }
    let year = report
        .meta
        .year
        .map(|y| Literal::new_typed_literal(y.to_string(), term(XSD, "gYear")));
    if let Some(y) = &year {
        g.add(r.clone(), ont("year"), y.clone());
    }
    if let Some(d) = &report.meta.date {
        g.add(
            r.clone(),
            term(DCTERMS, "date"),
            Literal::new_typed_literal(d, term(XSD, "date")),
        );
    }
    g.add(r.clone(), ont("sentenceCount"), int(ex.sentences.len()));

    let chars = CharIndex::new(&report.original);
    let orig_chars = |clean_byte: usize| chars.chars_before(report.body.to_original(clean_byte));
    let body = &report.body.text;
    let sentence_iri =
        |k: usize| NamedNode::new_unchecked(format!("{}/sentence/{}", r.as_str(), k + 1));
    // Only sentences that carry a mention are stored: they are the evidence.
    let used: BTreeSet<usize> = ex.mentions.iter().map(|m| m.sentence).collect();
    for &k in &used {
        let s = ex.sentences[k];
        let si = sentence_iri(k);
        g.add(si.clone(), rdf_type.clone(), ont("Sentence"));
        g.add(si.clone(), ont("text"), zh(&body[s.start..s.end]));
        g.add(si.clone(), ont("startOffset"), int(orig_chars(s.start)));
        g.add(si.clone(), ont("endOffset"), int(orig_chars(s.end)));
        g.add(si.clone(), part_of.clone(), r.clone());
    }
    let entity_of: Vec<NamedNode> = ex
        .mentions
        .iter()
        .map(|m| iri_of(m.etype, &m.label))
        .collect();
    for (i, m) in ex.mentions.iter().enumerate() {
        let (start, end) = (orig_chars(m.start), orig_chars(m.end));
        // A site named as a work is a project and a place at once: the type keeps the two
        // mentions of one span apart.
        let kind = m.etype.name().to_lowercase();
        let mi = NamedNode::new_unchecked(format!("{}/mention/{start}-{end}-{kind}", r.as_str()));
        g.add(mi.clone(), rdf_type.clone(), ont("Mention"));
        g.add(mi.clone(), ont("mentionOf"), entity_of[i].clone());
        g.add(mi.clone(), ont("inSentence"), sentence_iri(m.sentence));
        g.add(mi.clone(), ont("surfaceForm"), zh(&body[m.start..m.end]));
        g.add(mi.clone(), ont("startOffset"), int(start));
        g.add(mi.clone(), ont("endOffset"), int(end));
        g.add(mi.clone(), part_of.clone(), r.clone());
    }
    let declare = |g: &mut Sink, etype: EntityType, name: &str| {
        let canonical = res.canonical(etype, name);
        let ei = entity_iri(etype, canonical);
        g.add(ei.clone(), rdf_type.clone(), ont(etype.name()));
        g.add(ei.clone(), label.clone(), zh(canonical));
        if name != canonical {
            g.add(ei.clone(), alt.clone(), zh(name));
        }
        g.add(ei.clone(), ont("mentionedIn"), r.clone());
        ei
    };
    for e in &ex.entities {
        declare(&mut g, e.etype, &e.label);
        for a in &e.aliases {
            declare(&mut g, e.etype, a);
        }
    }
    if let Some(body_name) = reporting_body(report) {
        let creator = declare(&mut g, EntityType::Organisation, &body_name);
        g.add(r.clone(), term(DCTERMS, "creator"), creator);
    }
    // Co-mention: entities named in the same sentence.
    let mut by_sentence: BTreeMap<usize, BTreeSet<&NamedNode>> = BTreeMap::new();
    for (i, m) in ex.mentions.iter().enumerate() {
        by_sentence
            .entry(m.sentence)
            .or_default()
            .insert(&entity_of[i]);
    }
    let mut pairs = BTreeSet::new();
    for set in by_sentence.values() {
        for a in set {
            for b in set {
                if a != b {
                    pairs.insert(((*a).clone(), (*b).clone()));
                }
            }
        }
    }
    for (a, b) in pairs {
        g.add(a, ont("mentionedWith"), b);
    }
    // Relations, each stated directly and as an rdf:Statement carrying its evidence.
    for (n, rel) in p.relations.relations.iter().enumerate() {
        let s = declare(&mut g, rel.subject.etype, &rel.subject.label);
        let o = declare(&mut g, rel.object.etype, &rel.object.label);
        if s == o {
            continue;
        }
        let prop = ont(rel.kind.property());
        g.add(s.clone(), prop.clone(), o.clone());
        let st = NamedNode::new_unchecked(format!("{}/relation/{}", r.as_str(), n + 1));
        g.add(st.clone(), rdf_type.clone(), term(RDF, "Statement"));
        g.add(st.clone(), term(RDF, "subject"), s);
        g.add(st.clone(), term(RDF, "predicate"), prop);
        g.add(st.clone(), term(RDF, "object"), o);
        g.add(
            st.clone(),
            ont("via"),
            Literal::new_simple_literal(&rel.via),
        );
        if let Some(k) = rel.sentence {
            g.add(st.clone(), ont("evidence"), sentence_iri(k));
        }
        g.add(st, part_of.clone(), r.clone());
    }
    for (n, st) in p.relations.statuses.iter().enumerate() {
        let node = NamedNode::new_unchecked(format!("{}/status/{}", r.as_str(), n + 1));
        g.add(node.clone(), rdf_type.clone(), ont("StatusStatement"));
        g.add(
            node.clone(),
            ont("project"),
            iri_of(EntityType::Project, &st.project),
        );
        g.add(node.clone(), ont("status"), ont(st.status.name()));
        g.add(node.clone(), ont("trigger"), zh(&st.trigger));
        if let Some(y) = &year {
            g.add(node.clone(), ont("year"), y.clone());
        }
        g.add(node.clone(), ont("evidence"), sentence_iri(st.sentence));
        g.add(node, part_of.clone(), r.clone());
    }
    for (n, q) in p.relations.quantities.iter().enumerate() {
        let node = NamedNode::new_unchecked(format!("{}/quantity/{}", r.as_str(), n + 1));
        let subject = iri_of(q.subject.etype, &q.subject.label);
        g.add(subject.clone(), ont("hasQuantity"), node.clone());
        g.add(node.clone(), rdf_type.clone(), ont("Quantity"));
        g.add(node.clone(), ont("quantityOf"), subject);
        g.add(node.clone(), ont("value"), decimal(q.value));
        g.add(node.clone(), ont("unit"), zh(&q.unit));
        g.add(
            node.clone(),
            ont("approximate"),
            Literal::from(q.approximate),
        );
        g.add(node.clone(), ont("text"), zh(&q.text));
        g.add(node.clone(), ont("evidence"), sentence_iri(q.sentence));
        g.add(node, part_of.clone(), r.clone());
    }
    g.quads
}

fn decimal(v: f64) -> Literal {
    let mut s = format!("{v:.4}");
    while s.ends_with('0') {
        s.pop();
    }
    if s.ends_with('.') {
        s.push('0');
    }
    Literal::new_typed_literal(s, term(XSD, "decimal"))
}

/// Facts about resolved entities as a whole, in the derived graph: all their names, how they
/// were merged, and the gazetteer places that places are linked to.
pub fn derived_quads(res: &Resolution, gaz: &Gazetteer) -> Vec<Quad> {
    let mut g = Sink {
        graph: GraphName::NamedNode(NamedNode::new_unchecked(vocab::DERIVED_GRAPH)),
        quads: Vec::new(),
    };
    for ((etype, canonical), names) in &res.names {
        let ei = entity_iri(*etype, canonical);
        g.add(ei.clone(), term(RDFS, "label"), zh(canonical));
        for n in names.iter().filter(|n| *n != canonical) {
            g.add(ei.clone(), term(SKOS, "altLabel"), zh(n));
        }
        if *etype == EntityType::Place {
            let mut linked = BTreeSet::new();
            for n in names {
                linked.extend(gaz.link(n).into_iter().map(|p| p.iri.clone()));
            }
            for iri in linked {
                g.add(
                    ei.clone(),
                    ont("gazetteerPlace"),
                    NamedNode::new_unchecked(iri),
                );
            }
        }
    }
    for m in &res.merges {
        let ei = entity_iri(m.etype, &m.canonical);
        g.add(
            ei,
            ont("resolutionNote"),
            zh(&format!("{} → {}: {}", m.label, m.canonical, m.reason)),
        );
    }
    g.quads
}

/// The quads of a Turtle document, placed in `graph`.
pub fn turtle_quads(turtle: &str, graph: &str, origin: &str) -> crate::Result<Vec<Quad>> {
    let graph = GraphName::NamedNode(NamedNode::new_unchecked(graph));
    oxigraph::io::RdfParser::from_format(oxigraph::io::RdfFormat::Turtle)
        .for_slice(turtle.as_bytes())
        .map(|q| {
            q.map(|q| Quad::new(q.subject, q.predicate, q.object, graph.clone()))
                .map_err(|e| crate::Error::Serialize(format!("{origin}: {e}")))
        })
        .collect()
}
