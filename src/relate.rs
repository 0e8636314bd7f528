//! Relations between the entities of one report, each with its evidence sentence:
//! organisations settled in places, projects located at places, who runs a project or
//! programme, the status a report gives a project, and quantities.

use crate::geo::Gazetteer;
pub use crate::model::{
    EntityType, Extraction, Mention, Quantity, Relation, RelationKind, Relations, Status,
    StatusStatement, Target,
};
use regex::Regex;
use std::sync::LazyLock;

/// What relation finding needs to know of the report itself.
#[derive(Debug, Clone, Default)]
pub struct ReportContext {
    /// The reporting government (e.g. 东城区人民政府), which runs the projects and
    /// programmes a report presents.
    pub creator: Option<String>,
    /// The report's year.
    pub year: Option<i32>,
}

const SETTLE_TRIGGERS: &[&str] = &[
    "落户", "入驻", "进驻", "迁入", "设立", "落地", "注册", "新设", "总部",
];
const RUN_TRIGGERS: &[&str] = &["牵头", "负责", "主办", "承办", "实施主体"];

/// Status words, most specific first; the first found in a clause decides.
const STATUS_WORDS: &[(&str, Status)] = &[
    ("前期", Status::Planned),
    ("谋划", Status::Planned),
    ("筹备", Status::Planned),
    ("规划", Status::Planned),
    ("竣工", Status::Completed),
    ("完工", Status::Completed),
    ("建成", Status::Completed),
    ("投入使用", Status::Completed),
    ("投用", Status::Completed),
    ("亮相", Status::Completed),
    ("开园", Status::Completed),
    ("开街", Status::Completed),
    ("交付", Status::Completed),
    ("落成", Status::Completed),
    ("通车", Status::Completed),
    ("开业", Status::Completed),
    ("对外开放", Status::Completed),
    ("完成", Status::Completed),
    ("开工", Status::Started),
    ("启动", Status::Started),
    ("动工", Status::Started),
    ("开建", Status::Started),
    ("封顶", Status::UnderWay),
    ("推进", Status::UnderWay),
    ("加快", Status::UnderWay),
    ("实施", Status::UnderWay),
    ("推动", Status::UnderWay),
    ("建设", Status::UnderWay),
    ("持续", Status::UnderWay),
];

/// Words that turn a statement into an intention.
const INTENT_WORDS: &[&str] = &["力争", "计划", "争取", "确保", "将", "拟", "预计", "年内"];

static PLAN_HEADING: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"^(?:[一二三四五六七八九十]+、|第[一二三四五]部分)?.{0,16}(?:工作安排|主要任务|重点任务|工作计划|下一步|下半年|工作思路|总体要求|主要目标|工作建议)")
        .expect("valid plan heading regex")
});
static REVIEW_HEADING: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"^(?:[一二三四五六七八九十]+、|第[一二三四五]部分)?.{0,16}(?:回顾|完成情况|执行情况|总体情况|主要成效|工作成效)")
        .expect("valid review heading regex")
});
static QUANTITY: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"(约|近|超过)?(\d+(?:\.\d+)?)(余|多)?(万|亿)?(平方米|平米|户|栋|元|公里|千米|米|套|间|处|座|亩|公顷|辆|个|家|所|张|条|项|人次|人)")
        .expect("valid quantity regex")
});

fn clauses(sentence: &str) -> Vec<(usize, usize)> {
    let mut out = Vec::new();
    let mut start = 0;
    for (i, c) in sentence.char_indices() {
        if matches!(c, '，' | '；' | '：' | '。' | '！' | '？' | ',' | ';') {
            out.push((start, i));
            start = i + c.len_utf8();
        }
    }
    out.push((start, sentence.len()));
    out
}

fn target(m: &Mention) -> Target {
    Target {
        etype: m.etype,
        label: m.label.clone(),
    }
}

/// Most characters (adverbs such as 正式, 按计划, 率先) between a name and its trigger.
const MAX_GAP: usize = 4;

