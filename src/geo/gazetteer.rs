//! The gazetteer of real places (`ontology/gazetteer*.ttl`): names, kinds and WGS84
//! geometries.

use super::geometry;
use super::GeoError;
use crate::model::vocab::{DCTERMS, GEO, ONT, RDFS, SKOS};
use oxigraph::io::{RdfFormat, RdfParser};
use oxigraph::model::Term;
use std::collections::BTreeMap;

/// The gazetteer files compiled into the binary, by their path in the repository.
pub const BUNDLED: &[(&str, &str)] = &[(
    "ontology/gazetteer.ttl",
    include_str!("../../ontology/gazetteer.ttl"),
)];

/// Label of the Central Axis (中轴线), the line that `near-central-axis` measures from.
pub const CENTRAL_AXIS: &str = "中轴线";

/// Kinds of place whose point stands for a whole administrative area: they name where a
/// work is only loosely, so they never locate one.
pub const AREA_KINDS: &[&str] = &[
    "Municipality",
    "Province",
    "Prefecture",
    "County",
    "District",
];

/// One gazetteer place.
#[derive(Debug, Clone, PartialEq)]
pub struct GazPlace {
    pub iri: String,
    /// Chinese labels: the main one first, then aliases.
    pub names: Vec<String>,
    /// Kind local name (Subdistrict, Street, Landmark …).
    pub kind: Option<String>,
    /// CRS84 WKT of its geometry.
    pub wkt: Option<String>,
    /// Where the geometry's coordinates come from (its `dcterms:source`).
    pub source: Option<String>,
    /// The geometry, parsed from `wkt`.
    pub geometry: Option<geo::Geometry<f64>>,
}

impl GazPlace {
    /// The main Chinese label.
    pub fn label(&self) -> &str {
        self.names.first().map(String::as_str).unwrap_or_default()
    }

    /// Whether this place locates works: it has a geometry and is not a whole
    /// administrative area (see [`AREA_KINDS`]).
    pub fn locates_works(&self) -> bool {
        self.geometry.is_some()
            && !self
                .kind
                .as_deref()
                .is_some_and(|k| AREA_KINDS.contains(&k))
    }
}

/// All gazetteer places, sorted by IRI, with a name index.
#[derive(Debug, Default)]
pub struct Gazetteer {
    pub places: Vec<GazPlace>,
    by_name: BTreeMap<String, Vec<usize>>,
    /// Leftmost-longest matcher over all names (two characters or more).
    matcher: Option<(aho_corasick::AhoCorasick, Vec<String>)>,
}

impl Gazetteer {
    /// The gazetteer compiled into the binary (every file of [`BUNDLED`]).
    pub fn bundled() -> Result<Self, GeoError> {
        Self::from_files(BUNDLED.iter().copied())
    }

    /// Parses gazetteer Turtle documents given as (origin, text); an error names the origin.
    pub fn from_files<'a>(
        files: impl IntoIterator<Item = (&'a str, &'a str)>,
    ) -> Result<Self, GeoError> {
        let mut triples = Triples::default();
        for (origin, text) in files {
            for quad in RdfParser::from_format(RdfFormat::Turtle).for_slice(text.as_bytes()) {
                let quad = quad.map_err(|e| GeoError::Gazetteer {
                    origin: origin.to_owned(),
                    message: e.to_string(),
                })?;
                triples.add(quad);
            }
        }
        Ok(triples.into_gazetteer())
    }

    /// Parses gazetteer Turtle; malformed triples are skipped (the file is checked by tests).
    pub fn parse(ttl: &str) -> Self {
        let mut triples = Triples::default();
        for quad in RdfParser::from_format(RdfFormat::Turtle)
            .for_slice(ttl.as_bytes())
            .flatten()
        {
            triples.add(quad);
        }
        triples.into_gazetteer()
    }

    /// Gazetteer names occurring in `text`, leftmost-longest, as (byte start, byte end, name).
    pub fn find_in<'a>(&'a self, text: &str) -> Vec<(usize, usize, &'a str)> {
        let Some((matcher, names)) = &self.matcher else {
            return Vec::new();
        };
        matcher
            .find_iter(text)
            .map(|m| (m.start(), m.end(), names[m.pattern().as_usize()].as_str()))
            .collect()
    }

    /// Places with exactly this name (label or alias).
    pub fn lookup(&self, name: &str) -> Vec<&GazPlace> {
        self.by_name
            .get(name)
            .map(|v| v.iter().map(|&i| &self.places[i]).collect())
            .unwrap_or_default()
    }

    /// The gazetteer places an extracted place name refers to: an exact name, else the name
    /// without a generic area word (前门东区 → 前门, 东直门地区 → 东直门, 永定门城楼 → 永定门).
    pub fn link(&self, name: &str) -> Vec<&GazPlace> {
        const AREA_WORDS: [&str; 14] = [
            "周边区域",
            "周边",
            "地区",
            "片区",
            "街区",
            "区域",
            "一带",
            "东西区",
            "东区",
            "西区",
            "南区",
            "北区",
            "商圈",
            "城楼",
        ];
        let mut n = name;
        loop {
            let found = self.lookup(n);
            if !found.is_empty() {
                return found;
            }
            match AREA_WORDS
                .iter()
                .find_map(|w| n.strip_suffix(w))
                .filter(|rest| rest.chars().count() >= 2)
            {
                Some(rest) => n = rest,
                None => return Vec::new(),
            }
        }
    }

    /// Every name in the gazetteer, for dictionary matching.
    pub fn names(&self) -> impl Iterator<Item = &str> {
        self.by_name.keys().map(String::as_str)
    }

    /// The Central Axis, if the gazetteer has it with a geometry.
    pub fn central_axis(&self) -> Option<&GazPlace> {
        self.lookup(CENTRAL_AXIS)
            .into_iter()
            .find(|p| p.kind.as_deref() == Some("Axis") && p.geometry.is_some())
    }
}

