//! Terms of govkg's ontology and of the vocabularies it reuses, and the IRIs minted from
//! reports. Namespaces themselves are in [`crate::model::vocab`].

pub use crate::model::vocab::*;
use oxigraph::model::NamedNode;

/// A term of govkg's ontology.
pub fn ont(local: &str) -> NamedNode {
    NamedNode::new_unchecked(format!("{ONT}{local}"))
}

/// A term of a standard namespace.
pub fn term(ns: &str, local: &str) -> NamedNode {
    NamedNode::new_unchecked(format!("{ns}{local}"))
}

/// A named graph given by its IRI.
pub fn graph(iri: &str) -> NamedNode {
    NamedNode::new_unchecked(iri)
}

/// Makes a label safe as an IRI path segment while keeping Chinese readable.
///
/// Letters and digits of any script stay as they are; everything else is percent-encoded,
/// so the mapping is injective and the same label always gives the same IRI.
pub fn iri_segment(label: &str) -> String {
    let mut out = String::with_capacity(label.len());
    for c in label.chars() {
        if c.is_alphanumeric() || matches!(c, '-' | '.' | '_' | '~') {
            out.push(c);
        } else {
            let mut buf = [0u8; 4];
            for b in c.encode_utf8(&mut buf).bytes() {
                out.push_str(&format!("%{b:02X}"));
            }
        }
    }
    out
}

/// A report identifier (a relative path with `/` separators) as IRI path segments: each
/// component is made safe on its own, so `/` keeps separating folders.
pub fn path_segments(id: &str) -> String {
    id.split('/').map(iri_segment).collect::<Vec<_>>().join("/")
}

/// IRI of a resource minted from reports: `id:{kind}/{segment}`.
pub fn id(kind: &str, label: &str) -> NamedNode {
    NamedNode::new_unchecked(format!("{ID}{kind}/{}", iri_segment(label)))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn segments_are_readable_and_safe() {
        assert_eq!(iri_segment("望坛棚改项目"), "望坛棚改项目");
        assert_eq!(iri_segment("A B/“x”"), "A%20B%2F%E2%80%9Cx%E2%80%9D");
        assert!(
            NamedNode::new(format!("{ID}place/{}", iri_segment("王府井“T”字区域 <x>"))).is_ok()
        );
        assert_eq!(
            path_segments("东城/2023/工作 报告"),
            "东城/2023/工作%20报告"
        );
    }
}