/// The organisations that settle at trigger `at`: the one ending just before it, and the
/// ones listed with it (A、B和C 迁入).
fn settling_organisations<'m>(
    ms: &[&'m Mention],
    at: usize,
    clause_start: usize,
    local: &dyn Fn(&Mention) -> (usize, usize),
    text: &str,
) -> Vec<&'m Mention> {
    let mut before: Vec<&Mention> = ms
        .iter()
        .copied()
        .filter(|m| local(m).1 <= at && local(m).0 >= clause_start)
        .collect();
    before.sort_by_key(|m| std::cmp::Reverse(local(m).0));
    let mut out = Vec::new();
    let mut edge = at;
    for m in before {
        // Nested or overlapping mentions do not chain.
        let Some(between) = text.get(local(m).1..edge) else {
            continue;
        };
        let joined = if out.is_empty() {
            between.chars().count() <= MAX_GAP && !between.contains(['，', ',', '；', ';'])
        } else {
            matches!(between, "、" | "和" | "及" | "与" | "以及")
        };
        if !joined {
            break;
        }
        if m.etype == EntityType::Organisation {
            out.push(m);
        }
        edge = local(m).0;
    }
    out
}

/// Heads of names of places an organisation can move into.
const SETTLING_HEADS: [char; 16] = [
    '街', '路', '园', '区', '城', '楼', '厦', '心', '场', '座', '里', '巷', '门', '寺', '院', '岛',
];

/// A place an organisation settles in is a known place or has a place head: the trigger's
/// object can also be an activity (落户经营) that the extractor took for a place.
fn is_settling_place(label: &str, gaz: &Gazetteer) -> bool {
    !gaz.link(label).is_empty() || label.ends_with(SETTLING_HEADS)
}

