#!/usr/bin/env python3
"""Deterministic generator of a varied archive of district reports, for scale benchmarks.

Each generated report is made of sentences of the bundled reports (reports/*.txt),
reshuffled, under a title of its own kind, district and year. District names are replaced
by the report's district and years shifted to its year. Gazetteer place names in the
sentences are swapped (one substitution table per report) for places of the report's own
district where the gazetteer has some of that kind (a 海淀 report names 海淀's towns, a 东城
report 东城's streets and sites), or for made-up names of that kind that no gazetteer knows,
as real reports name many places no gazetteer lists. So entities both repeat across reports
(names left alone, common bodies, each district's places) and multiply (projects named after
swapped places), and only reports of the old city put works near the Central Axis. The same
arguments give the same files, byte for byte, on any machine: the random numbers come from a
fixed SplitMix64 generator, not from Python's `random`.

Usage: python3 benches/gen_archive.py OUT_DIR [--reports N] [--seed S] [--kb KB]
Files are written as OUT_DIR/<district>/<year>/<kind>-<n>.txt, so file names repeat across
folders, as in real archives.
"""

import argparse
import pathlib
import re
import sys

ROOT = pathlib.Path(__file__).resolve().parent.parent
MASK = (1 << 64) - 1

DISTRICTS = [
    "东城区", "西城区", "朝阳区", "海淀区", "丰台区", "石景山区", "门头沟区", "房山区",
    "通州区", "顺义区", "昌平区", "大兴区", "怀柔区", "平谷区", "密云区", "延庆区",
]
KINDS = ["work", "plan", "performance", "meeting"]
# Kinds of gazetteer place whose names are swapped (districts, the city and the axis stay),
# with the endings of made-up names of that kind.
SWAPPED_KINDS = {
    "Subdistrict": ["街道"], "Town": ["镇"], "Street": ["路", "大街", "街"], "Hutong": ["胡同", "巷"],
    "Landmark": ["广场", "塔"], "HeritageSite": ["寺", "庙", "会馆", "故居"],
    "CommercialArea": ["商圈", "商业街"], "Area": ["片区", "地区"], "Park": ["公园"],
    "Station": ["站"], "Bridge": ["桥"], "Gate": ["门"], "River": ["河"], "Building": ["大厦", "中心"],
}
# Characters of made-up place names.
NAME_CHARS = "安宝北长成崇春大德东丰福广和华惠嘉建金锦景康乐丽联林龙茂明南宁平清庆仁瑞润三山盛石寿顺泰天万文西祥新兴秀阳永玉裕园云泽振正中"


class Rng:
    """SplitMix64: small, fast and the same everywhere."""

    def __init__(self, seed):
        self.state = seed & MASK

    def next(self):
        self.state = (self.state + 0x9E3779B97F4A7C15) & MASK
        z = self.state
        z = ((z ^ (z >> 30)) * 0xBF58476D1CE4E5B9) & MASK
        z = ((z ^ (z >> 27)) * 0x94D049BB133111EB) & MASK
        return z ^ (z >> 31)

    def below(self, n):
        return self.next() % n

    def chance(self, p):
        return self.next() / 2**64 < p

    def choice(self, items):
        return items[self.below(len(items))]

    def shuffle(self, items):
        for i in range(len(items) - 1, 0, -1):
            j = self.below(i + 1)
            items[i], items[j] = items[j], items[i]


def gazetteer_names():
    """Gazetteer names by kind, and by (district, kind), from ontology/gazetteer*.ttl."""
    by_kind, by_district = {}, {}
    subject = re.compile(r"^(gaz:\S+) a govkg:GazetteerPlace")
    for path in sorted((ROOT / "ontology").glob("gazetteer*.ttl")):
        names, kind, district = [], None, None
        for line in path.read_text(encoding="utf-8").splitlines() + [""]:
            if subject.match(line) or not line.strip():
                if kind in SWAPPED_KINDS:
                    for n in names:
                        if len(n) >= 2:
                            by_kind.setdefault(kind, set()).add(n)
                            if district:
                                by_district.setdefault((district, kind), set()).add(n)
                names, kind, district = [], None, None
                continue
            names += re.findall(r'"([^"]+)"@zh', line)
            k = re.search(r"govkg:placeKind govkg:(\w+)", line)
            if k:
                kind = k.group(1)
            d = re.search(r"govkg:inDistrict gaz:(\S+?)\s*[;.]", line)
            if d:
                district = d.group(1)
    return (
        {k: sorted(v) for k, v in sorted(by_kind.items())},
        {k: sorted(v) for k, v in sorted(by_district.items())},
    )


