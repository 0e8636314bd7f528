//! Checks the gazetteer's coordinates against independently sourced WGS84 points.
//!
//! A check file is tab-separated: `label`, `lon`, `lat`, `source` and optionally `object`, one
//! place per line; `object` says what the point marks and may start with a class in brackets
//! (`[building]`, `[site]`, `[area]` …), which the report summarises separately. Lines starting with `#` are comments, and a header line
//! starting with `label` may come before the points. The label is a gazetteer name or alias.
//! Each point must come from a source other than the one the gazetteer entry was read from,
//! or the check measures nothing: a point whose source is the entry's source note, or names an
//! OpenStreetMap element the note names, is set aside as dependent. The error of an entry is the distance from its geometry to
//! the check point (0 for a point on its line or inside its polygon), computed as
//! [`geometry::distance_m`] does.

use super::gazetteer::Gazetteer;
use super::geometry;
use super::GeoError;
use serde::Serialize;
use std::collections::BTreeMap;
use std::path::Path;

/// One independently sourced point of a check file.
#[derive(Debug, Clone, PartialEq)]
pub struct CheckPoint {
    pub label: String,
    pub lon: f64,
    pub lat: f64,
    pub source: String,
    /// What the point marks (the optional fifth column).
    pub object: Option<String>,
}

/// How far one gazetteer entry lies from its check point.
#[derive(Debug, Clone, Serialize)]
pub struct CheckRow {
    pub label: String,
    /// The gazetteer entry the label names.
    pub place: String,
    pub kind: Option<String>,
    pub distance_m: f64,
    pub source: String,
    /// The bracketed class the point's object starts with, if any.
    pub class: Option<String>,
}

/// Summary figures of the rows of one class.
#[derive(Debug, Clone, Serialize)]
pub struct ClassSummary {
    pub class: String,
    pub points: usize,
    pub median_m: Option<f64>,
    pub max_m: Option<f64>,
}

/// The result of a check: one row per matched point, worst first, and summary figures.
#[derive(Debug, Clone, Serialize)]
pub struct CheckReport {
    pub rows: Vec<CheckRow>,
    /// Labels that name no single gazetteer entry with a geometry.
    pub unmatched: Vec<String>,
    /// Labels whose check point repeats the entry's own source; not measured.
    pub dependent: Vec<String>,
    pub median_m: Option<f64>,
    pub p90_m: Option<f64>,
    pub max_m: Option<f64>,
    /// The same figures per class (`unmarked` for points without one), by class name.
    pub classes: Vec<ClassSummary>,
}

/// Reads a check file; a malformed line, or a file without points, is an error naming the file.
pub fn read_check_points(path: &Path) -> Result<Vec<CheckPoint>, GeoError> {
    let text = std::fs::read_to_string(path).map_err(|e| GeoError::CheckFile {
        path: path.to_owned(),
        message: e.to_string(),
    })?;
    let points = parse_check_points(&text).map_err(|(line, message)| GeoError::CheckFile {
        path: path.to_owned(),
        message: format!("line {line}: {message}"),
    })?;
    if points.is_empty() {
        return Err(GeoError::CheckFile {
            path: path.to_owned(),
            message: "no check points".into(),
        });
    }
    Ok(points)
}

/// Parses check-file text; on error, gives the 1-based line number and what is wrong.
pub fn parse_check_points(text: &str) -> std::result::Result<Vec<CheckPoint>, (usize, String)> {
    let mut points = Vec::new();
    for (i, line) in text.lines().enumerate() {
        let n = i + 1;
        let line = line.trim_end_matches('\r');
        let header = points.is_empty() && line.starts_with("label\t");
        if line.trim().is_empty() || line.starts_with('#') || header {
            continue;
        }
        let fields: Vec<&str> = line.split('\t').collect();
        let [label, lon, lat, source, ref rest @ ..] = fields[..] else {
            return Err((
                n,
                "expected label, lon, lat and source, separated by tabs".into(),
            ));
        };
        let coordinate = |name: &str, value: &str, range: std::ops::RangeInclusive<f64>| {
            value
                .trim()
                .parse::<f64>()
                .ok()
                .filter(|v| range.contains(v))
                .ok_or_else(|| (n, format!("{name} `{value}` is not a number in {range:?}")))
        };
        let (lon, lat) = (
            coordinate("lon", lon, -180.0..=180.0)?,
            coordinate("lat", lat, -90.0..=90.0)?,
        );
        if label.trim().is_empty() || source.trim().is_empty() {
            return Err((n, "label and source must not be empty".into()));
        }
        points.push(CheckPoint {
            label: label.trim().to_owned(),
            lon,
            lat,
            source: source.trim().to_owned(),
            object: rest
                .first()
                .map(|o| o.trim().to_owned())
                .filter(|o| !o.is_empty()),
        });
    }
    Ok(points)
}

