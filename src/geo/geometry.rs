//! Distances in metres between WGS84 geometries, and govkg's SPARQL extension functions.
//!
//! spargeo's `geof:distance` handles point to point only. govkg adds, in its own namespace
//! `https://w3id.org/govkg/fn#`:
//!
//! - `gfn:distance(?a, ?b)`: metres between any two CRS84 `geo:wktLiteral` geometries
//!   (points, lines, polygons and their multi- forms), as `xsd:double`.
//!
//! Method: both geometries are projected to a local equirectangular plane centred on the
//! mean latitude of their bounding boxes (x = R·Δλ·cos φ₀, y = R·Δφ, R = 6 371 008.8 m, the
//! IUGG mean radius), then the planar distance is taken. Within a city (< 50 km) the scale
//! error of this projection is below 0.1 %, i.e. under 1 m per kilometre, which is well below
//! the accuracy of the gazetteer's coordinates.

use crate::model::vocab::FN;
use geo::{BoundingRect, Distance, Euclidean, Geometry, MapCoords};
use oxigraph::model::{Literal, NamedNode, Term};
use wkt::TryFromWkt;
/// GeoSPARQL WKT literal datatype.
pub const WKT_LITERAL: &str = "http://www.opengis.net/ont/geosparql#wktLiteral";
/// The CRS that WKT literals may name (longitude first).
pub const CRS84: &str = "http://www.opengis.net/def/crs/OGC/1.3/CRS84";

const EARTH_RADIUS_M: f64 = 6_371_008.8;

/// Parses a WKT literal value, with or without the CRS84 IRI in front; other CRSs are refused.
pub fn parse_wkt(value: &str) -> Option<Geometry<f64>> {
    let mut v = value.trim();
    if let Some(rest) = v.strip_prefix('<') {
        let (crs, rest) = rest.split_once('>')?;
        if crs != CRS84 {
            return None;
        }
        v = rest.trim_start();
    }
    Geometry::try_from_wkt_str(v).ok()
}

/// Distance in metres between two WGS84 (lon, lat) geometries; 0 when they touch or overlap.
pub fn distance_m(a: &Geometry<f64>, b: &Geometry<f64>) -> Option<f64> {
    let (ra, rb) = (a.bounding_rect()?, b.bounding_rect()?);
    let lat0 = (ra.center().y + rb.center().y) / 2.0;
    let lon0 = (ra.center().x + rb.center().x) / 2.0;
    let k = METRES_PER_DEGREE;
    let cos = lat0.to_radians().cos();
    let project = |g: &Geometry<f64>| {
        g.map_coords(|c| geo::coord! { x: (c.x - lon0) * k * cos, y: (c.y - lat0) * k })
    };
    Some(Euclidean.distance(&project(a), &project(b)))
}

/// Metres per degree of latitude (and of longitude at the equator) on the mean sphere.
pub const METRES_PER_DEGREE: f64 = EARTH_RADIUS_M * std::f64::consts::PI / 180.0;

/// Where a geometry lies, for box prefilters: a representative point, the radius of a disc
/// around it that holds the whole geometry, and the metres per degree of longitude there.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Footprint {
    pub lon: f64,
    pub lat: f64,
    pub radius_m: f64,
    pub lon_metres: f64,
}

/// The footprint of a WGS84 geometry: the centre of its bounding box and the distance from
/// there to its farthest vertex.
pub fn footprint(g: &Geometry<f64>) -> Option<Footprint> {
    use geo::CoordsIter;
    let centre = g.bounding_rect()?.center();
    let lon_metres = METRES_PER_DEGREE * centre.y.to_radians().cos();
    let radius_m = g
        .coords_iter()
        .map(|c| ((c.x - centre.x) * lon_metres).hypot((c.y - centre.y) * METRES_PER_DEGREE))
        .fold(0.0, f64::max);
    Some(Footprint {
        lon: centre.x,
        lat: centre.y,
        radius_m,
        lon_metres,
    })
}

/// Cells per degree of the spatial grid (0.01°: about 1.1 km north–south and 0.85 km
/// east–west in Beijing).
pub const CELLS_PER_DEGREE: f64 = 100.0;

/// The grid cell of a point as one integer, `(x + 18000) * 100000 + (y + 9000)` with
/// x = ⌊lon·100⌋ and y = ⌊lat·100⌋: the form a SPARQL query can compute from a latitude
/// and longitude (`places-near` does) and then look up by index.
pub fn cell(lon: f64, lat: f64) -> i64 {
    let x = (lon * CELLS_PER_DEGREE).floor() as i64 + 18_000;
    let y = (lat * CELLS_PER_DEGREE).floor() as i64 + 9_000;
    x * 100_000 + y
}

/// The grid cells that the bounding boxes of a geometry's parts touch: a feature is found
/// from any cell one of its points lies in. Parts count one by one, so that a work at two
/// places far apart has the cells of each place, not of all the land between them.
pub fn cells(g: &Geometry<f64>) -> Vec<i64> {
    let mut out = Vec::new();
    add_cells(g, &mut out);
    out.sort_unstable();
    out.dedup();
    out
}