/// Finds the relations of one report.
pub fn relate(body: &str, ex: &Extraction, report: &ReportContext, gaz: &Gazetteer) -> Relations {
    let district_body = report.creator.as_deref();
    let mut out = Relations::default();
    let mut in_plan_section = false;
    for (k, s) in ex.sentences.iter().enumerate() {
        let text = &body[s.start..s.end];
        if text.chars().count() <= 40 {
            if PLAN_HEADING.is_match(text) {
                in_plan_section = true;
            } else if REVIEW_HEADING.is_match(text) {
                in_plan_section = false;
            }
        }
        let ms: Vec<&Mention> = ex.mentions.iter().filter(|m| m.sentence == k).collect();
        if ms.is_empty() {
            continue;
        }
        let local = |m: &Mention| (m.start - s.start, m.end - s.start);
        let cl = clauses(text);
        let clause_of = |pos: usize| {
            cl.iter()
                .position(|&(a, b)| pos >= a && pos <= b)
                .unwrap_or(0)
        };
        // Settled in: "O 落户 P", "O、O 正式迁入 P", "在 P 设立 O".
        for trig in SETTLE_TRIGGERS {
            for (at, _) in text.match_indices(trig) {
                let after = at + trig.len();
                let (ca, cb) = cl[clause_of(at)];
                let gap = |a: usize, b: usize| {
                    text.get(a.min(b)..b.max(a))
                        .map_or(usize::MAX, |t| t.chars().count())
                };
                let near_before = |m: &&&Mention| {
                    local(m).1 <= at && local(m).0 >= ca && gap(local(m).1, at) <= MAX_GAP
                };
                let orgs = settling_organisations(&ms, at, ca, &local, text);
                let places: Vec<&&Mention> = ms
                    .iter()
                    .filter(|m| m.etype == EntityType::Place && is_settling_place(&m.label, gaz))
                    .filter(|m| {
                        // right after the trigger ("落户金宝街", "迁入东城") …
                        (local(m).0 >= after && local(m).0 <= cb && gap(after, local(m).0) <= 1)
                            // … or introduced by 在 before it ("在永外城设立")
                            || (near_before(m) && text[..local(m).0].ends_with('在'))
                    })
                    .collect();
                for o in &orgs {
                    for p in &places {
                        out.relations.push(Relation {
                            kind: RelationKind::SettledIn,
                            subject: target(o),
                            object: target(p),
                            sentence: Some(k),
                            via: (*trig).to_owned(),
                        });
                    }
                }
            }
        }
        for m in &ms {
            let (ms_start, ms_end) = local(m);
            let c = clause_of(ms_start);
            let (ca, cb) = cl[c];
            let clause = &text[ca..cb];
            match m.etype {
                EntityType::Project => {
                    // A place in the project's name locates it ...
                    for (_, _, name) in gaz.find_in(&m.label) {
                        out.relations.push(Relation {
                            kind: RelationKind::LocatedAt,
                            subject: target(m),
                            object: Target {
                                etype: EntityType::Place,
                                label: name.to_owned(),
                            },
                            sentence: Some(k),
                            via: "name".to_owned(),
                        });
                    }
                    // ... and so does a place the clause puts it at (在X, 位于X).
                    for p in ms.iter().filter(|p| {
                        p.etype == EntityType::Place
                            && clause_of(local(p).0) == c
                            && ["在", "位于"]
                                .iter()
                                .any(|w| text[..local(p).0].ends_with(w))
                    }) {
                        out.relations.push(Relation {
                            kind: RelationKind::LocatedAt,
                            subject: target(m),
                            object: target(p),
                            sentence: Some(k),
                            via: "sentence".to_owned(),
                        });
                    }
                    if let Some((status, trigger)) = status_in(clause, in_plan_section) {
                        out.statuses.push(StatusStatement {
                            project: m.label.clone(),
                            status,
                            year: report.year,
                            sentence: k,
                            trigger,
                        });
                    }
                }
                EntityType::Programme | EntityType::Organisation | EntityType::Place => {}
            }
            if matches!(m.etype, EntityType::Project | EntityType::Programme) {
                // A body named before a run trigger in the same clause runs it.
                let runner = ms.iter().find(|o| {
                    o.etype == EntityType::Organisation
                        && clause_of(local(o).0) == c
                        && RUN_TRIGGERS.iter().any(|t| {
                            text[local(o).1..]
                                .find(t)
                                .is_some_and(|i| local(o).1 + i < cb)
                        })
                });
                match (runner, district_body) {
                    (Some(o), _) => out.relations.push(Relation {
                        kind: RelationKind::RunBy,
                        subject: target(m),
                        object: target(o),
                        sentence: Some(k),
                        via: "trigger".to_owned(),
                    }),
                    (None, Some(d)) => out.relations.push(Relation {
                        kind: RelationKind::RunBy,
                        subject: target(m),
                        object: Target {
                            etype: EntityType::Organisation,
                            label: d.to_owned(),
                        },
                        sentence: None,
                        via: "reporting district".to_owned(),
                    }),
                    (None, None) => {}
                }
                // Quantities after the mention, up to the next project or programme.
                let next = ms
                    .iter()
                    .filter(|o| {
                        matches!(o.etype, EntityType::Project | EntityType::Programme)
                            && local(o).0 >= ms_end
                    })
                    .map(|o| local(o).0)
                    .min()
                    .unwrap_or(cb)
                    .min(cb)
                    .max(ms_end);
                for q in QUANTITY.captures_iter(&text[ms_end..next]) {
                    if let Some(quantity) = quantity(&q, m, k) {
                        out.quantities.push(quantity);
                    }
                }
            }
        }
    }
    out.relations.sort();
    out.relations.dedup();
    out.statuses.sort();
    out.statuses.dedup();
    out
}

fn status_in(clause: &str, in_plan_section: bool) -> Option<(Status, String)> {
    let (word, status) = STATUS_WORDS
        .iter()
        .find(|(w, _)| clause.contains(w))
        .copied()?;
    let intended = in_plan_section || INTENT_WORDS.iter().any(|w| clause.contains(w));
    let status = if intended { Status::Planned } else { status };
    Some((status, word.to_owned()))
}

fn quantity(q: &regex::Captures, m: &Mention, k: usize) -> Option<Quantity> {
    let number: f64 = q.get(2)?.as_str().parse().ok()?;
    let multiplier = match q.get(4).map(|x| x.as_str()) {
        Some("万") => 1e4,
        Some("亿") => 1e8,
        _ => 1.0,
    };
    let unit = q.get(5)?.as_str();
    let unit = if unit == "平米" { "平方米" } else { unit };
    Some(Quantity {
        subject: target(m),
        value: number * multiplier,
        unit: unit.to_owned(),
        approximate: q.get(1).is_some() || q.get(3).is_some(),
        text: q.get(0)?.as_str().to_owned(),
        sentence: k,
    })
}
