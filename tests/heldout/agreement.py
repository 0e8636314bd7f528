#!/usr/bin/env python3
"""Inter-annotator agreement on entity annotations (rules: shared/ANNOTATION.md, "Scoring").

Usage: agreement.py DIR_A DIR_B [--split NAME=DOCS_DIR ...] [--json]

DIR_A and DIR_B hold one <doc>.jsonl per document in the gold format
({"doc", "type", "label", "aliases"}). A is scored against B, per document and per type:

- an A entity and a B entity match when they have the same type and
  * their labels are equal after normalisation (NFKC, no whitespace, surrounding quotes
    「」“”‘’《》 dropped), or
  * one label contains the other, the shorter being at least 2 characters and at least half
    as long as the longer, or
  * the label of one equals an alias of the other;
- each entity is matched at most once (maximum one-to-one matching), so the number of
  matched pairs is the same whichever side is taken as reference: precision of A against B
  is recall of B against A, and F1 is symmetric.

Entities are counted per document after merging lines of the same type that share a
normalised name (label or alias), as tests/score.py does for gold files.

--split NAME=DOCS_DIR restricts a sub-total to the documents whose <doc>.txt is in DOCS_DIR
(several allowed). Standard library only.
"""
import glob, json, os, sys, unicodedata

TYPES = ["Project", "Place", "Programme", "Organisation"]
STRIP = "「」“”‘’《》\"' \u3000"


def norm(s):
    s = unicodedata.normalize("NFKC", s)
    s = "".join(ch for ch in s if not ch.isspace())
    return s.strip(STRIP)


def loose(a, b):
    if a == b:
        return True
    short, long_ = (a, b) if len(a) <= len(b) else (b, a)
    return len(short) >= 2 and short in long_ and 2 * len(short) >= len(long_)


def load(d):
    """doc -> list of (type, label, [aliases]) with normalised names, merged on shared names."""
    out = {}
    for f in sorted(glob.glob(os.path.join(d, "*.jsonl"))):
        for line in open(f, encoding="utf-8"):
            if not line.strip():
                continue
            r = json.loads(line)
            if r.get("type") not in TYPES or not r.get("label"):
                continue
            doc = r.get("doc") or os.path.basename(f)[: -len(".jsonl")]
            label = norm(r["label"])
            aliases = [norm(a) for a in r.get("aliases", []) if norm(a)]
            ents = out.setdefault(doc, [])
            for e in ents:
                if e[0] == r["type"] and ({e[1]} | set(e[2])) & ({label} | set(aliases)):
                    for n in [label] + aliases:
                        if n != e[1] and n not in e[2]:
                            e[2].append(n)
                    break
            else:
                ents.append((r["type"], label, [a for a in aliases if a != label]))
    return out


def matches(a, b):
    return loose(a[1], b[1]) or a[1] in b[2] or b[1] in a[2]


def max_matching(A, B):
    """Size of a maximum one-to-one matching between lists A and B (augmenting paths)."""
    adj = [[j for j, b in enumerate(B) if matches(a, b)] for a in A]
    owner = [-1] * len(B)

    def augment(i, seen):
        for j in adj[i]:
            if j in seen:
                continue
            seen.add(j)
            if owner[j] < 0 or augment(owner[j], seen):
                owner[j] = i
                return True
        return False

    return sum(1 for i in range(len(A)) if augment(i, set()))


def agree(ann_a, ann_b, docs):
    st = {t: {"tp": 0, "a": 0, "b": 0} for t in TYPES}
    for doc in docs:
        for t in TYPES:
            A = [e for e in ann_a.get(doc, []) if e[0] == t]
            B = [e for e in ann_b.get(doc, []) if e[0] == t]
            st[t]["tp"] += max_matching(A, B)
            st[t]["a"] += len(A)
            st[t]["b"] += len(B)
    st["overall"] = {k: sum(st[t][k] for t in TYPES) for k in ("tp", "a", "b")}
    for s in st.values():
        s["p"] = s["tp"] / s["a"] if s["a"] else 0.0
        s["r"] = s["tp"] / s["b"] if s["b"] else 0.0
        s["f1"] = 2 * s["tp"] / (s["a"] + s["b"]) if s["a"] + s["b"] else 0.0
    return st


def main():
    args = sys.argv[1:]
    as_json = "--json" in args
    args = [a for a in args if a != "--json"]
    splits = []
    while "--split" in args:
        i = args.index("--split")
        name, d = args[i + 1].split("=", 1)
        splits.append((name, d))
        del args[i : i + 2]
    if len(args) != 2:
        sys.exit(__doc__)
    ann_a, ann_b = load(args[0]), load(args[1])
    all_docs = sorted(set(ann_a) | set(ann_b))
    groups = [("all", all_docs)]
    for name, d in splits:
        ids = {os.path.basename(f)[:-4] for f in glob.glob(os.path.join(d, "*.txt"))}
        groups.append((name, [doc for doc in all_docs if doc in ids]))
    result = {name: agree(ann_a, ann_b, docs) for name, docs in groups}
    if as_json:
        print(json.dumps({n: {k: v for k, v in r.items()} for n, r in result.items()},
                         ensure_ascii=False, indent=1))
        return
    for name, docs in groups:
        print(f"== {name} ({len(docs)} documents): A scored against B")
        for k in TYPES + ["overall"]:
            s = result[name][k]
            print(f"{k:13s} P={s['p']:.3f} R={s['r']:.3f} F1={s['f1']:.3f}"
                  f"  (matched={s['tp']} A={s['a']} B={s['b']})")


if __name__ == "__main__":
    main()
