//! Recognition of entity mentions inside one sentence: runs the structural rules (quotes,
//! enumerations, head words with name boundaries, government bodies, gazetteer places) and
//! settles overlaps between their candidates.

use super::boundary::{inner_word, left_start};
use super::lexicon::{
    DESCRIBED_HEADS, DESIGNATIONS, EVENT_ABBREVIATION_HEADS, FACILITY_WORDS, GENERIC_MODIFIERS,
    GENERIC_TERMS, GOVERNMENT_BODIES, INSTITUTION_DESCRIPTORS, INSTITUTION_HEADS, NOT_HEADS,
    NOT_PROGRAMME_TAILS, ORG_OPENERS, ORG_RELATION_WORDS, PAIRED_WORKS, PERSON_PLACE_HEADS,
    PLACE_DESCRIPTORS, PLACE_NAME_HEADS, SETTLE_VERBS, SUFFIXES, WEAK_HEADS, WORK_VERBS,
};
use super::tokens::{tokenize, Token};
use super::{bodies, enumerate, quote, subject, titles, EntityType, Found};
use crate::geo::Gazetteer;
use jieba_rs::Jieba;
use std::sync::Arc;

/// Tags of single characters that never begin an abbreviated event (参加进博会: 加 is a
/// verb's tail, 和 a conjunction).
const STOP_TAGS_BEFORE_EVENT: &[&str] = &["v", "p", "c", "u", "uj", "d", "r", "x", "m"];

/// Longest names we accept, in characters: longer spans are clauses, not names.
const MAX_NAME_CHARS: usize = 30;

/// The recogniser: a segmenter with the generic head words as dictionary entries.
pub struct Recogniser {
    jieba: Jieba,
    gazetteer: Arc<Gazetteer>,
}

impl Recogniser {
    /// Loads the segmenter and adds head words and gazetteer names to its dictionary.
    pub fn new(gazetteer: Arc<Gazetteer>) -> Self {
        let mut jieba = Jieba::new();
        // Head words must stay whole words so that names end on them.
        for (suffix, _) in SUFFIXES {
            if suffix.chars().count() >= 2 {
                jieba.add_word(suffix, Some(50_000), Some("n"));
            }
        }
        // Generic domain terms are ordinary words, never names (老旧小区 is a category).
        for term in GENERIC_TERMS {
            jieba.add_word(term, Some(50_000), Some("n"));
        }
        for name in gazetteer.names() {
            if name.chars().count() >= 2 {
                jieba.add_word(name, Some(20_000), Some("ns"));
            }
        }
        Self { jieba, gazetteer }
    }

    /// The gazetteer whose names the recogniser knows.
    pub fn gazetteer(&self) -> &Gazetteer {
        &self.gazetteer
    }

    /// Finds mentions in one sentence (byte offsets into the sentence).
    pub fn recognise(&self, sentence: &str) -> Vec<Found> {
        let places: Vec<(usize, usize)> = self
            .gazetteer
            .find_in(sentence)
            .into_iter()
            .map(|(a, b, _)| (a, b))
            .collect();
        let tokens = tokenize(&self.jieba, sentence, &places);
        let mut found = Vec::new();
        let common = |w: &str| self.common_word(w);
        // A quoted span whose context overrides its head word (“甲医院”创建 is a campaign's
        // title) keeps the quote's reading.
        let (quoted, retyped) = quote::quoted(sentence, &common);
        found.extend(quoted);
        // A listed work needs a proper name or a known place in it (青石会馆修缮); a common
        // noun the dictionary lacks (tagged n) does not name one.
        found.extend(enumerate::enumerations(sentence).into_iter().filter(|f| {
            f.etype != EntityType::Project
                || tokens
                    .iter()
                    .any(|t| t.anchor && t.tag != "n" && f.start <= t.start && t.end <= f.end)
                || type_by_suffix(&f.label).is_some_and(|t| t != EntityType::Project)
                || enumerate::names_site(&f.label)
        }));
        found.extend(titles::titles(sentence));
        self.by_head(sentence, &tokens, &mut found);
        self.paired_works(sentence, &tokens, &mut found);
        self.facility_works(sentence, &tokens, &mut found);
        self.addresses(sentence, &tokens, &mut found);
        self.settled_places(sentence, &mut found);
        elliptical_places(sentence, &places, &mut found);
        let is_place = |p: &str| !self.gazetteer.lookup(p).is_empty();
        found.extend(bodies::government_bodies(sentence, &is_place));
        found.extend(bodies::numbered_schools(sentence, &is_place));
        found.extend(bodies::exchanges(sentence));
        found.extend(subject::org_subjects(sentence, &tokens, &is_place));
        found.extend(subject::counted_firms(sentence));
        found.extend(subject::founded_bodies(sentence, &tokens));
        for (a, b) in places {
            found.push(Found::span(EntityType::Place, sentence, a, b));
        }
        // An item with a proper noun or a place in it, and no generic term or number, can
        // take its neighbours' type.
        let specific = |a: usize, b: usize| {
            let item = &sentence[a..b];
            (tokens
                .iter()
                .filter(|t| a <= t.start && t.end <= b)
                .any(|t| t.anchor)
                || enumerate::names_site(item) && !self.common_word(item))
                && !GENERIC_TERMS.iter().any(|g| item.contains(g))
                && !item.chars().any(|c| c.is_ascii_digit())
        };
        let listed = enumerate::typed_by_list(sentence, &found, &specific);
        found.extend(listed);
        let shared = enumerate::shared_works(sentence, &found, &specific);
        found.extend(shared);
        let joint = enumerate::joint_works(sentence, &found);
        found.extend(joint);
        found.extend(subject::works_becoming(sentence, &tokens, &specific));
        found.retain(|f| match f.etype {
            EntityType::Programme => !is_honour(&f.label),
            // A common noun (超市, 中小学) or a relation between firms (X全资子公司, X类资管)
            // is not an organisation's name.
            EntityType::Organisation => {
                let category = self.common_word(&f.label)
                    && type_by_suffix(&f.label) != Some(EntityType::Organisation)
                    && !GOVERNMENT_BODIES.contains(&f.label.as_str());
                !category && !relates_firms(f, &tokens) && !counted(&f.label)
            }
            _ => true,
        });
        // A programme word inside a work's name (甲桥下空间试点工程) names the work, not a
        // programme.
        let works: Vec<(usize, usize)> = found
            .iter()
            .filter(|f| f.etype == EntityType::Project)
            .map(|f| (f.start, f.end))
            .collect();
        found.retain(|f| {
            let quoted = sentence[..f.start].ends_with(['“', '"']);
            f.etype != EntityType::Programme
                || quoted
                || !works.iter().any(|&(a, b)| a <= f.start && f.end < b)
        });
        // A retyped quote is only the programme it names (see `retyped` above).
        found.retain(|f| f.etype == EntityType::Programme || !retyped.contains(&(f.start, f.end)));
        resolve_overlaps(found)
    }