def made_up_name(kind, rng):
    """A place name of `kind` that no gazetteer lists."""
    first = NAME_CHARS[rng.below(len(NAME_CHARS))]
    second = NAME_CHARS[rng.below(len(NAME_CHARS))]
    return first + second + rng.choice(SWAPPED_KINDS[kind])


def source_sentences():
    """Sentences of the bundled reports (web boilerplate and very short lines dropped)."""
    out = []
    for path in sorted((ROOT / "reports").glob("*.txt")):
        text = path.read_text(encoding="utf-8")
        year = re.search(r"(20\d\d)年", text)
        base = int(year.group(1)) if year else 2023
        for line in text.splitlines():
            line = line.strip()
            if len(line) < 12:
                continue
            for s in re.findall(r"[^。！？]+[。！？]?", line):
                s = s.strip()
                if len(s) >= 12:
                    out.append((base, s))
    return out


def title(kind, district, year, rng):
    if kind == "work":
        return [
            f"{year}年北京市{district}政府工作报告",
            f"——{year}年1月{rng.below(20) + 5}日在北京市{district}第十{rng.below(8) + 1}届"
            f"人民代表大会第{rng.below(5) + 1}次会议上",
        ]
    if kind == "plan":
        return [f"关于{district}{year}年国民经济和社会发展计划上半年执行情况的报告"]
    if kind == "performance":
        return [f"{district}{year}年度市政府绩效管理工作自评报告"]
    return [f"{rng.below(3) + 1}月{rng.below(27) + 1}日,{district}召开{year}年区政府全体会议"]


def generate_report(n, sentences, local, name_re, kind_of, seed, target_bytes):
    rng = Rng(seed * 1_000_003 + n)
    district = DISTRICTS[rng.below(len(DISTRICTS))]
    short = district[:-1]
    year = 2012 + rng.below(14)
    kind = KINDS[rng.below(len(KINDS))]
    swap = {}

    def place(m):
        name = m.group(0)
        if name not in swap:
            pool = local.get((district, kind_of[name]), [])
            if name in pool and rng.chance(0.5):
                swap[name] = name
            elif pool and rng.chance(0.6):
                swap[name] = rng.choice(pool)
            else:
                swap[name] = made_up_name(kind_of[name], rng)
        return swap[name]

    def rewrite(base, s):
        s = name_re.sub(place, s)
        s = re.sub(r"东城区|西城区", district, s)
        s = re.sub(r"东城|西城", short, s)
        return re.sub(r"(20\d\d)年", lambda m: f"{int(m.group(1)) - base + year}年", s)

    lines = title(kind, district, year, rng)
    size = sum(len(x.encode()) for x in lines)
    order = list(range(len(sentences)))
    rng.shuffle(order)
    paragraph = []
    for i in order:
        if size >= target_bytes:
            break
        base, s = sentences[i]
        paragraph.append(rewrite(base, s))
        size += len(paragraph[-1].encode())
        if len(paragraph) >= 3 + rng.below(4):
            lines.append("".join(paragraph))
            paragraph = []
            if rng.chance(0.04):
                lines.append(rng.choice(["一、过去一年工作回顾", f"二、{year}年工作安排", "下半年工作安排"]))
    if paragraph:
        lines.append("".join(paragraph))
    path = pathlib.Path(district) / str(year) / f"{kind}-{n % 97}.txt"
    return path, "\n".join(lines) + "\n"


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("out", type=pathlib.Path)
    ap.add_argument("--reports", type=int, default=1000)
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--kb", type=int, default=30, help="approximate size of one report")
    args = ap.parse_args()
    names, local = gazetteer_names()
    kind_of = {n: k for k, ns in names.items() for n in ns}
    name_re = re.compile("|".join(re.escape(n) for n in sorted(kind_of, key=lambda n: (-len(n), n))))
    sentences = source_sentences()
    total = 0
    seen = set()
    for n in range(args.reports):
        rel, text = generate_report(n, sentences, local, name_re, kind_of, args.seed, args.kb * 1024)
        while rel in seen:  # same district, year, kind and slot: next slot
            rel = rel.with_name(rel.stem + "b.txt")
        seen.add(rel)
        path = args.out / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
        total += len(text.encode())
    print(f"{args.reports} reports, {total / 1048576:.1f} MB in {args.out}", file=sys.stderr)


if __name__ == "__main__":
    main()
