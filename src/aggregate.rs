//! Facts across reports, gathered once names are resolved: for each entity its names,
//! merge notes, gazetteer links, location and counts; the relations between entities and
//! the co-mentions, each once. These become the entities graph.

use crate::geo::geometry::{self, footprint, Footprint};
use crate::geo::{GazPlace, Gazetteer};
use crate::model::{EntityType, RelationKind, ReportRecord};
use crate::resolve::Resolution;
use geo::Geometry;
use std::collections::{BTreeMap, BTreeSet};
use wkt::ToWkt;

/// An entity: its type and canonical label.
pub type Key = (EntityType, String);

/// Where an entity is: its geometry and what was computed from it at build time.
#[derive(Debug, Clone, PartialEq)]
pub struct Location {
    /// WKT (without CRS) of the entity's geometry: its place's, or the union of its places'.
    pub wkt: String,
    /// Footprint for box prefilters; `None` for whole administrative areas, whose point
    /// stands for an area and is not a position to measure from.
    pub footprint: Option<Footprint>,
    /// Grid cells of the geometry (see [`geometry::cells`]), when it has a footprint.
    pub cells: Vec<i64>,
    /// Metres to the Central Axis, when the gazetteer has the axis.
    pub axis_m: Option<f64>,
    /// The place (canonical label) through which a project is nearest the axis.
    pub axis_place: Option<String>,
}

/// Everything known of one resolved entity.
#[derive(Debug, Clone, Default)]
pub struct EntityFacts {
    /// Every name it goes by, the label first.
    pub names: Vec<String>,
    /// Why other names were merged into it.
    pub notes: Vec<String>,
    /// IRIs of the gazetteer places it is linked to.
    pub gazetteer: Vec<String>,
    pub location: Option<Location>,
    /// Reports that mention it (by name, as creator or in a relation).
    pub reports: usize,
    /// Its mentions over all reports.
    pub mentions: usize,
    /// Its place among the entities of its type, most widely reported first (then most
    /// mentioned, then by label), from 1: lists read a page of them by index.
    pub rank: usize,
}

/// The entity-level facts of a whole build.
#[derive(Debug, Default)]
pub struct Facts {
    pub entities: BTreeMap<Key, EntityFacts>,
    /// Relations between entities, each once.
    pub relations: BTreeSet<(Key, RelationKind, Key)>,
    /// Entities named in one sentence, each pair once (the smaller key first):
    /// `govkg:mentionedWith` is symmetric.
    pub comentions: BTreeSet<(Key, Key)>,
}

/// Places closer than this to each other may be one place under one name; farther apart,
/// a name that the gazetteer gives to both is ambiguous and locates nothing.
const SAME_PLACE_M: f64 = 2000.0;

impl Facts {
    /// Gathers the facts of `records` under the resolution `res`.
    pub fn gather(records: &[ReportRecord], res: &Resolution, gaz: &Gazetteer) -> Self {
        let mut facts = Facts {
            entities: names_and_links(res, gaz),
            ..Default::default()
        };
        for record in records {
            facts.add_report(record, res);
        }
        facts.locate(gaz);
        facts.rank();
        facts
    }

    /// Ranks the entities of each type: most reports, then most mentions, then label.
    fn rank(&mut self) {
        let mut order: Vec<(&Key, &EntityFacts)> = self.entities.iter().collect();
        order.sort_by(|(ka, a), (kb, b)| {
            (
                ka.0,
                std::cmp::Reverse(a.reports),
                std::cmp::Reverse(a.mentions),
                &ka.1,
            )
                .cmp(&(
                    kb.0,
                    std::cmp::Reverse(b.reports),
                    std::cmp::Reverse(b.mentions),
                    &kb.1,
                ))
        });
        let ranks: Vec<(Key, usize)> = order
            .iter()
            .scan((None, 0), |(etype, n), (key, _)| {
                if *etype != Some(key.0) {
                    *etype = Some(key.0);
                    *n = 0;
                }
                *n += 1;
                Some(((*key).clone(), *n))
            })
            .collect();
        for (key, rank) in ranks {
            if let Some(f) = self.entities.get_mut(&key) {
                f.rank = rank;
            }
        }
    }

    /// Counts, relations and co-mentions of one report.
    fn add_report(&mut self, record: &ReportRecord, res: &Resolution) {
        let key = |etype: EntityType, name: &str| (etype, res.canonical(etype, name).to_owned());
        let mut mentioned: BTreeSet<Key> = BTreeSet::new();
        let mut by_sentence: BTreeMap<usize, BTreeSet<Key>> = BTreeMap::new();
        for m in &record.mentions {
            let k = key(m.etype, &m.label);
            if let Some(f) = self.entities.get_mut(&k) {
                f.mentions += 1;
            }
            by_sentence.entry(m.sentence).or_default().insert(k.clone());
            mentioned.insert(k);
        }
        if let Some(c) = &record.creator {
            mentioned.insert(key(EntityType::Organisation, c));
        }
        for r in &record.relations.relations {
            let (s, o) = (
                key(r.subject.etype, &r.subject.label),
                key(r.object.etype, &r.object.label),
            );
            if s != o {
                self.relations.insert((s.clone(), r.kind, o.clone()));
            }
            mentioned.extend([s, o]);
        }
        for k in mentioned {
            if let Some(f) = self.entities.get_mut(&k) {
                f.reports += 1;
            }
        }
        for set in by_sentence.values() {
            for (i, a) in set.iter().enumerate() {
                for b in set.iter().skip(i + 1) {
                    self.comentions.insert((a.clone(), b.clone()));
                }
            }
        }
    }