    /// An ordinary dictionary word: known to the segmenter as one word and not a proper noun.
    fn common_word(&self, w: &str) -> bool {
        if !self.jieba.has_word(w) || !self.gazetteer.lookup(w).is_empty() {
            return false;
        }
        let tags = self.jieba.tag(w, false);
        // Ordinary nouns, verbs, adjectives and idioms; numerals (十四五) are not figures.
        tags.len() == 1
            && matches!(
                tags[0].tag,
                "n" | "v" | "vn" | "a" | "an" | "ad" | "d" | "l" | "i"
            )
    }

    /// Names ending in a typed head word: the name starts at its left boundary (see
    /// `boundary`); places, projects and organisations need a specific word.
    fn by_head(&self, sentence: &str, tokens: &[Token], out: &mut Vec<Found>) {
        for (i, tok) in tokens.iter().enumerate() {
            let Some(etype) = type_by_suffix(tok.word) else {
                continue;
            };
            // 甲乙试点地区, 丙丁示范小区: a designation (pilot or model area) right before or
            // inside a place head names a programme, not a place.
            let designated = etype == EntityType::Place
                && DESIGNATIONS
                    .iter()
                    .any(|d| tok.word.starts_with(d) || i > 0 && tokens[i - 1].word.ends_with(d));
            let etype = match etype {
                EntityType::Place if designated => EntityType::Programme,
                _ => etype,
            };
            let (max_words, need_anchor) = match etype {
                EntityType::Programme => (6, false),
                EntityType::Project => (10, true),
                EntityType::Place => (5, true),
                EntityType::Organisation => (5, true),
            };
            let abbreviation = EVENT_ABBREVIATION_HEADS
                .iter()
                .any(|h| tok.word.ends_with(h) && tok.word.len() > h.len());
            let split_abbreviation = split_event(tokens, i, abbreviation);
            let quotes = matches!(etype, EntityType::Project | EntityType::Programme);
            // An organisation whose only anchor is its head word (国家 + 京剧院/nt) is named
            // by the words before it, as one without anchors is.
            let bare = |s: &usize| *s == i && SUFFIXES.iter().any(|(w, _)| *w == tok.word);
            // A place head the tagger marks as a proper noun (胡同/nr) does not anchor itself.
            let anchored = left_start(tokens, i, max_words, need_anchor, quotes).filter(|s| {
                !(matches!(etype, EntityType::Organisation | EntityType::Place) && bare(s))
            });
            // An institution found earlier in the sentence bounds or anchors a work or place
            // named after it; such a name needs no other specific word (`ordinary`).
            let (anchored, mut ordinary) = match etype {
                EntityType::Project | EntityType::Place => {
                    institution_bound(tokens, i, anchored, out)
                }
                _ => (anchored, false),
            };
            let start = match anchored {
                _ if split_abbreviation => i - 1,
                // An abbreviated event (服贸会) is a whole name: no words join it.
                _ if abbreviation => i,
                Some(s) => s,
                None if etype == EntityType::Organisation => {
                    // 国家话剧院, 中央戏剧学院: public bodies open with 国家/中央/….
                    match left_start(tokens, i, max_words, false, false) {
                        Some(s) if (s..i).any(|k| ORG_OPENERS.contains(&tokens[k].word)) => (s..i)
                            .find(|&k| ORG_OPENERS.contains(&tokens[k].word))
                            .unwrap_or(s),
                        // 复兴医院, 育才学校: hospitals and schools are named with ordinary
                        // words; only descriptors (综合医院, 定点医院) make a category.
                        Some(s) if INSTITUTION_HEADS.contains(&tok.word) => {
                            match ordinary_name(tokens, s, i, false) {
                                Some(s) => s,
                                None => continue,
                            }
                        }
                        _ => continue,
                    }
                }
                // 玫瑰公园, 双塔写字楼: parks, halls and buildings are named with ordinary
                // words too.
                None if etype == EntityType::Place && PLACE_NAME_HEADS.contains(&tok.word) => {
                    match left_start(tokens, i, max_words, false, false)
                        .and_then(|s| ordinary_name(tokens, s, i, true))
                    {
                        Some(s) => {
                            ordinary = true;
                            s
                        }
                        None => continue,
                    }
                }
                None => continue,
            };
            // A quoted word names the programme (“四创”机制): words before it are prose.
            let start = match (start..i).find(|&k| tokens[k].word == "“") {
                Some(q) if etype == EntityType::Programme => q,
                _ => start,
            };
            // 为困难家庭发放市场…, 以甲线保护带动老城: a place name holds no verb, so it
            // starts after the last one.
            let verb = |k: &usize| tokens[*k].tag == "v" && !tokens[*k].anchor;
            let start = match etype {
                EntityType::Place => (start..i).rev().find(verb).map_or(start, |k| k + 1),
                _ => start,
            };
            let modifiers = &tokens[start..i];
            // 试点会馆 alone says which halls are pilots, not which pilot; 示范小区20个 counts
            // places.
            if designated {
                let only_designation = modifiers
                    .iter()
                    .all(|t| DESIGNATIONS.iter().any(|d| t.word.ends_with(d)));
                let counted_after = sentence[tok.end..]
                    .chars()
                    .next()
                    .is_some_and(|c| c.is_ascii_digit());
                if only_designation || counted_after {
                    continue;
                }
            }
            if !split_abbreviation && !ordinary && !self.specific(etype, modifiers, tok) {
                continue;
            }
            let mut b = tok.end;
            if etype == EntityType::Place {
                // 甲路公园全龄友好型公园, 乙桥传统特色街区: a place named and then described
                // by generic words is the named place.
                if let Some(k) = (start..i).rev().find(|&k| self.place_word(tokens[k].word)) {
                    if k + 1 < i && (k + 1..i).all(|d| is_descriptor(tokens[d].word)) {
                        b = tokens[k].end;
                    }
                }
            }
            let a = if abbreviation || split_abbreviation {
                event_start(tokens, i, split_abbreviation, out)
            } else {
                tokens[start].start
            };
            let text = &sentence[a..b];
            let n = text.chars().count();
            if !(2..=MAX_NAME_CHARS).contains(&n) {
                continue;
            }
            // 三大商圈: a numbered set of places is a programme for the set, not a place.
            let etype = match etype {
                EntityType::Place if numbered_set(text) => EntityType::Programme,
                _ => etype,
            };
            out.push(Found {
                etype,
                label: text.to_owned(),
                start: a,
                end: b,
            });
        }
    }