/// What gazetteer documents say, gathered triple by triple.
#[derive(Default)]
struct Triples {
    labels: BTreeMap<String, (Vec<String>, Vec<String>)>,
    kinds: BTreeMap<String, String>,
    geometry_of: BTreeMap<String, String>,
    wkt_of: BTreeMap<String, String>,
    source_of: BTreeMap<String, String>,
}

impl Triples {
    fn add(&mut self, quad: oxigraph::model::Quad) {
        let s = match &quad.subject {
            oxigraph::model::NamedOrBlankNode::NamedNode(n) => n.as_str().to_owned(),
            other => other.to_string(),
        };
        let p = quad.predicate.as_str();
        let local = p
            .strip_prefix(RDFS)
            .or_else(|| p.strip_prefix(SKOS))
            .or_else(|| p.strip_prefix(GEO))
            .or_else(|| p.strip_prefix(DCTERMS))
            .or_else(|| p.strip_prefix(ONT));
        match (&quad.object, local) {
            (Term::Literal(l), Some("label")) if l.language() == Some("zh") => self
                .labels
                .entry(s)
                .or_default()
                .0
                .push(l.value().to_owned()),
            (Term::Literal(l), Some("altLabel")) if l.language() == Some("zh") => self
                .labels
                .entry(s)
                .or_default()
                .1
                .push(l.value().to_owned()),
            (Term::Literal(l), Some("asWKT")) => {
                self.wkt_of.insert(s, l.value().to_owned());
            }
            (Term::Literal(l), Some("source")) => {
                self.source_of.insert(s, l.value().to_owned());
            }
            (Term::NamedNode(n), Some("hasGeometry")) => {
                self.geometry_of.insert(s, n.as_str().to_owned());
            }
            (Term::NamedNode(n), Some("placeKind")) => {
                let kind = n.as_str().rsplit('#').next().unwrap_or_default().to_owned();
                self.kinds.insert(s, kind);
            }
            _ => {}
        }
    }

    fn into_gazetteer(mut self) -> Gazetteer {
        let mut g = Gazetteer::default();
        for (iri, (mut main, mut aliases)) in std::mem::take(&mut self.labels) {
            let Some(kind) = self.kinds.get(&iri).cloned() else {
                continue;
            };
            main.sort();
            aliases.sort();
            let mut names = main;
            for a in aliases {
                if !names.contains(&a) {
                    names.push(a);
                }
            }
            let geometry_iri = self.geometry_of.get(&iri);
            let wkt = geometry_iri.and_then(|gi| self.wkt_of.get(gi)).cloned();
            let source = geometry_iri.and_then(|gi| self.source_of.get(gi)).cloned();
            let idx = g.places.len();
            for n in &names {
                g.by_name.entry(n.clone()).or_default().push(idx);
            }
            g.places.push(GazPlace {
                geometry: wkt.as_deref().and_then(geometry::parse_wkt),
                kind: Some(kind),
                iri,
                names,
                wkt,
                source,
            });
        }
        let names: Vec<String> = g
            .by_name
            .keys()
            .filter(|n| n.chars().count() >= 2)
            .cloned()
            .collect();
        g.matcher = aho_corasick::AhoCorasick::builder()
            .match_kind(aho_corasick::MatchKind::LeftmostLongest)
            .build(&names)
            .ok()
            .map(|m| (m, names));
        g
    }
}
