//! Geography: the gazetteer's geometries, distances, and the near-central-axis query.

mod common;

use common::*;
use govkg::geo::check as geocheck;
use govkg::geo::geometry::{distance_m, parse_wkt};
use govkg::geo::Gazetteer;

fn gazetteer() -> Gazetteer {
    Gazetteer::bundled().expect("the bundled gazetteer parses")
}

fn point(g: &Gazetteer, name: &str) -> (f64, f64) {
    let place = g.lookup(name).into_iter().next().expect(name);
    let wkt = place.wkt.as_deref().expect("geometry");
    match parse_wkt(wkt).expect("valid wkt") {
        geo::Geometry::Point(p) => (p.x(), p.y()),
        other => panic!("{name} is not a point: {other:?}"),
    }
}

fn wkt_point(lon: f64, lat: f64) -> geo::Geometry<f64> {
    geo::Geometry::Point(geo::Point::new(lon, lat))
}

#[test]
fn every_gazetteer_place_has_a_sourced_valid_geometry() {
    let g = &gazetteer();
    assert!(g.places.len() >= 200, "{} places", g.places.len());
    let mut near_beijing = 0;
    for p in &g.places {
        let wkt = p
            .wkt
            .as_deref()
            .unwrap_or_else(|| panic!("{} has no geometry", p.iri));
        let source = p.source.as_deref().unwrap_or_default();
        assert!(!source.trim().is_empty(), "{} has no source note", p.iri);
        assert!(
            wkt.starts_with("<http://www.opengis.net/def/crs/OGC/1.3/CRS84>"),
            "{}",
            p.iri
        );
        let geom = parse_wkt(wkt).unwrap_or_else(|| panic!("{}: bad WKT {wkt}", p.iri));
        use geo::BoundingRect;
        let r = geom.bounding_rect().expect("non-empty");
        // Inside China, longitude first (the two ranges do not overlap, so a swapped pair
        // fails), WGS84 degrees.
        assert!(r.min().x > 73.0 && r.max().x < 135.0, "{}: {r:?}", p.iri);
        assert!(r.min().y > 18.0 && r.max().y < 54.0, "{}: {r:?}", p.iri);
        // All but a few generic points outside (新疆) lie in Beijing, Tianjin and Hebei.
        if r.min().x > 113.0 && r.max().x < 119.0 && r.min().y > 38.0 && r.max().y < 42.0 {
            near_beijing += 1;
        }
    }
    assert!(near_beijing + 2 >= g.places.len(), "{near_beijing}");
    let ttl = std::fs::read_to_string(root().join("ontology/gazetteer.ttl")).unwrap();
    let lines_starting = |p: &str| {
        ttl.lines()
            .filter(|l| l.trim_start().starts_with(p))
            .count()
    };
    assert_eq!(
        lines_starting("geo:asWKT"),
        lines_starting("dcterms:source"),
        "every geometry carries a source note"
    );
    assert_eq!(lines_starting("geo:asWKT"), g.places.len());
}

#[test]
fn gazetteer_meets_the_accuracy_aim_on_independent_check_points() {
    let file = root().join("ontology/gazetteer-check.tsv");
    let points = geocheck::read_check_points(&file).expect("check file parses");
    assert!(points.len() >= 40, "{} check points", points.len());
    let report = geocheck::check(&gazetteer(), &points);
    assert!(report.unmatched.is_empty(), "{:?}", report.unmatched);
    // A check point read from the entry's own source would measure nothing.
    assert!(report.dependent.is_empty(), "{:?}", report.dependent);
    let (median, max) = (report.median_m.unwrap(), report.max_m.unwrap());
    eprintln!(
        "{} check points: median {median:.0} m, max {max:.0} m",
        report.rows.len()
    );
    assert!(median <= 150.0, "median error {median:.0} m");
    assert!(max <= 1000.0, "{} is {max:.0} m off", report.rows[0].place);
}