    /// Projects named by two paired works (甲门城楼保护与展示): the name runs from its site
    /// to the second work.
    fn paired_works(&self, sentence: &str, tokens: &[Token], out: &mut Vec<Found>) {
        for i in 2..tokens.len() {
            let pair = PAIRED_WORKS.contains(&tokens[i - 2].word)
                && matches!(tokens[i - 1].word, "与" | "和" | "及")
                && PAIRED_WORKS.contains(&tokens[i].word);
            if !pair {
                continue;
            }
            let Some(start) = left_start(tokens, i - 2, 8, true, false) else {
                continue;
            };
            if start == i - 2 {
                continue;
            }
            push_name(
                out,
                EntityType::Project,
                sentence,
                tokens[start].start,
                tokens[i].end,
            );
        }
    }

    /// The building of a named facility (推进甲乙仲裁中心建设): "建设" after a facility word
    /// is a project whose name runs from the work verb before it; facilities are often named
    /// with ordinary words (区级托育中心), so no proper noun is needed, but a number, a
    /// time or a generic term does not name one (2处立体停车设施, 充电桩).
    fn facility_works(&self, sentence: &str, tokens: &[Token], out: &mut Vec<Found>) {
        for i in 1..tokens.len() {
            let site = &tokens[i - 1];
            if tokens[i].word != "建设" || !FACILITY_WORDS.iter().any(|w| site.word.ends_with(w))
            {
                continue;
            }
            // The name runs back to a work verb (推进/完成/启动…): a centre one serves or
            // supports (服务甲乙中心建设) is a city role, not a building.
            let mut start = i - 1;
            while start > 0
                && i - start <= 7
                && !WORK_VERBS.contains(&tokens[start - 1].word)
                && inner_word(&tokens[start - 1])
            {
                start -= 1;
            }
            if start == 0 || !WORK_VERBS.contains(&tokens[start - 1].word) {
                continue;
            }
            let words = &tokens[start..i];
            if words.iter().any(|t| matches!(t.tag, "m" | "mq")) {
                continue;
            }
            let named: usize = words
                .iter()
                .filter(|t| !matches!(t.tag, "q" | "t"))
                .filter(|t| {
                    !GENERIC_TERMS.contains(&t.word) && !GENERIC_MODIFIERS.contains(&t.word)
                })
                .map(|t| t.word.chars().count())
                .sum();
            if named < 4 {
                continue;
            }
            push_name(
                out,
                EntityType::Project,
                sentence,
                tokens[start].start,
                tokens[i].end,
            );
        }
    }

