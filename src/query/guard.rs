//! A complexity guard in front of the SPARQL parser.
//!
//! Oxigraph parses and evaluates queries recursively: every nested bracket, and every link
//! of a chain (`a || b || c …`, `{A} UNION {B} UNION …`, `?a + ?b + …`, `p1/p2/…`), is a
//! level of recursion. A query of a few kilobytes could otherwise exhaust a thread's stack
//! and abort the whole process. The guard counts both without parsing: it skips strings,
//! IRIs and comments, and refuses what is deeper or longer than any real query.

/// Deepest nesting of `(`, `[` and `{` accepted.
pub const MAX_NESTING: usize = 64;

/// Most chaining tokens accepted: operators, `{` and the keywords UNION, MINUS, OPTIONAL.
pub const MAX_CHAIN: usize = 2000;

/// Stack size that evaluation threads get, so that queries within the guard's limits fit
/// with a wide margin (the memory is reserved, and only touched as deep as used).
pub const STACK_BYTES: usize = 64 << 20;

/// Checks `text` against [`MAX_NESTING`] and [`MAX_CHAIN`]; says which it exceeds.
pub fn check(text: &str) -> Result<(), String> {
    let chars: Vec<char> = text.chars().collect();
    let mut depth = 0usize;
    let mut chain = 0usize;
    let mut i = 0;
    while i < chars.len() {
        let c = chars[i];
        match c {
            '#' => i = skip_to_line_end(&chars, i),
            '"' | '\'' => i = skip_string(&chars, i),
            '<' if iri_end(&chars, i).is_some() => i = iri_end(&chars, i).unwrap_or(i),
            '(' | '[' | '{' => {
                depth += 1;
                if depth > MAX_NESTING {
                    return Err(format!("brackets nested more than {MAX_NESTING} deep"));
                }
                if c == '{' {
                    chain += 1;
                }
            }
            ')' | ']' | '}' => depth = depth.saturating_sub(1),
            '|' | '&' | '/' | '+' | '-' | '*' | '=' | '<' | '>' | '^' | '!' => chain += 1,
            _ if c.is_ascii_alphabetic() => {
                let start = i;
                while i + 1 < chars.len() && (chars[i + 1].is_alphanumeric() || chars[i + 1] == '_')
                {
                    i += 1;
                }
                let word: String = chars[start..=i].iter().collect();
                if ["UNION", "MINUS", "OPTIONAL"]
                    .iter()
                    .any(|k| word.eq_ignore_ascii_case(k))
                {
                    chain += 1;
                }
            }
            _ => {}
        }
        if chain > MAX_CHAIN {
            return Err(format!(
                "more than {MAX_CHAIN} operators, groups and UNION/MINUS/OPTIONAL keywords"
            ));
        }
        i += 1;
    }
    Ok(())
}

fn skip_to_line_end(chars: &[char], mut i: usize) -> usize {
    while i < chars.len() && chars[i] != '\n' {
        i += 1;
    }
    i
}

/// Index of the closing quote of the string opening at `i` (short or long form).
fn skip_string(chars: &[char], i: usize) -> usize {
    let q = chars[i];
    let long = chars.get(i + 1) == Some(&q) && chars.get(i + 2) == Some(&q);
    let mut j = if long { i + 3 } else { i + 1 };
    while j < chars.len() {
        match chars[j] {
            '\\' => j += 1,
            c if c == q && !long => return j,
            c if c == q && chars.get(j + 1) == Some(&q) && chars.get(j + 2) == Some(&q) => {
                return j + 2
            }
            '\n' if !long => return j,
            _ => {}
        }
        j += 1;
    }
    chars.len()
}

/// Index of the `>` closing an IRI reference opening at `i`, if `<` opens one there.
fn iri_end(chars: &[char], i: usize) -> Option<usize> {
    let mut j = i + 1;
    while j < chars.len() {
        match chars[j] {
            '>' => return Some(j),
            c if c <= ' ' || "<\"{}|^`\\".contains(c) => return None,
            _ => j += 1,
        }
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn real_queries_pass_and_pathological_ones_do_not() {
        assert!(
            check("SELECT * WHERE { ?s <http://x/y#z> \"((({{{\" . FILTER(?a < 3) } # ((((")
                .is_ok()
        );
        let deep = format!(
            "ASK {{ FILTER({}1{}) }}",
            "(".repeat(4000),
            ")".repeat(4000)
        );
        assert!(check(&deep).unwrap_err().contains("nested"));
        let chain = format!("ASK {{ FILTER(1{}) }}", " || 1".repeat(3000));
        assert!(check(&chain).unwrap_err().contains("operators"));
        let unions = format!(
            "SELECT * {{ {} }}",
            vec!["{ ?s ?p ?o }"; 3000].join(" UNION ")
        );
        assert!(check(&unions).is_err());
        assert!(check(&format!("SELECT * {{ {} }}", "?s ?p ?o . ".repeat(3000))).is_ok());
    }
}