#[test]
fn axis_distances_match_known_values() {
    let g = &gazetteer();
    let (bell, yongding) = (point(g, "钟楼"), point(g, "永定门"));
    let d = distance_m(
        &wkt_point(bell.0, bell.1),
        &wkt_point(yongding.0, yongding.1),
    )
    .unwrap();
    assert!((7_700.0..7_950.0).contains(&d), "钟楼–永定门 {d} m");
    // Along the axis line: the sum of its segments.
    let axis = parse_wkt(g.lookup("中轴线")[0].wkt.as_deref().unwrap()).unwrap();
    let geo::Geometry::LineString(line) = axis.clone() else {
        panic!("the axis is a line")
    };
    let along: f64 = line
        .lines()
        .map(|s| {
            distance_m(
                &wkt_point(s.start.x, s.start.y),
                &wkt_point(s.end.x, s.end.y),
            )
            .unwrap()
        })
        .sum();
    assert!(
        (7_750.0..8_000.0).contains(&along),
        "along the axis {along} m"
    );
    // 500 m east of 正阳门 is about 500 m from the axis (it tilts by about 2°).
    let (lon, lat) = point(g, "正阳门");
    let east = lon + 500.0 / (111_195.0 * lat.to_radians().cos());
    let d = distance_m(&wkt_point(east, lat), &axis).unwrap();
    assert!((470.0..530.0).contains(&d), "500 m east of 正阳门: {d} m");
    assert!(distance_m(&wkt_point(lon, lat), &axis).unwrap() < 60.0);
}

#[test]
fn geosparql_and_govkg_functions_run_in_queries() {
    let dir = tempfile::tempdir().unwrap();
    let store = build_store(dir.path());
    let out = ok(&[
        "query",
        "SELECT ?d ?dp WHERE { gaz:钟楼 geo:hasGeometry/geo:asWKT ?a . gaz:永定门 geo:hasGeometry/geo:asWKT ?b . gaz:中轴线 geo:hasGeometry/geo:asWKT ?axis . BIND(gfn:distance(?a, ?b) AS ?d) BIND(geof:distance(?a, ?b, <http://www.opengis.net/def/uom/OGC/1.0/metre>) AS ?dp) FILTER(gfn:distance(?a, ?axis) < 1) }",
        "--format",
        "json",
        "--store",
        store.to_str().unwrap(),
    ]);
    let rows = json_rows(&out);
    assert_eq!(rows.len(), 1);
    let d: f64 = rows[0]["d"].as_str().unwrap().parse().unwrap();
    let dp: f64 = rows[0]["dp"].as_str().unwrap().parse().unwrap();
    assert!((7_700.0..7_950.0).contains(&d), "{d}");
    // spargeo's point-to-point distance agrees with ours to within 0.5 %.
    assert!((d - dp).abs() / dp < 0.005, "{d} vs {dp}");
}

#[test]
fn near_central_axis_finds_axis_projects_and_not_others() {
    let dir = tempfile::tempdir().unwrap();
    let input = dir.path().join("in");
    std::fs::create_dir(&input).unwrap();
    std::fs::write(
        input.join("2025年某区政府工作报告.txt"),
        "2025年北京市东城区政府工作报告\n\
         一、2024年工作回顾\n\
         永定门城楼修缮项目竣工。\
         钟鼓楼周边环境整治项目全面完成。\
         前门东区保护更新项目顺利推进。\
         东直门交通枢纽项目投入使用。\
         隆福寺二期项目开业。\n",
    )
    .unwrap();
    let store = dir.path().join("store");
    ok(&[
        "build",
        input.to_str().unwrap(),
        "--store",
        store.to_str().unwrap(),
    ]);
    let rows = near_axis_rows(&store);
    assert_near_and_far(&rows, &["永定门", "钟鼓楼", "前门"], &["东直门", "隆福寺"]);
    let distances: Vec<f64> = rows
        .iter()
        .map(|r| r["metres"].as_str().unwrap().parse().unwrap())
        .collect();
    assert!(distances.windows(2).all(|w| w[0] <= w[1]), "nearest first");
    assert!(distances.iter().all(|d| *d <= 1000.0));
    // A larger radius brings in the 隆福寺 project (about 1.5 km east of the axis).
    let wide = ok(&[
        "query",
        "near-central-axis",
        "-p",
        "max_distance=3000",
        "--store",
        store.to_str().unwrap(),
    ]);
    assert!(wide.contains("隆福寺"), "{wide}");
}