    /// Street addresses (甲街52号, 乙里3号楼, 丙胡同22号院): a named place, a house number and
    /// 号 (with 院 or 楼) make a place.
    fn addresses(&self, sentence: &str, tokens: &[Token], out: &mut Vec<Found>) {
        for i in 2..tokens.len() {
            let number = tokens[i - 1].word.chars().all(|c| c.is_ascii_digit());
            if !number || !matches!(tokens[i].word, "号" | "号院" | "号楼") {
                continue;
            }
            let mut end = tokens[i].end;
            if tokens[i].word == "号" {
                if let Some(next) = tokens.get(i + 1).filter(|t| matches!(t.word, "院" | "楼")) {
                    end = next.end;
                }
            }
            // The house number belongs to the place name right before it.
            let Some(start) = left_start(tokens, i - 2, 4, true, false) else {
                continue;
            };
            if !self.place_word(tokens[i - 2].word) && !tokens[i - 2].anchor {
                continue;
            }
            let a = tokens[start].start;
            out.push(Found::span(EntityType::Place, sentence, a, end));
        }
    }

    /// A word that ends a place name on its own: a place head or a gazetteer name.
    fn place_word(&self, w: &str) -> bool {
        type_by_suffix(w) == Some(EntityType::Place) || !self.gazetteer.lookup(w).is_empty()
    }

    /// Whether the words before a head make a specific name rather than a category.
    fn specific(&self, etype: EntityType, modifiers: &[Token], head: &Token) -> bool {
        let head_is_suffix = SUFFIXES.iter().any(|(s, _)| *s == head.word);
        let known = !self.gazetteer.lookup(head.word).is_empty();
        if modifiers.is_empty() {
            // A bare head word is a category (项目, 公园) unless it is itself a name; a short
            // place word (友城, 斜街) or one tagged as a personal name (幼儿园/nr) is a place
            // name only when the gazetteer knows it.
            let doubtful_place = etype == EntityType::Place
                && (head.word.chars().count() <= 2 || self.known_personal(head));
            return !head_is_suffix && head.anchor && (known || !doubtful_place);
        }
        if etype == EntityType::Place && known {
            // A known place is a whole name: words before it (中国式现代化西城) are prose.
            return false;
        }
        let content: Vec<&Token> = modifiers
            .iter()
            .filter(|t| !GENERIC_MODIFIERS.contains(&t.word))
            .collect();
        // Characters of specific words: a time or a number does not name anything.
        let chars: usize = content
            .iter()
            .filter(|t| !matches!(t.tag, "m" | "t" | "q" | "mq"))
            .map(|t| t.word.chars().count())
            .sum();
        match etype {
            EntityType::Programme if WEAK_HEADS.iter().any(|h| head.word.ends_with(h)) => {
                // 工作机制, 专项行动: generic reforms and mechanisms are not named ones; a
                // long specific subject names a plan, pilot or campaign (安全生产专项整治三年
                // 行动), but a mechanism, system or scheme told in ordinary words
                // (项目滚动接续机制) describes how work is done. A quoted word (“甲乙”机制)
                // or an ordinal (第四次全国…普查, 第二轮…行动计划) names one too.
                let ordinal = content
                    .iter()
                    .any(|t| t.word.starts_with('第') && t.word.chars().count() >= 2);
                let described = DESCRIBED_HEADS.iter().any(|h| head.word.ends_with(h));
                let quoted = modifiers.iter().any(|t| t.word == "“");
                content.iter().any(|t| t.anchor) || quoted || chars >= 5 && !described || ordinal
            }
            // 路长制, 河长制: a responsibility system is named by one character (its domain).
            EntityType::Programme if head.word == "长制" => chars >= 1,
            // 三年行动计划: a time or a number alone does not name a programme.
            EntityType::Programme => chars >= 2,
            // 在施项目: one character before the head is a qualifier, not a name.
            // A district or city does not name a work (甲区累计入库项目 is a count).
            EntityType::Project => {
                let site: Vec<&&Token> = content
                    .iter()
                    .filter(|t| !self.administrative(t.word))
                    .collect();
                site.iter().any(|t| t.anchor || t.word.starts_with('“'))
                    && site.iter().map(|t| t.word.chars().count()).sum::<usize>() >= 2
            }
            // 幼儿园/nr, 智慧/nr 小区: the tagger reads some dictionary words as personal
            // names; such a word names a place only as its person (曹雪芹故居, 于谦祠).
            EntityType::Place => {
                let person_place = PERSON_PLACE_HEADS.iter().any(|h| head.word.ends_with(h));
                !content.is_empty()
                    && (person_place
                        || modifiers
                            .iter()
                            .chain([head])
                            .any(|t| t.anchor && !self.known_personal(t)))
            }
            _ => !content.is_empty(),
        }
    }