    /// Locations: places from their gazetteer links, projects from the places they are
    /// located at.
    fn locate(&mut self, gaz: &Gazetteer) {
        let axis = gaz.central_axis().and_then(|a| a.geometry.as_ref());
        let by_iri: BTreeMap<&str, &GazPlace> =
            gaz.places.iter().map(|p| (p.iri.as_str(), p)).collect();
        for ((etype, _), f) in self.entities.iter_mut() {
            if *etype != EntityType::Place {
                continue;
            }
            let places: Vec<&GazPlace> = f
                .gazetteer
                .iter()
                .filter_map(|iri| by_iri.get(iri.as_str()).copied())
                .filter(|p| p.geometry.is_some())
                .collect();
            f.location = place_location(&places, axis);
        }
        let mut project_places: BTreeMap<&Key, Vec<&Key>> = BTreeMap::new();
        for (s, kind, o) in &self.relations {
            if *kind == RelationKind::LocatedAt && s.0 == EntityType::Project {
                project_places.entry(s).or_default().push(o);
            }
        }
        let mut located = Vec::new();
        for (project, places) in project_places {
            let parts: Vec<(&str, &Location)> = places
                .iter()
                .filter_map(|p| {
                    let loc = self.entities.get(*p)?.location.as_ref()?;
                    loc.footprint.is_some().then_some((p.1.as_str(), loc))
                })
                .collect();
            if let Some(loc) = union_location(&parts) {
                located.push((project.clone(), loc));
            }
        }
        for (project, loc) in located {
            if let Some(f) = self.entities.get_mut(&project) {
                f.location = Some(loc);
            }
        }
    }
}

/// Each resolved entity with its names, merge notes and (for places) gazetteer links.
fn names_and_links(res: &Resolution, gaz: &Gazetteer) -> BTreeMap<Key, EntityFacts> {
    let mut notes: BTreeMap<Key, Vec<String>> = BTreeMap::new();
    for m in &res.merges {
        notes
            .entry((m.etype, m.canonical.clone()))
            .or_default()
            .push(format!("{} → {}: {}", m.label, m.canonical, m.reason));
    }
    res.names
        .iter()
        .map(|((etype, label), names)| {
            let mut all = vec![label.clone()];
            all.extend(names.iter().filter(|n| *n != label).cloned());
            let gazetteer = if *etype == EntityType::Place {
                let linked: BTreeSet<String> = names
                    .iter()
                    .flat_map(|n| gaz.link(n))
                    .map(|p| p.iri.clone())
                    .collect();
                linked.into_iter().collect()
            } else {
                Vec::new()
            };
            let key = (*etype, label.clone());
            let facts = EntityFacts {
                names: all,
                notes: notes.remove(&key).unwrap_or_default(),
                gazetteer,
                ..Default::default()
            };
            (key, facts)
        })
        .collect()
}

/// The location of a place linked to `places`: their geometry, when they are one place
/// (a single entry, or entries close together).
fn place_location(places: &[&GazPlace], axis: Option<&Geometry<f64>>) -> Option<Location> {
    let geometries: Vec<&Geometry<f64>> =
        places.iter().filter_map(|p| p.geometry.as_ref()).collect();
    let first = *geometries.first()?;
    let together = geometries
        .iter()
        .all(|g| geometry::distance_m(first, g).is_some_and(|d| d <= SAME_PLACE_M));
    if !together {
        return None;
    }
    let geometry = union(geometries.iter().map(|g| (*g).clone()).collect());
    let works = places.iter().all(|p| p.locates_works());
    Some(Location {
        wkt: geometry.wkt_string(),
        footprint: works.then(|| footprint(&geometry)).flatten(),
        cells: if works {
            geometry::cells(&geometry)
        } else {
            Vec::new()
        },
        axis_m: works
            .then(|| geometry::distance_m(&geometry, axis?))
            .flatten(),
        axis_place: None,
    })
}

/// A project's location from the places (label, location) it is located at: the union of
/// their geometries, nearest the axis through the nearest place.
fn union_location(parts: &[(&str, &Location)]) -> Option<Location> {
    let geometries: Vec<Geometry<f64>> = parts
        .iter()
        .filter_map(|(_, l)| geometry::parse_wkt(&l.wkt))
        .collect();
    if geometries.is_empty() {
        return None;
    }
    let geometry = union(geometries);
    let nearest = parts
        .iter()
        .filter_map(|(label, l)| Some((l.axis_m?, *label)))
        .min_by(|a, b| a.0.total_cmp(&b.0).then(a.1.cmp(b.1)));
    Some(Location {
        wkt: geometry.wkt_string(),
        footprint: footprint(&geometry),
        cells: geometry::cells(&geometry),
        axis_m: nearest.map(|(d, _)| d),
        axis_place: nearest.map(|(_, l)| l.to_owned()),
    })
}

/// One geometry, or a collection of several.
fn union(mut geometries: Vec<Geometry<f64>>) -> Geometry<f64> {
    if geometries.len() == 1 {
        geometries.remove(0)
    } else {
        Geometry::GeometryCollection(geo::GeometryCollection(geometries))
    }
}