#[test]
fn near_central_axis_on_the_bundled_reports() {
    let dir = tempfile::tempdir().unwrap();
    let store = build_store(dir.path());
    // The reports' own projects at 永定门, 钟鼓楼 and 前门 (found by structure, not by name);
    // the 东直门 hub and the 隆福寺 projects lie 1.5 km and more east of the axis.
    assert_near_and_far(
        &near_axis_rows(&store),
        &["永定门城楼", "钟鼓楼周边", "前门东西区"],
        &["东直门", "隆福"],
    );
}

/// Rows of `near-central-axis` with its default distance.
fn near_axis_rows(store: &std::path::Path) -> Vec<serde_json::Map<String, serde_json::Value>> {
    json_rows(&ok(&[
        "query",
        "near-central-axis",
        "--format",
        "json",
        "--store",
        store.to_str().unwrap(),
    ]))
}

/// Some project label starts with each of `near`; no label contains any of `far`.
fn assert_near_and_far(
    rows: &[serde_json::Map<String, serde_json::Value>],
    near: &[&str],
    far: &[&str],
) {
    let labels: Vec<&str> = rows.iter().map(|r| r["label"].as_str().unwrap()).collect();
    for n in near {
        assert!(
            labels.iter().any(|l| l.starts_with(n)),
            "{n} missing: {labels:?}"
        );
    }
    for f in far {
        assert!(
            !labels.iter().any(|l| l.contains(f)),
            "{f} is not near: {labels:?}"
        );
    }
}

#[test]
fn gazetteer_check_command_reports_and_rejects_bad_files() {
    let out = ok(&["gazetteer-check"]);
    let last = out.lines().last().unwrap_or_default();
    assert!(
        last.contains("0 unmatched, 0 not independent: median"),
        "{last}"
    );

    let dir = tempfile::tempdir().unwrap();
    // A point 0.01° east of the Bell Tower is about 850 m off: over the 150 m median aim, within
    // a 1 km maximum, over a 500 m one.
    let (lon, lat) = point(&gazetteer(), "钟楼");
    let far = dir.path().join("far.tsv");
    std::fs::write(&far, format!("钟楼\t{}\t{lat}\tmade up\n", lon + 0.01)).unwrap();
    let far = far.to_str().unwrap();
    assert_eq!(govkg(&["gazetteer-check", far]).status.code(), Some(1));
    assert!(govkg(&["gazetteer-check", far, "--max-median", "900"])
        .status
        .success());
    let out = govkg(&[
        "gazetteer-check",
        far,
        "--max-median",
        "900",
        "--max-error",
        "500",
    ]);
    assert_eq!(out.status.code(), Some(1));
    assert!(String::from_utf8_lossy(&out.stderr).contains("no place over 500 m"));

    // Each bad file fails with exit 1 and a message naming the file and what is wrong.
    let rejects = |name: &str, content: &[u8], says: &str| {
        let path = dir.path().join(name);
        std::fs::write(&path, content).unwrap();
        let out = govkg(&["gazetteer-check", path.to_str().unwrap()]);
        assert_eq!(out.status.code(), Some(1), "{name}");
        let err = String::from_utf8_lossy(&out.stderr);
        assert!(err.contains(says), "{name}: {err}");
    };
    let two_fields = "钟楼\t116.39\t39.94\tok\n鼓楼\t116.39\n";
    rejects("bad.tsv", two_fields.as_bytes(), "bad.tsv: line 2");
    rejects(
        "empty.tsv",
        b"# nothing yet\n",
        "empty.tsv: no check points",
    );
    rejects("binary.tsv", &[0xff, 0xfe, 0x00, 0x9c, 0x00], "binary.tsv");
    // The Bell Tower's entry is read from this OpenStreetMap way.
    let own = "钟楼\t116.3896\t39.9410\tOSM way 425993664, a corner\n";
    rejects("own.tsv", own.as_bytes(), "repeat their entry's own source");
    let unknown = "无此地\t116.39\t39.94\tmade up\n";
    rejects(
        "unknown.tsv",
        unknown.as_bytes(),
        "name no single gazetteer entry",
    );
}