/// Measures each check point against the gazetteer entry its label names.
pub fn check(gazetteer: &Gazetteer, points: &[CheckPoint]) -> CheckReport {
    let mut rows = Vec::new();
    let mut unmatched = Vec::new();
    let mut dependent = Vec::new();
    for p in points {
        let found = gazetteer.lookup(&p.label);
        let measured = found.first().and_then(|place| {
            let geom = geometry::parse_wkt(place.wkt.as_deref()?)?;
            let point = geo::Geometry::Point(geo::Point::new(p.lon, p.lat));
            Some((place, geometry::distance_m(&geom, &point)?))
        });
        // An ambiguous label would make the figure depend on which entry is meant.
        match measured {
            Some((place, _)) if found.len() == 1 && repeats_source(place, &p.source) => {
                dependent.push(p.label.clone())
            }
            Some((place, d)) if found.len() == 1 => rows.push(CheckRow {
                label: p.label.clone(),
                place: place.label().to_owned(),
                kind: place.kind.clone(),
                distance_m: d,
                source: p.source.clone(),
                class: p.object.as_deref().and_then(class_of),
            }),
            _ => unmatched.push(p.label.clone()),
        }
    }
    rows.sort_by(|a, b| {
        b.distance_m
            .total_cmp(&a.distance_m)
            .then_with(|| a.label.cmp(&b.label))
    });
    let mut by_class: BTreeMap<&str, Vec<&CheckRow>> = BTreeMap::new();
    for r in &rows {
        by_class
            .entry(r.class.as_deref().unwrap_or("unmarked"))
            .or_default()
            .push(r);
    }
    let classes = by_class
        .into_iter()
        .map(|(class, members)| {
            let d = sorted_distances(members);
            ClassSummary {
                class: class.to_owned(),
                points: d.len(),
                median_m: quantile(&d, 0.5),
                max_m: d.last().copied(),
            }
        })
        .collect();
    let d = sorted_distances(&rows);
    CheckReport {
        median_m: quantile(&d, 0.5),
        p90_m: quantile(&d, 0.9),
        max_m: d.last().copied(),
        classes,
        rows,
        unmatched,
        dependent,
    }
}

/// The rows' distances, smallest first.
fn sorted_distances<'a>(rows: impl IntoIterator<Item = &'a CheckRow>) -> Vec<f64> {
    let mut d: Vec<f64> = rows.into_iter().map(|r| r.distance_m).collect();
    d.sort_by(f64::total_cmp);
    d
}

/// The bracketed class an object description starts with (`[area] a park` → `[area]`).
fn class_of(object: &str) -> Option<String> {
    let rest = object.strip_prefix('[')?;
    let (class, _) = rest.split_once(']')?;
    Some(format!("[{class}]"))
}

/// Whether a check point's source is the entry's own: the same note, or the same OpenStreetMap
/// element.
fn repeats_source(place: &super::GazPlace, source: &str) -> bool {
    let Some(note) = place.source.as_deref() else {
        return false;
    };
    let own = osm_elements(note);
    note == source || osm_elements(source).iter().any(|e| own.contains(e))
}

/// OpenStreetMap elements (`way 123`, `node 456`, `relation 789`) named in a source text.
fn osm_elements(text: &str) -> Vec<String> {
    let words: Vec<&str> = text
        .split(|c: char| c.is_whitespace() || c == ',' || c == '(' || c == ')')
        .collect();
    words
        .windows(2)
        .filter(|w| matches!(w[0], "way" | "node" | "relation") && w[1].parse::<u64>().is_ok())
        .map(|w| format!("{} {}", w[0], w[1]))
        .collect()
}

/// Quantile of sorted values, interpolating between neighbours (the median of an even count
/// is the mean of the middle two).
fn quantile(sorted: &[f64], q: f64) -> Option<f64> {
    let last = sorted.len().checked_sub(1)?;
    let pos = q * last as f64;
    let (lo, hi) = (pos.floor() as usize, pos.ceil() as usize);
    Some(sorted[lo] + (sorted[hi] - sorted[lo]) * (pos - lo as f64))
}

#[cfg(test)]
mod tests {
    use super::*;

