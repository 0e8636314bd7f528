//! The gazetteer of real places (`ontology/gazetteer.ttl`): names, kinds and WGS84 geometries.

use crate::vocab::{DCTERMS, GEO, RDFS, SKOS};
use oxigraph::io::{RdfFormat, RdfParser};
use oxigraph::model::Term;
use std::collections::BTreeMap;
use std::sync::LazyLock;

/// The gazetteer compiled into the binary.
pub const GAZETTEER_TTL: &str = include_str!("../ontology/gazetteer.ttl");

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
}

impl GazPlace {
    /// The main Chinese label.
    pub fn label(&self) -> &str {
        self.names.first().map(String::as_str).unwrap_or_default()
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

static GAZETTEER: LazyLock<Gazetteer> = LazyLock::new(|| Gazetteer::parse(GAZETTEER_TTL));

/// The bundled gazetteer, parsed once.
pub fn gazetteer() -> &'static Gazetteer {
    &GAZETTEER
}

impl Gazetteer {
    /// Parses gazetteer Turtle; malformed triples are skipped (the file is checked by tests).
    pub fn parse(ttl: &str) -> Self {
        let mut labels: BTreeMap<String, (Vec<String>, Vec<String>)> = BTreeMap::new();
        let mut kinds = BTreeMap::new();
        let mut geometry_of = BTreeMap::new();
        let mut wkt_of = BTreeMap::new();
        let mut source_of = BTreeMap::new();
        let (label, alt) = (format!("{RDFS}label"), format!("{SKOS}altLabel"));
        let has_geometry = format!("{GEO}hasGeometry");
        let as_wkt = format!("{GEO}asWKT");
        let source = format!("{DCTERMS}source");
        let place_kind = format!("{}placeKind", crate::vocab::ONT);
        for quad in RdfParser::from_format(RdfFormat::Turtle)
            .for_slice(ttl.as_bytes())
            .flatten()
        {
            let s = quad.subject.to_string();
            let s = s.trim_start_matches('<').trim_end_matches('>').to_owned();
            let p = quad.predicate.as_str();
            match (&quad.object, p) {
                (Term::Literal(l), _) if p == label && l.language() == Some("zh") => {
                    labels.entry(s).or_default().0.push(l.value().to_owned())
                }
                (Term::Literal(l), _) if p == alt && l.language() == Some("zh") => {
                    labels.entry(s).or_default().1.push(l.value().to_owned())
                }
                (Term::Literal(l), _) if p == as_wkt => {
                    wkt_of.insert(s, l.value().to_owned());
                }
                (Term::Literal(l), _) if p == source => {
                    source_of.insert(s, l.value().to_owned());
                }
                (Term::NamedNode(n), _) if p == has_geometry => {
                    geometry_of.insert(s, n.as_str().to_owned());
                }
                (Term::NamedNode(n), _) if p == place_kind => {
                    let local = n.as_str().rsplit('#').next().unwrap_or_default().to_owned();
                    kinds.insert(s, local);
                }
                _ => {}
            }
        }
        let mut g = Gazetteer::default();
        for (iri, (mut main, mut aliases)) in labels {
            if !kinds.contains_key(&iri) {
                continue;
            }
            main.sort();
            aliases.sort();
            let mut names = main;
            for a in aliases {
                if !names.contains(&a) {
                    names.push(a);
                }
            }
            let geometry = geometry_of.get(&iri);
            let wkt = geometry.and_then(|gi| wkt_of.get(gi)).cloned();
            let source = geometry.and_then(|gi| source_of.get(gi)).cloned();
            let idx = g.places.len();
            for n in &names {
                g.by_name.entry(n.clone()).or_default().push(idx);
            }
            g.places.push(GazPlace {
                kind: kinds.get(&iri).cloned(),
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
}
