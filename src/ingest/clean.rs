//! Cleaning: HTML to text and removal of web boilerplate, keeping a map back to the original.

use regex::Regex;
use std::sync::LazyLock;

/// A piece of cleaned text copied from the source at `orig_start`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
struct Segment {
    clean_start: usize,
    orig_start: usize,
    len: usize,
}

/// Text derived from an original by dropping and copying ranges; byte offsets map back.
#[derive(Debug, Clone, Default)]
pub struct Cleaned {
    pub text: String,
    segments: Vec<Segment>,
}

impl Cleaned {
    /// The original text itself.
    pub fn identity(original: &str) -> Self {
        Self {
            text: original.to_owned(),
            segments: vec![Segment {
                clean_start: 0,
                orig_start: 0,
                len: original.len(),
            }],
        }
    }

    /// Byte offset in the original text of byte `pos` of the cleaned text.
    pub fn to_original(&self, pos: usize) -> usize {
        let idx = self.segments.partition_point(|s| s.clean_start <= pos);
        match idx.checked_sub(1).map(|i| self.segments[i]) {
            Some(s) => s.orig_start + (pos - s.clean_start).min(s.len),
            None => 0,
        }
    }

    /// Appends `src.text[a..b]`, keeping the mapping of `src` to its original.
    fn push_range(&mut self, src: &Cleaned, a: usize, b: usize) {
        let first = src.segments.partition_point(|s| s.clean_start + s.len <= a);
        for s in &src.segments[first..] {
            if s.clean_start >= b {
                break;
            }
            let lo = a.max(s.clean_start);
            let hi = b.min(s.clean_start + s.len);
            if lo < hi {
                self.push_mapped(&src.text[lo..hi], s.orig_start + (lo - s.clean_start));
            }
        }
    }

    /// Appends `piece`, which stands at `orig_start` of the original.
    fn push_mapped(&mut self, piece: &str, orig_start: usize) {
        let clean_start = self.text.len();
        self.text.push_str(piece);
        match self.segments.last_mut() {
            Some(last)
                if last.clean_start + last.len == clean_start
                    && last.orig_start + last.len == orig_start =>
            {
                last.len += piece.len()
            }
            _ => self.segments.push(Segment {
                clean_start,
                orig_start,
                len: piece.len(),
            }),
        }
    }
}

static LINE_BOILERPLATE: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(concat!(
        r"^(?:设为首页|收藏本站|查看[:：]\s*\d+|\[?复制链接\]?|TA的每日心情|签到天数|\[LV\.\d|Rank[:：]|",
        r"发表于\s*\d|只看该作者|显示全部楼层|阅读模式|您需要登录|本版积分规则|客服中心|在线时间|",
        r"联系电话|在线咨询|快速回复|返回顶部|返回列表|Powered by|字号[:：]?|分享到|打印本页|关闭窗口|",
        r"主办[:：]|承办[:：]|政府网站标识码|版权所有|Copyright|您访问的链接即将离开|欢迎下载|",
        r"对于侵权行为|长按二维码|扫一扫|.*ICP备\d|.*公网安备|.{0,20}\(ID[:：]|.{0,20}（ID[:：]|",
        r"日期[:：]\s*\d{4}-\d{1,2}-\d{1,2}|上一篇|下一篇|【打印】|【关闭】)"
    ))
    .expect("valid boilerplate regex")
});

static INLINE_BOILERPLATE: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(concat!(
        r"扫一扫在手机上打开(?:当前)?页面|更多精彩请关注\s*\S{1,20}?(?:微信号|公众号)\s*|",
        r"[(（]资料图片[)）]|[(（]图片来源[^)）]{0,20}[)）]"
    ))
    .expect("valid inline boilerplate regex")
});

/// Punctuation that only running prose has; menu fragments lack it.
fn has_sentence_punctuation(line: &str) -> bool {
    line.chars().any(|c| {
        matches!(
            c,
            '，' | '。' | '；' | '：' | '、' | '！' | '？' | '“' | '”' | ',' | ';'
        )
    })
}

/// Words of titles and headings, which are short but are not menus.
const TITLE_WORDS: [&str; 8] = [
    "报告", "会议", "工作", "计划", "情况", "代表", "政府", "发展",
];

fn is_menu_fragment(line: &str) -> bool {
    line.chars().filter(|c| !c.is_whitespace()).count() <= 8
        && !has_sentence_punctuation(line)
        && !TITLE_WORDS.iter().any(|w| line.contains(w))
}

