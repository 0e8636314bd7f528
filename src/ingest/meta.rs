//! Report metadata read from the text: district, year, kind, title, date.

use regex::Regex;
use serde::Serialize;
use std::sync::LazyLock;

/// What kind of document a report is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub enum ReportKind {
    /// 政府工作报告
    WorkReport,
    /// 国民经济和社会发展计划执行情况的报告
    PlanExecutionReport,
    /// 绩效报告 / 绩效管理工作汇报
    PerformanceReport,
    /// 会议通稿
    Meeting,
    Other,
}

impl ReportKind {
    /// Local name of the ontology class for this kind.
    pub fn class_name(self) -> &'static str {
        match self {
            Self::WorkReport => "WorkReport",
            Self::PlanExecutionReport => "PlanExecutionReport",
            Self::PerformanceReport => "PerformanceReport",
            Self::Meeting => "MeetingReport",
            Self::Other => "Report",
        }
    }
}

/// Metadata of one report; every field is optional but kind.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Metadata {
    pub title: Option<String>,
    pub district: Option<String>,
    pub year: Option<i32>,
    pub kind: ReportKind,
    /// ISO date (YYYY-MM-DD) the report was given or published.
    pub date: Option<String>,
}

/// The sixteen districts of Beijing: a report's district is the one its head names most.
pub const BEIJING_DISTRICTS: [&str; 16] = [
    "东城区",
    "西城区",
    "朝阳区",
    "海淀区",
    "丰台区",
    "石景山区",
    "门头沟区",
    "房山区",
    "通州区",
    "顺义区",
    "昌平区",
    "大兴区",
    "怀柔区",
    "平谷区",
    "密云区",
    "延庆区",
];

/// A forum tag such as "[北京] " before a title.
static TAG_PREFIX: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"^[\[【][^\]】]{1,10}[\]】]\s*").expect("valid tag regex"));
/// A numbered section heading (一、 (一) 1.) is not a title.
static SECTION_HEADING: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"^(?:[一二三四五六七八九十]+、|[（(][一二三四五六七八九十\d]+[)）]|\d+[.、．])")
        .expect("valid heading regex")
});
static NEWS_DAY: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"^(\d{1,2})月(\d{1,2})日").expect("valid day regex"));
static YEAR: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"((?:19|20)\d\d)\s*年").expect("valid year regex"));
static SPOKEN_DATE: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"((?:19|20)\d\d)年(\d{1,2})月(\d{1,2})日在").expect("valid date regex")
});
static ISO_DATE: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"(?:日期|时间|发布)[:：]\s*((?:19|20)\d\d)-(\d{1,2})-(\d{1,2})").expect("valid")
});
static ANY_DATE: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"((?:19|20)\d\d)年(\d{1,2})月(\d{1,2})日").expect("valid date regex")
});

fn iso(c: &regex::Captures) -> Option<String> {
    let y: i32 = c.get(1)?.as_str().parse().ok()?;
    let m: u32 = c.get(2)?.as_str().parse().ok()?;
    let d: u32 = c.get(3)?.as_str().parse().ok()?;
    ((1..=12).contains(&m) && (1..=31).contains(&d)).then(|| format!("{y:04}-{m:02}-{d:02}"))
}

fn is_title_line(line: &str) -> bool {
    let n = line.chars().count();
    (4..=60).contains(&n)
        && !line.contains('。')
        && !SECTION_HEADING.is_match(line)
        && ["报告", "汇报", "会议", "计划", "通报", "情况"]
            .iter()
            .any(|k| line.contains(k))
}

/// Reads metadata from a report body; `original` is the raw text, which may hold a date line.
pub fn read_metadata(body: &str, original: &str) -> Metadata {
    let head: String = body.chars().take(1500).collect();
    let title = head
        .lines()
        .take(12)
        .map(|l| match TAG_PREFIX.find(l.trim()) {
            Some(m) => l.trim()[m.end()..].trim(),
            None => l.trim(),
        })
        .find(|l| is_title_line(l))
        .map(str::to_owned)
        .or_else(|| {
            let first = head.lines().find(|l| l.chars().count() >= 4)?;
            let sentence = first.split(['。', '，']).next().unwrap_or(first);
            Some(sentence.chars().take(60).collect())
        });
    let district = BEIJING_DISTRICTS
        .iter()
        .map(|d| {
            (
                head.matches(d).count() + head.matches(&d[..d.len() - 3]).count(),
                *d,
            )
        })
        .filter(|(n, _)| *n > 0)
        .max_by_key(|(n, d)| (*n, std::cmp::Reverse(*d)))
        .map(|(_, d)| d.to_owned());
    let kind = match title.as_deref().unwrap_or(&head) {
        t if t.contains("政府工作报告") => ReportKind::WorkReport,
        t if t.contains("计划") && t.contains("执行情况") => ReportKind::PlanExecutionReport,
        t if t.contains("绩效") => ReportKind::PerformanceReport,
        t if t.contains("会议") => ReportKind::Meeting,
        _ if head.contains("绩效") => ReportKind::PerformanceReport,
        _ if head.contains("会议") => ReportKind::Meeting,
        _ => ReportKind::Other,
    };
    let orig_head: String = original.chars().take(3000).collect();
    let date = SPOKEN_DATE
        .captures(&head)
        .and_then(|c| iso(&c))
        .or_else(|| ISO_DATE.captures(&orig_head).and_then(|c| iso(&c)))
        .or_else(|| ANY_DATE.captures(&head).and_then(|c| iso(&c)));
    let year_of = |s: &str| YEAR.captures(s).and_then(|c| c[1].parse().ok());
    let year = title
        .as_deref()
        .and_then(year_of)
        .or_else(|| date.as_deref().and_then(|d| d[..4].parse().ok()))
        .or_else(|| year_of(&head));
    // News copy opens with the day only ("2月1日，东城区召开…"): the year comes from the text.
    let date = date.or_else(|| {
        let c = NEWS_DAY.captures(head.trim_start())?;
        let (m, d): (u32, u32) = (c[1].parse().ok()?, c[2].parse().ok()?);
        let y = year?;
        ((1..=12).contains(&m) && (1..=31).contains(&d)).then(|| format!("{y:04}-{m:02}-{d:02}"))
    });
    Metadata {
        title,
        district,
        year,
        kind,
        date,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_work_report_head() {
        let body = "[北京] 2024年北京市东城区政府工作报告\n2024年1月9日在北京市东城区第十七届人民代表大会第四次会议上\n各位代表：\n";
        let m = read_metadata(body, body);
        assert_eq!(m.title.as_deref(), Some("2024年北京市东城区政府工作报告"));
        assert_eq!(m.district.as_deref(), Some("东城区"));
        assert_eq!(m.year, Some(2024));
        assert_eq!(m.kind, ReportKind::WorkReport);
        assert_eq!(m.date.as_deref(), Some("2024-01-09"));
    }
}