    /// A known district or city (甲区, 乙市): the scope of a report, not a site.
    fn administrative(&self, w: &str) -> bool {
        w.ends_with(['区', '市']) && !self.gazetteer.lookup(w).is_empty()
    }

    /// A dictionary word tagged as a personal name (the tagger's guess, often wrong) that is
    /// neither a known place nor a place word itself (王府井, 隆福寺 may carry the tag too).
    fn known_personal(&self, t: &Token) -> bool {
        t.tag == "nr" && self.jieba.has_word(t.word) && !self.place_word(t.word)
    }

    /// Objects of settling verbs (落户金宝街, 入驻青桐园) are places.
    fn settled_places(&self, sentence: &str, out: &mut Vec<Found>) {
        for verb in SETTLE_VERBS.iter().filter(|v| **v != "落地") {
            for (at, _) in sentence.match_indices(verb) {
                let a = at + verb.len();
                let b = sentence[a..]
                    .char_indices()
                    .find(|(_, c)| !super::tokens::is_cjk(*c) && !c.is_ascii_alphanumeric())
                    .map(|(i, _)| a + i)
                    .unwrap_or(sentence.len());
                let obj = &sentence[a..b];
                let n = obj.chars().count();
                // 入驻为契机, 落户后: a function word after the verb means no place follows.
                let opening = [
                    '我', '本', '全', '东', '西', '为', '以', '的', '了', '后', '和',
                ];
                // 落户经营: a verb after the settling verb is not a place.
                if (2..=6).contains(&n) && !obj.starts_with(opening) && !self.common_word(obj) {
                    out.push(Found {
                        etype: EntityType::Place,
                        label: obj.to_owned(),
                        start: a,
                        end: b,
                    });
                }
            }
        }
    }
}

/// Directions that split a place into parts (甲门东区, 甲门西区).
const DIRECTIONS: [char; 5] = ['东', '西', '南', '北', '中'];

/// Elliptical coordination of a place's parts: "甲门东、西区" names 甲门东区 and 甲门西区, and
/// a work named after the second part (西区一体化建设) starts at the place (甲门东、西区
/// 一体化建设). `places` are the gazetteer spans of the sentence.
fn elliptical_places(sentence: &str, places: &[(usize, usize)], found: &mut Vec<Found>) {
    for &(a, b) in places {
        let mut rest = sentence[b..].chars();
        let (Some(d1), Some('、'), Some(d2), Some('区')) =
            (rest.next(), rest.next(), rest.next(), rest.next())
        else {
            continue;
        };
        if !DIRECTIONS.contains(&d1) || !DIRECTIONS.contains(&d2) {
            continue;
        }
        let place = &sentence[a..b];
        let second = b + d1.len_utf8() + '、'.len_utf8();
        let end = second + d2.len_utf8() + '区'.len_utf8();
        for (label, start, stop) in [
            (format!("{place}{d1}区"), a, b + d1.len_utf8()),
            (format!("{place}{d2}区"), second, end),
        ] {
            found.push(Found {
                etype: EntityType::Place,
                label,
                start,
                end: stop,
            });
        }
        for f in found.iter_mut() {
            if f.etype == EntityType::Project && f.start == second {
                f.start = a;
                f.label = sentence[a..f.end].to_owned();
            }
        }
    }
}

/// Adds `sentence[a..b]` as a candidate of type `etype` unless it is too long for a name.
fn push_name(out: &mut Vec<Found>, etype: EntityType, sentence: &str, a: usize, b: usize) {
    if sentence[a..b].chars().count() <= MAX_NAME_CHARS {
        out.push(Found::span(etype, sentence, a, b));
    }
}

/// Whether the segmenter split an abbreviated event at `tokens[i]` (`abbreviation`: the
/// word is one already) from a character of its own: 服 + 贸会, 年服 + 贸会, or a season
/// before a whole event (冬 + 残奥会).
fn split_event(tokens: &[Token], i: usize, abbreviation: bool) -> bool {
    let Some(prev) = i.checked_sub(1).map(|k| &tokens[k]) else {
        return false;
    };
    let cjk_end = prev.word.chars().last().is_some_and(super::tokens::is_cjk);
    EVENT_ABBREVIATION_HEADS.contains(&tokens[i].word) && cjk_end
        || abbreviation
            && cjk_end
            && prev.word.chars().count() == 1
            && !STOP_TAGS_BEFORE_EVENT.contains(&prev.tag)
}

/// Byte start of the abbreviated event at `tokens[i]`: with its split-off character
/// (`split`), and from the start of an event held together with it right before it
/// (夏奥会夏残奥会 is one name).
fn event_start(tokens: &[Token], i: usize, split: bool, found: &[Found]) -> usize {
    let a = if split {
        let prev = &tokens[i - 1];
        prev.end - prev.word.chars().last().map_or(0, char::len_utf8)
    } else {
        tokens[i].start
    };
    found
        .iter()
        .rev()
        .find(|f| {
            f.etype == EntityType::Programme
                && f.end == a
                && EVENT_ABBREVIATION_HEADS
                    .iter()
                    .any(|h| f.label.ends_with(h))
        })
        .map_or(a, |f| f.start)
}