/// Removes web boilerplate lines and phrases; what is kept maps back to `input`'s original.
pub fn clean(input: &Cleaned) -> Cleaned {
    let text = &input.text;
    // Trimmed line ranges.
    let mut lines = Vec::new();
    let mut start = 0;
    for piece in text.split_inclusive('\n') {
        let end = start + piece.len();
        let content = piece.trim_end_matches(['\n', '\r']);
        let lead = content.len() - content.trim_start().len();
        let trimmed = content.trim();
        if !trimmed.is_empty() {
            lines.push((start + lead, start + lead + trimmed.len()));
        }
        start = end;
    }
    // A run of three or more short fragments is a menu or a user card.
    let mut drop = vec![false; lines.len()];
    let mut i = 0;
    while i < lines.len() {
        let mut j = i;
        while j < lines.len() && is_menu_fragment(&text[lines[j].0..lines[j].1]) {
            j += 1;
        }
        if j - i >= 3 {
            drop[i..j].iter_mut().for_each(|d| *d = true);
        }
        i = j.max(i + 1);
    }
    let mut out = Cleaned::default();
    for (k, &(a, b)) in lines.iter().enumerate() {
        let line = &text[a..b];
        if drop[k] || LINE_BOILERPLATE.is_match(line) {
            continue;
        }
        let mut pos = a;
        let before = out.text.len();
        for m in INLINE_BOILERPLATE.find_iter(line) {
            out.push_range(input, pos, a + m.start());
            pos = a + m.end();
        }
        out.push_range(input, pos, b);
        if out.text[before..].trim().is_empty() {
            out.text.truncate(before);
            out.segments.retain(|s| s.clean_start < before);
            continue;
        }
        out.push_mapped("\n", input.to_original(b));
    }
    out
}

static HTML_SKIP: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(
        r"(?is)<(script|style|noscript|head)\b.*?</(script|style|noscript|head)\s*>|<!--.*?-->",
    )
    .expect("valid html skip regex")
});
static HTML_TAG_OR_ENTITY: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"(?s)<(/?)([A-Za-z][A-Za-z0-9]*)[^>]*>|&(#x[0-9A-Fa-f]+|#[0-9]+|[A-Za-z]+);")
        .expect("valid html tag regex")
});

const BLOCK_TAGS: [&str; 16] = [
    "p", "div", "br", "li", "tr", "h1", "h2", "h3", "h4", "h5", "h6", "table", "section",
    "article", "ul", "title",
];

/// Drops tags, scripts and styles; block tags become line breaks and entities are decoded.
pub fn strip_html(original: &str) -> Cleaned {
    let mut out = Cleaned::default();
    let mut pos = 0;
    while pos < original.len() {
        let skip = HTML_SKIP.find_at(original, pos);
        let tag = HTML_TAG_OR_ENTITY.find_at(original, pos);
        let next = match (skip, tag) {
            (Some(s), Some(t)) if s.start() <= t.start() => Some((s, true)),
            (_, Some(t)) => Some((t, false)),
            (Some(s), None) => Some((s, true)),
            (None, None) => None,
        };
        let Some((m, is_skip)) = next else {
            break;
        };
        out.push_mapped(&original[pos..m.start()], pos);
        pos = m.end();
        if is_skip {
            continue;
        }
        let caps = HTML_TAG_OR_ENTITY.captures(m.as_str()).expect("matched");
        if let Some(tag) = caps.get(2) {
            if BLOCK_TAGS.contains(&tag.as_str().to_ascii_lowercase().as_str()) {
                out.push_mapped("\n", m.start());
            }
        } else if let Some(entity) = caps.get(3) {
            if let Some(c) = decode_entity(entity.as_str()) {
                out.push_mapped(c.encode_utf8(&mut [0; 4]), m.start());
            }
        }
    }
    out.push_mapped(&original[pos..], pos);
    out
}

fn decode_entity(name: &str) -> Option<char> {
    if let Some(hex) = name.strip_prefix("#x").or_else(|| name.strip_prefix("#X")) {
        return u32::from_str_radix(hex, 16).ok().and_then(char::from_u32);
    }
    if let Some(dec) = name.strip_prefix('#') {
        return dec.parse().ok().and_then(char::from_u32);
    }
    Some(match name {
        "nbsp" | "ensp" | "emsp" => ' ',
        "amp" => '&',
        "lt" => '<',
        "gt" => '>',
        "quot" => '"',
        "apos" => '\'',
        "ldquo" => '“',
        "rdquo" => '”',
        "middot" => '·',
        "mdash" => '—',
        _ => return None,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn removes_forum_chrome_and_keeps_offsets() {
        let original = "设为首页收藏本站\n  开心\n  1万\n  主题\n  帖子\n  政府工作报告\n  各位代表：望坛棚改项目完成。扫一扫在手机上打开页面\n京ICP备19014909号-1\n";
        let cleaned = clean(&Cleaned::identity(original));
        assert_eq!(cleaned.text, "政府工作报告\n各位代表：望坛棚改项目完成。\n");
        let at = cleaned.text.find("望坛").expect("kept");
        let orig = cleaned.to_original(at);
        assert_eq!(&original[orig..orig + "望坛".len()], "望坛");
    }

    #[test]
    fn html_to_text() {
        let html = "<html><head><title>x</title></head><body><p>钟鼓楼&amp;万宁桥</p><script>var a='<p>';</script><div>前门</div></body></html>";
        let text = strip_html(html);
        let cleaned = clean(&text);
        assert_eq!(cleaned.text, "钟鼓楼&万宁桥\n前门\n");
        let at = cleaned.text.find("前门").expect("kept");
        let orig = cleaned.to_original(at);
        assert_eq!(&html[orig..orig + "前门".len()], "前门");
    }
}
