//! Extraction quality on the development gold: fails when the scores fall below the level
//! the extractor has reached (see docs/extraction.md for the current figures).

mod common;

use common::ok;

/// Reads "NAME P=… R=… F1=…" lines of `govkg eval` output into (name, F1).
fn f1_scores(out: &str) -> Vec<(String, f64)> {
    out.lines()
        .filter_map(|l| {
            let name = l.split_whitespace().next()?;
            let f1 = l.split("F1=").nth(1)?.split_whitespace().next()?;
            Some((name.to_owned(), f1.parse().ok()?))
        })
        .collect()
}

#[test]
fn extraction_scores_do_not_regress() {
    let out = ok(&["eval", "--gold", "tests/gold", "reports"]);
    let scores = f1_scores(&out);
    // The reached micro figure (0.851, as printed) and floors just under the per-type ones.
    let floors = [
        ("micro", 0.851),
        ("Project", 0.82),
        ("Place", 0.87),
        ("Programme", 0.82),
        ("Organisation", 0.90),
    ];
    for (name, floor) in floors {
        let f1 = scores
            .iter()
            .find(|(n, _)| n == name)
            .map(|(_, f)| *f)
            .unwrap_or_else(|| panic!("no {name} line in:\n{out}"));
        assert!(f1 >= floor, "{name} F1 {f1:.3} < {floor}:\n{out}");
    }
}

/// Rules slice sentences by byte offsets, so an offset inside a character would panic or
/// cut a name. On text scrambled from the bundled reports (clauses shuffled, characters and
/// list punctuation dropped in at random) extraction must finish and keep every mention
/// inside its sentence, on character boundaries.
#[test]
fn mentions_stay_on_character_boundaries_of_scrambled_text() {
    let mut paths: Vec<_> = std::fs::read_dir("reports")
        .expect("reports/")
        .map(|e| e.expect("entry").path())
        .collect();
    paths.sort();
    let text: String = paths
        .iter()
        .map(|p| std::fs::read_to_string(p).expect("report text"))
        .collect();
    let alphabet: Vec<char> = text.chars().chain("、等“”()（）·—+".chars()).collect();
    // A fixed xorshift sequence keeps the test repeatable.
    let mut state = 0x2545_f491_4f6c_dd1d_u64;
    let mut next = move || {
        state ^= state << 13;
        state ^= state >> 7;
        state ^= state << 17;
        state as usize
    };
    let extractor = govkg::extract::Extractor::new(std::sync::Arc::new(
        govkg::geo::Gazetteer::bundled().expect("the bundled gazetteer parses"),
    ));
    for _ in 0..5 {
        let mut clauses: Vec<&str> = text.split(['，', '。']).filter(|c| !c.is_empty()).collect();
        for i in (1..clauses.len()).rev() {
            clauses.swap(i, next() % (i + 1));
        }
        let mut chars: Vec<char> = clauses.join("、").chars().collect();
        for _ in 0..2000 {
            let at = next() % chars.len();
            chars[at] = alphabet[next() % alphabet.len()];
        }
        let body: String = chars.into_iter().collect();
        let x = extractor.extract(&body);
        assert!(!x.mentions.is_empty());
        for m in &x.mentions {
            let s = &x.sentences[m.sentence];
            assert!(
                s.start <= m.start && m.start < m.end && m.end <= s.end,
                "{m:?}"
            );
            assert!(
                body.is_char_boundary(m.start) && body.is_char_boundary(m.end),
                "{m:?}"
            );
            assert!(!m.label.is_empty(), "{m:?}");
        }
    }
}