/// The start of a work or place name at head `i` given the institutions already `found`: a
/// name never starts inside an institution's name (国家|京剧院住宅楼), and one without a
/// specific word of its own starts at the institution it is named after (甲乙医院异地迁建,
/// 甲乙厂项目); the flag tells that the institution makes it specific.
fn institution_bound(
    tokens: &[Token],
    i: usize,
    anchored: Option<usize>,
    found: &[Found],
) -> (Option<usize>, bool) {
    match anchored {
        Some(s) if s < i => {
            let inside = found.iter().find(|f| {
                f.etype == EntityType::Organisation
                    && f.start < tokens[s].start
                    && tokens[s].start < f.end
            });
            let s = inside
                .and_then(|f| tokens.iter().position(|t| t.start == f.start))
                .unwrap_or(s);
            (Some(s), false)
        }
        _ => match institution_start(tokens, i, found) {
            Some(s) => (Some(s), true),
            None => (anchored, false),
        },
    }
}

/// Whether an organisation candidate holds a word relating or listing firms (X全资子公司,
/// A和B); conjunctions count only as whole words (仁和医院 is a name).
fn relates_firms(f: &Found, tokens: &[Token]) -> bool {
    ORG_RELATION_WORDS.iter().any(|w| {
        if !matches!(*w, "和" | "及" | "并" | "为") {
            f.label.contains(w)
        } else {
            tokens
                .iter()
                .any(|t| t.word == *w && f.start <= t.start && t.end <= f.end)
        }
    })
}

/// Where a work on an institution, or a place named after one, starts (甲乙医院异地迁建,
/// 甲乙厂项目, 甲乙剧院住宅楼): at the earliest organisation found by its own head (earlier
/// in `found`) that lies inside the name's left boundary or ends right before the head `i`.
fn institution_start(tokens: &[Token], i: usize, found: &[Found]) -> Option<usize> {
    let s = left_start(tokens, i, 10, false, true)?;
    let (a, z) = (tokens[s].start, tokens[i].start);
    let first = found
        .iter()
        .filter(|f| {
            f.etype == EntityType::Organisation && f.end <= z && (a <= f.start || f.end == z)
        })
        .map(|f| f.start)
        .min()?;
    tokens.iter().position(|t| t.start == first)
}

/// Start of a name of up to two ordinary words before the head `i` (复兴医院, 玫瑰公园), from
/// the boundary `s` (`place`: a place name, which may hold a direction); `None` when the
/// words are generic, descriptive, a number or a time
/// (综合医院, 城市公园, 3座公园) rather than a name.
fn ordinary_name(tokens: &[Token], s: usize, i: usize, place: bool) -> Option<usize> {
    let s = s.max(i.saturating_sub(2));
    let named = (s..i).all(|k| {
        let t = &tokens[k];
        !GENERIC_MODIFIERS.contains(&t.word)
            && !GENERIC_TERMS.contains(&t.word)
            && !INSTITUTION_DESCRIPTORS.contains(&t.word)
            && !PLACE_DESCRIPTORS.contains(&t.word)
            && (!matches!(t.tag, "m" | "q" | "mq" | "t" | "f" | "v" | "c" | "p")
                || t.word.starts_with('第')
                // Places are named with directions (中绦胡同, 东四).
                || place && t.tag == "f" && t.word.chars().count() == 1)
            && type_by_suffix(t.word) != Some(EntityType::Organisation)
    });
    let chars: usize = (s..i).map(|k| tokens[k].word.chars().count()).sum();
    (named && chars >= 2).then_some(s)
}

/// A count of things (10座小型消防站, 3家银行) is not a name.
fn counted(label: &str) -> bool {
    let chars: Vec<char> = label.chars().collect();
    chars
        .windows(2)
        .any(|w| w[0].is_ascii_digit() && "座家个所处项条".contains(w[1]))
}

/// A numbered set (三大商圈, 四大片区): a numeral, then 大.
fn numbered_set(label: &str) -> bool {
    let mut chars = label.chars();
    chars
        .next()
        .is_some_and(|c| "一二两三四五六七八九十".contains(c))
        && chars.next() == Some('大')
}

/// Generic words that describe a place (特色, 全龄友好型) rather than name it.
fn is_descriptor(w: &str) -> bool {
    GENERIC_TERMS.contains(&w) || PLACE_DESCRIPTORS.contains(&w)
}

/// Honours, rankings, assemblies, indices, kinds of reform and of funds, and working papers:
/// named, but not programmes (see `lexicon::NOT_PROGRAMME_TAILS`).
pub fn is_honour(label: &str) -> bool {
    let label = label.trim_end_matches(['”', '"', '》']);
    NOT_PROGRAMME_TAILS.iter().any(|t| label.ends_with(t))
}