fn add_cells(g: &Geometry<f64>, out: &mut Vec<i64>) {
    match g {
        Geometry::GeometryCollection(parts) => parts.iter().for_each(|p| add_cells(p, out)),
        Geometry::MultiPoint(m) => m.iter().for_each(|p| add_cells(&Geometry::Point(*p), out)),
        Geometry::MultiLineString(m) => m
            .iter()
            .for_each(|l| add_cells(&Geometry::LineString(l.clone()), out)),
        Geometry::MultiPolygon(m) => m
            .iter()
            .for_each(|p| add_cells(&Geometry::Polygon(p.clone()), out)),
        single => {
            let Some(r) = single.bounding_rect() else {
                return;
            };
            let index = |v: f64| (v * CELLS_PER_DEGREE).floor() as i64;
            for x in index(r.min().x)..=index(r.max().x) {
                for y in index(r.min().y)..=index(r.max().y) {
                    out.push((x + 18_000) * 100_000 + y + 9_000);
                }
            }
        }
    }
}

fn geometry_arg(term: &Term) -> Option<Geometry<f64>> {
    match term {
        Term::Literal(l) if l.datatype().as_str() == WKT_LITERAL => parse_wkt(l.value()),
        _ => None,
    }
}

fn gfn_distance(args: &[Term]) -> Option<Term> {
    let [a, b] = args else { return None };
    let d = distance_m(&geometry_arg(a)?, &geometry_arg(b)?)?;
    Some(Literal::from(d).into())
}

/// The signature of a SPARQL extension function.
pub type Function = fn(&[Term]) -> Option<Term>;

/// govkg's extension functions, as (IRI, implementation) pairs for the SPARQL evaluator.
pub fn functions() -> [(NamedNode, Function); 1] {
    [(
        NamedNode::new_unchecked(format!("{FN}distance")),
        gfn_distance as Function,
    )]
}

#[cfg(test)]
mod tests {
    use super::*;

    fn g(wkt: &str) -> Geometry<f64> {
        parse_wkt(wkt).expect("valid wkt")
    }

    #[test]
    fn point_to_point_matches_haversine() {
        // One minute of latitude is 1852 m (nautical mile) to within 0.5 %.
        let d = distance_m(&g("POINT(116.4 39.9)"), &g("POINT(116.4 39.916666667)")).unwrap();
        assert!((d - 1853.2).abs() < 5.0, "{d}");
    }

    #[test]
    fn point_to_line_and_polygon() {
        let line = g(
            "<http://www.opengis.net/def/crs/OGC/1.3/CRS84> LINESTRING(116.39 39.90, 116.39 39.95)",
        );
        // 0.01° of longitude at 39.92° N is about 853 m.
        let d = distance_m(&g("POINT(116.40 39.92)"), &line).unwrap();
        assert!((d - 853.0).abs() < 3.0, "{d}");
        let square =
            g("POLYGON((116.39 39.90, 116.40 39.90, 116.40 39.91, 116.39 39.91, 116.39 39.90))");
        assert_eq!(distance_m(&g("POINT(116.395 39.905)"), &square), Some(0.0));
        let d = distance_m(&g("POINT(116.395 39.92)"), &square).unwrap();
        assert!((d - 1111.9).abs() < 3.0, "{d}");
        let other = g("LINESTRING(116.41 39.90, 116.41 39.95)");
        let d = distance_m(&line, &other).unwrap();
        assert!((d - 1706.0).abs() < 5.0, "{d}");
    }

    #[test]
    fn footprints_hold_their_geometry() {
        let f = footprint(&g("POINT(116.4 39.9)")).unwrap();
        assert_eq!((f.lon, f.lat, f.radius_m), (116.4, 39.9, 0.0));
        let line = g("LINESTRING(116.39 39.90, 116.39 39.95)");
        let f = footprint(&line).unwrap();
        assert!((f.lat - 39.925).abs() < 1e-9);
        // Half the line's 5.56 km.
        assert!((f.radius_m - 2779.9).abs() < 2.0, "{}", f.radius_m);
        assert!((f.lon_metres - 85_200.0).abs() < 100.0, "{}", f.lon_metres);
    }

    #[test]
    fn cells_cover_the_bounding_box() {
        assert_eq!(
            cell(116.391, 39.905),
            (11639 + 18_000) * 100_000 + 3990 + 9_000
        );
        assert_eq!(
            cells(&g("POINT(116.391 39.905)")),
            vec![cell(116.391, 39.905)]
        );
        let line = cells(&g("LINESTRING(116.385 39.905, 116.405 39.915)"));
        assert_eq!(line.len(), 3 * 2);
        assert!(line.contains(&cell(116.40, 39.91)));
        // Two places 50 km apart: their own cells, not the 5000 between them.
        let two = cells(&g(
            "GEOMETRYCOLLECTION(POINT(116.0 39.5),POINT(116.5 40.0))",
        ));
        assert_eq!(two, vec![cell(116.0, 39.5), cell(116.5, 40.0)]);
    }

    #[test]
    fn other_crs_is_refused() {
        assert!(
            parse_wkt("<http://www.opengis.net/def/crs/EPSG/0/4326> POINT(39.9 116.4)").is_none()
        );
    }
}