    const GAZ: &str = r#"
@prefix gaz: <https://w3id.org/govkg/gaz/> .
@prefix govkg: <https://w3id.org/govkg/ont#> .
@prefix geo: <http://www.opengis.net/ont/geosparql#> .
@prefix rdfs: <http://www.w3.org/2000/01/rdf-schema#> .
gaz:a a govkg:GazetteerPlace ; rdfs:label "甲塔"@zh ; govkg:placeKind govkg:Landmark ;
  geo:hasGeometry gaz:a_geom .
gaz:a_geom geo:asWKT "POINT(116.40 39.90)"^^geo:wktLiteral .
gaz:b a govkg:GazetteerPlace ; rdfs:label "乙街"@zh ; govkg:placeKind govkg:Street ;
  geo:hasGeometry gaz:b_geom .
gaz:b_geom geo:asWKT "LINESTRING(116.41 39.90, 116.41 39.95)"^^geo:wktLiteral .
"#;

    #[test]
    fn distances_to_points_and_lines_with_summary() {
        let gaz = Gazetteer::parse(GAZ);
        let points = parse_check_points(
            "# comment\nlabel\tlon\tlat\tsource\n甲塔\t116.40\t39.901\tmade up\n\
             乙街\t116.41\t39.92\tmade up\t[area] on the street\n\
             乙街\t116.42\t39.92\tmade up\t[area] east of it\n丙门\t116.4\t39.9\tmade up\n",
        )
        .unwrap();
        let report = check(&gaz, &points);
        assert_eq!(report.unmatched, vec!["丙门"]);
        let d: Vec<f64> = report.rows.iter().map(|r| r.distance_m.round()).collect();
        // 0.001° of latitude is 111 m; 0.01° of longitude at 39.92° N is 853 m; on the line, 0.
        assert_eq!(d, vec![853.0, 111.0, 0.0]);
        assert_eq!(report.median_m.map(f64::round), Some(111.0));
        assert_eq!(report.max_m.map(f64::round), Some(853.0));
        assert_eq!(report.rows[0].kind.as_deref(), Some("Street"));
        let classes: Vec<(&str, usize)> = report
            .classes
            .iter()
            .map(|c| (c.class.as_str(), c.points))
            .collect();
        assert_eq!(classes, [("[area]", 2), ("unmarked", 1)]);
        assert_eq!(report.classes[0].max_m.map(f64::round), Some(853.0));
    }

    #[test]
    fn points_from_the_entry_own_source_are_set_aside() {
        let gaz = Gazetteer::parse(&GAZ.replace(
            "gaz:a_geom geo:asWKT \"POINT(116.40 39.90)\"^^geo:wktLiteral .",
            "gaz:a_geom geo:asWKT \"POINT(116.40 39.90)\"^^geo:wktLiteral ;\n  \
             <http://purl.org/dc/terms/source> \"OpenStreetMap way 42 (tower), centroid\" .",
        ));
        assert_eq!(
            gaz.lookup("甲塔")[0].source.as_deref().map(|s| &s[..17]),
            Some("OpenStreetMap way")
        );
        let points = parse_check_points(
            "甲塔\t116.40\t39.90\tOSM way 42, its first node\n\
             甲塔\t116.40\t39.90\tOpenStreetMap way 421 (another tower)\n",
        )
        .unwrap();
        let report = check(&gaz, &points);
        assert_eq!(report.dependent, vec!["甲塔"]);
        assert_eq!(report.rows.len(), 1);
        assert_eq!(
            osm_elements("node 5430434767, way 9 (x)"),
            ["node 5430434767", "way 9"]
        );
    }

    #[test]
    fn malformed_lines_are_named() {
        assert_eq!(
            parse_check_points("甲塔\t116.4\t39.9\tok\n甲塔\t116.4\n")
                .unwrap_err()
                .0,
            2
        );
        let err = parse_check_points("甲塔\t200\t39.9\tx\n").unwrap_err();
        assert!(err.1.contains("lon `200`"), "{}", err.1);
        assert!(parse_check_points("甲塔\t116.4\tN39.9\tx\n").is_err());
        assert!(parse_check_points("甲塔\t116.4\t39.9\t \n").is_err());
    }

    #[test]
    fn quantiles_interpolate() {
        assert_eq!(quantile(&[], 0.5), None);
        assert_eq!(quantile(&[1.0, 3.0], 0.5), Some(2.0));
        assert_eq!(quantile(&[1.0, 2.0, 10.0], 0.5), Some(2.0));
        assert_eq!(quantile(&[0.0, 10.0], 0.9), Some(9.0));
    }
}