/// The type given by the longest suffix `word` ends with.
pub fn type_by_suffix(word: &str) -> Option<EntityType> {
    if NOT_HEADS.iter().any(|w| word.ends_with(w)) {
        return None;
    }
    SUFFIXES
        .iter()
        .filter(|(s, _)| word.ends_with(s))
        .max_by_key(|(s, _)| s.len())
        .map(|(_, t)| *t)
}

/// Which type wins when one span is a candidate for several: the reading given by sentence
/// structure (a list of works makes its items projects) before the one given by a head
/// word or the gazetteer.
fn type_priority(t: EntityType) -> u8 {
    match t {
        EntityType::Project => 0,
        EntityType::Organisation => 1,
        EntityType::Place => 2,
        EntityType::Programme => 3,
    }
}

/// A project may share its span with a place or an organisation: a work named only by its
/// site (青石会馆) or by the institution whose building it is (甲医院).
fn site_of_work(a: EntityType, b: EntityType) -> bool {
    use EntityType::{Organisation, Place, Project};
    matches!(
        (a, b),
        (Project, Place | Organisation) | (Place | Organisation, Project)
    )
}

/// Settles overlaps: within one type the longest candidate wins (earliest on ties); across
/// types both are kept, since a place or organisation inside a project name is an entity of
/// its own (普仁医院 in 普仁医院病房楼改造项目). The very same span keeps one type, except a
/// work named by its site (a project and a place).
pub fn resolve_overlaps(mut found: Vec<Found>) -> Vec<Found> {
    found.sort_by(|a, b| {
        (b.end - b.start)
            .cmp(&(a.end - a.start))
            .then(a.start.cmp(&b.start))
            .then(type_priority(a.etype).cmp(&type_priority(b.etype)))
    });
    let mut kept: Vec<Found> = Vec::new();
    for f in found {
        // One span names one entity, so the same span under two types keeps the first by
        // type priority, except a work named by its site (a project and a place).
        let clash = kept.iter().any(|k| {
            k.etype == f.etype && f.start < k.end && k.start < f.end
                || (k.start == f.start && k.end == f.end) && !site_of_work(k.etype, f.etype)
        });
        if !clash {
            kept.push(f);
        }
    }
    kept.sort_by_key(|f| (f.start, f.end, f.etype));
    kept
}

#[cfg(test)]
mod tests {
    use super::*;

    fn recogniser() -> Recogniser {
        Recogniser::new(std::sync::Arc::new(
            Gazetteer::bundled().expect("the bundled gazetteer parses"),
        ))
    }

    #[test]
    fn a_subject_that_becomes_a_project_is_a_work() {
        let r = recogniser();
        let got = labels_of(
            &r,
            "泰和里成为全国首个文物活化利用信用融资项目。",
            EntityType::Project,
        );
        assert!(got.contains(&"泰和里".to_owned()), "{got:?}");
        // Becoming something other than a work does not make one.
        let got = labels_of(&r, "泰和里成为休闲新空间。", EntityType::Project);
        assert!(got.is_empty(), "{got:?}");
    }

    #[test]
    fn numbered_sets_of_places_are_programmes() {
        assert!(numbered_set("三大商圈"));
        assert!(numbered_set("三大片区"));
        assert!(!numbered_set("大观楼"));
        assert!(!numbered_set("九龙里"));
    }

    #[test]
    fn honours_and_events() {
        assert!(is_honour("青山市节能减排先进集体"));
        assert!(is_honour("全国文化企业30强"));
        assert!(!is_honour("青山文化节"));
        assert_eq!(type_by_suffix("消博会"), Some(EntityType::Programme));
        let r = recogniser();
        let labels: Vec<String> = r
            .recognise("甲乙科技正式迁入青山，丙丁资本设立首家期货公司。")
            .into_iter()
            .filter(|f| f.etype == EntityType::Organisation)
            .map(|f| f.label)
            .collect();
        assert!(labels.contains(&"甲乙科技".to_owned()), "{labels:?}");
    }

    /// Labels of one type recognised in `s`.
    fn labels_of(r: &Recogniser, s: &str, etype: EntityType) -> Vec<String> {
        r.recognise(s)
            .into_iter()
            .filter(|f| f.etype == etype)
            .map(|f| f.label)
            .collect()
    }

    #[test]
    fn paired_works_and_locatives_keep_the_site() {
        let r = recogniser();
        let projects = |s: &str| labels_of(&r, s, EntityType::Project);
        assert_eq!(
            projects("完成西直门城楼保护与展示。"),
            ["西直门城楼保护与展示"]
        );
        assert_eq!(
            projects("完成积水潭桥下空间试点工程。"),
            ["积水潭桥下空间试点工程"]
        );
        // A kind of work without a site is not a project.
        assert!(projects("开展屋顶清扫等大气治理示范工程。").is_empty());
    }

    #[test]
    fn addresses_are_places() {
        let r = recogniser();
        let places = labels_of(&r, "将鹤鸣街52号转型为科创空间。", EntityType::Place);
        assert!(places.contains(&"鹤鸣街52号".to_owned()), "{places:?}");
        // A count is not a house number.
        let places = labels_of(&r, "新增52个充电桩。", EntityType::Place);
        assert!(places.is_empty(), "{places:?}");
    }

    #[test]
    fn ordinals_and_split_event_abbreviations_name_programmes() {
        let r = recogniser();
        let programmes = |s: &str| labels_of(&r, s, EntityType::Programme);
        assert_eq!(
            programmes("做好第七次全国人口普查工作。"),
            ["第七次全国人口普查"]
        );
        assert_eq!(programmes("成功举办数贸会。"), ["数贸会"]);
        assert_eq!(programmes("组织2025年数贸会展览。"), ["数贸会"]);
        // Two events held together are one name; a season character belongs to its event.
        assert_eq!(programmes("服务保障夏奥会夏残奥会。"), ["夏奥会夏残奥会"]);
        assert_eq!(
            programmes("完成夏奥会、夏残奥会保障。"),
            ["夏奥会", "夏残奥会"]
        );
    }

    #[test]
    fn founded_bodies_and_institutions_are_organisations() {
        let r = recogniser();
        let orgs = |s: &str| labels_of(&r, s, EntityType::Organisation);
        assert_eq!(orgs("创建青山金融研究院。"), ["青山金融研究院"]);
        assert_eq!(
            orgs("成立区住房保障工作领导小组和工作专班。"),
            ["区住房保障工作领导小组"]
        );
        assert_eq!(orgs("推动城市服务建设集团组建。"), ["城市服务建设集团"]);
        // A conjunction inside a word does not split a name (仁和).
        assert_eq!(orgs("改善仁和医院周边交通秩序。"), ["仁和医院"]);
        // Items listed before a firm subject share its verb.
        assert_eq!(
            orgs("青松财务、白鹭财务成功接入支付系统。"),
            ["青松财务", "白鹭财务"]
        );
        // A work on an institution's building names the institution.
        assert_eq!(
            orgs("完成青山医院、白云派出所等降层改造。"),
            ["青山医院", "白云派出所"]
        );
    }

    #[test]
    fn works_on_facilities_and_institutions_are_projects() {
        let r = recogniser();
        let projects = |s: &str| labels_of(&r, s, EntityType::Project);
        assert_eq!(
            projects("推进国际海事仲裁中心建设。"),
            ["国际海事仲裁中心建设"]
        );
        // A centre the district serves is a city role, not a building.
        assert!(projects("积极服务国家航运管理中心建设。").is_empty());
        // A district does not name a work: this is a count of projects.
        assert!(projects("西城区累计入库项目89个。").is_empty());
        assert_eq!(
            projects("完成第三人民医院异地迁建。"),
            ["第三人民医院异地迁建"]
        );
    }

    #[test]
    fn mechanisms_told_in_ordinary_words_are_not_programmes() {
        let r = recogniser();
        let programmes = |s: &str| labels_of(&r, s, EntityType::Programme);
        assert!(programmes("建立项目滚动接续机制。").is_empty());
        assert_eq!(
            programmes("建立“心连心”转诊急救机制。"),
            ["“心连心”转诊急救机制"]
        );
        assert_eq!(
            programmes("开展安全生产专项整治三年行动。"),
            ["安全生产专项整治三年行动"]
        );
    }

    #[test]
    fn places_named_with_ordinary_words_or_after_an_institution() {
        let r = recogniser();
        let places = |s: &str| labels_of(&r, s, EntityType::Place);
        assert_eq!(places("完成玫瑰公园改造。"), ["玫瑰公园"]);
        assert_eq!(
            places("完成面条胡同、茶叶胡同停车设施建设。"),
            ["面条胡同", "茶叶胡同"]
        );
        // Descriptive words make a category, not a name.
        assert!(places("新建城市公园3处。").is_empty());
        assert_eq!(
            places("腾退国家歌剧院高层住宅楼。"),
            ["国家歌剧院高层住宅楼"]
        );
        // A list item takes the type its neighbours share.
        let listed = places("统筹抓好青山广场、信石中心、金帆大厦等组团建设。");
        assert!(listed.contains(&"信石中心".to_owned()), "{listed:?}");
        // Elliptical coordination names both parts, and the work on them starts at the place.
        assert_eq!(places("完成天桥南、北区改造。"), ["天桥南区", "天桥北区"]);
        assert_eq!(
            labels_of(&r, "完成天桥南、北区改造。", EntityType::Project),
            ["天桥南、北区改造"]
        );
        // A pilot area is a programme's designation, not a place; it names the programme
        // unless it only says which places are pilots or counts them.
        assert!(places("入选全国十分钟便民生活圈试点地区。").is_empty());
        let r = recogniser();
        let programmes = |s: &str| labels_of(&r, s, EntityType::Programme);
        assert_eq!(
            programmes("开展厨余回收示范小区创建。"),
            ["厨余回收示范小区"]
        );
        assert!(programmes("新建厨余回收示范小区20个。").is_empty());
        assert!(programmes("推进甲会馆等试点会馆亮相。").is_empty());
        // A figure with a unit is a specification, not a name.
        assert!(places("建成110kV变电站。").is_empty());
        // A place name holds no prose verb.
        assert!(places("为困难家庭发放市场租房补贴。").is_empty());
    }
}
