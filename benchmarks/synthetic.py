"""Synthetic corpus: a complete throw-away handbook project with N procedures.

    .venv/bin/python benchmarks/synthetic.py OUT_DIR --procedures 1000 [--seed 1] [--with-real]

OUT_DIR gets a copy of mkdocs.yml, handbook/ (with handbook/data) and schema/,
and procedures/<field>/<id>.yml.  Each synthetic procedure takes one of the
real procedures as its template: the same shape (dossier, steps, checklists,
fees, questions and their `chi_khi` conditions, training block…), with every
piece of free text replaced by text of about the same length generated from a
word bigram chain trained on the real procedures, and with some lists
stretched or shrunk so pages vary in length.  The walk over a procedure is
driven by the schema in generator/content/model.py: text fields are regenerated;
choices, references, codes, conditions, numbers and dates are kept, so new
schema fields need no change here.  Deterministic for a given seed.

- Ids and titles are unique; no procedure has `ma_thu_tuc` (national codes
  must be real and unique).  Training ids (`ma` of scenarios, quiz questions,
  practice dossiers) get a per-procedure suffix, as they are unique handbook-wide.
- Fields are spread evenly over handbook/data/linh-vuc.yml; templates are used
  in turn, so every shape appears.  Legal citations come from
  handbook/data/van-ban.yml (the template's own plus documents in force);
  `ngay_ra_soat` is never older than an amendment of a cited document, so the
  corpus validates without warnings, even with --strict.
- By default the project holds synthetic procedures only (N of them):
  handbook/data/cong-dan-can-gi.yml is regenerated to lead to them, and the
  training sessions of handbook/dao-tao/ are pointed at the synthetic
  procedures made from the real ones they cover (dropped when N is too small
  for that).  With --with-real the real procedures are copied too and N
  counts them.

tests/test_bench.py checks that the result passes ``sotay validate --strict``.
"""

from __future__ import annotations

import argparse
import dataclasses
import datetime as dt
import random
import re
import shutil
import sys
import types
import typing
from collections import Counter
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from generator.content import model  # noqa: E402
from generator.textutil import slugify  # noqa: E402

HEADER = "# yaml-language-server: $schema=../../schema/thu-tuc.schema.json\n"
# Procedure keys set here rather than copied or regenerated from the template.
OWN_KEYS = ("ten", "linh_vuc", "ma_thu_tuc", "lien_quan", "tu_khoa", "ngay_ra_soat", "can_cu_phap_ly")
# Text in the schema, but not prose: an article ("Điều 16"), a unit ("bản"), a key of
# the procedure that a verification note names ("phi").
KEEP = {"dieu", "don_vi", "truong"}
# Short labels drawn from the real values of the same key (agencies, roles…)
# rather than generated: they repeat across real procedures too.
POOL = {"co_quan_thuc_hien", "phu_trach", "doi_tuong", "co_quan_phoi_hop", "vai_tro", "he_thong", "thoi_gian", "mau"}
# Lists whose length varies from page to page (items with a `chi_khi`, even nested, are
# always kept); other lists keep their length, as items may be referred to by position.
STRETCH = {("Procedure", k) for k in ("ho_so", "quy_trinh", "dieu_kien", "luu_y", "ket_qua", "doi_tuong", "nguon", "phi")}
STRETCH |= {("Step", k) for k in ("kiem_tra", "meo", "loi_thuong_gap")}


def _has_condition(value) -> bool:
    """A list item with a `chi_khi` anywhere in it (a step whose checks depend on
    an answer): dropping it would leave a question nothing depends on."""
    if isinstance(value, dict):
        return bool(value.get("chi_khi")) or any(_has_condition(v) for v in value.values())
    if isinstance(value, list):
        return any(_has_condition(v) for v in value)
    return False


_LINK = re.compile(r"\[([^\]]*)\]\(([^)]*)\)")
_URLISH = re.compile(r"^(https?://|mailto:|tel:|/)")
_END = ".;:?!"
# A title does not end on a linking word ("Đăng ký hộ kinh doanh và").
_TRAILING = set("và của cho theo hoặc có các với trong để được là thì từ đến tại khi do bị về những hay nếu "
                "không trên mà ở như đã chưa sau trước một lại đó này ra vào".split())


class _Dumper(yaml.CSafeDumper if hasattr(yaml, "CSafeDumper") else yaml.SafeDumper):  # type: ignore[misc]
    """Our loader refuses YAML anchors and aliases: never emit them."""

    def ignore_aliases(self, data):
        return True


def dump(data) -> str:
    return yaml.dump(data, Dumper=_Dumper, allow_unicode=True, sort_keys=False, width=100)


def _load(path: Path):
    loader = yaml.CSafeLoader if hasattr(yaml, "CSafeLoader") else yaml.SafeLoader
    return yaml.load(path.read_text(encoding="utf-8"), Loader=loader)


# --- the schema, read from generator/content/model.py ---------------------------------------


def _fields(cls: type) -> dict[str, dataclasses.Field]:
    return {f.metadata["key"]: f for f in model.schema_fields(cls)}


_HINTS: dict[type, dict] = {}


def _hints(cls: type) -> dict:
    if cls not in _HINTS:
        _HINTS[cls] = typing.get_type_hints(cls, vars(model))
    return _HINTS[cls]


def _pick(tp, value):
    """The member of a union that fits ``value`` (text or a block of keys…)."""
    if typing.get_origin(tp) not in (typing.Union, types.UnionType):
        return tp
    args = [a for a in typing.get_args(tp) if a is not type(None)]
    for a in args:
        if isinstance(value, dict) and (dataclasses.is_dataclass(a) or typing.get_origin(a) is dict):
            return a
        if isinstance(value, list) and typing.get_origin(a) is list:
            return a
        if not isinstance(value, (dict, list)) and not dataclasses.is_dataclass(a) and typing.get_origin(a) not in (list, dict):
            return a
    return args[0]


def walk(value, tp, on_text, owner: type | None = None, key: str | None = None, meta: dict | None = None,
         on_list=None):
    """Rebuild ``value`` (YAML data of type ``tp``), calling
    ``on_text(owner, key, meta, text)`` for every free-text value (str or
    Inline without choices or reference) and ``on_list(owner, key, meta,
    items)`` before each list; everything else is copied."""
    meta = meta or {}
    tp = _pick(tp, value)
    if dataclasses.is_dataclass(tp) and isinstance(value, dict):
        fields, hints, out = _fields(tp), _hints(tp), {}
        for k, v in value.items():
            f = fields.get(k)
            out[k] = v if f is None else walk(v, hints[f.name], on_text, tp, k, dict(f.metadata), on_list)
        return out
    origin = typing.get_origin(tp)
    if origin is list and isinstance(value, list):
        (item_tp,) = typing.get_args(tp)
        items = on_list(owner, key, meta, value) if on_list else value
        out = [walk(v, item_tp, on_text, owner, key, meta, on_list) for v in items]
        if all(isinstance(v, str) for v in items) and len(set(items)) == len(items):
            seen: set[str] = set()  # distinct items stay distinct (quiz choices…)
            for n, v in enumerate(out):
                for _ in range(20):
                    if v not in seen:
                        break
                    v = on_text(owner, key, meta, items[n])
                out[n] = v if v not in seen else f"{v} {n + 1}"
                seen.add(out[n])
        return out
    if origin is dict and isinstance(value, dict):
        item_tp = typing.get_args(tp)[1]
        return {k: walk(v, item_tp, on_text, owner, key, {}, on_list) for k, v in value.items()}
    if isinstance(value, str) and tp in (str, model.Inline) and not meta.get("choices") and not meta.get("ref"):
        return on_text(owner, key, meta, value)
    if isinstance(value, str) and meta.get("ref") == "procedure":
        return on_text(owner, key, meta, value)
    return value


# --- text ------------------------------------------------------------------------


def _tokens(text: str) -> list[str]:
    """Words of a real value, without inline markup (links to real pages
    would dangle, and half a `**` pair is noise)."""
    text = _LINK.sub(r"\1", text)
    text = re.sub(r"[*\[\]`{}]", "", text)
    return [t for t in text.split() if not _URLISH.match(t)]


class Chain:
    """A word bigram chain: recombines real Vietnamese sentences into new ones."""

    def __init__(self) -> None:
        self.next: dict[str, list[str | None]] = {}
        self.starts: list[str] = []

    def learn(self, text: str) -> None:
        words = _tokens(text)
        if not words:
            return
        self.starts.append(words[0])
        for a, b in zip(words, words[1:] + [None]):
            self.next.setdefault(a, []).append(b)

    def words(self, rng: random.Random, count: int, start: str | None = None) -> list[str]:
        out: list[str] = []
        cur = start if start in self.next else rng.choice(self.starts)
        while len(out) < count:
            out.append(cur)
            nxt = rng.choice(self.next[cur])
            if nxt is None:
                if len(out) >= count * 0.7:
                    break
                if out[-1][-1] not in _END:
                    out[-1] += "."
                nxt = rng.choice(self.starts)
            cur = nxt
        return out

    def text(self, rng: random.Random, like: str) -> str:
        """New text about as long as ``like``, ending the same way ('.', '?' or nothing)."""
        count = max(1, round(len(like.split()) * rng.uniform(0.7, 1.3)))
        text = " ".join(self.words(rng, count)).rstrip(",;:–-— ")
        if text.count("(") != text.count(")"):
            text = text.replace("(", "").replace(")", "")
        text = re.sub(r"[\"“”]", "", text).strip() or "Giấy tờ"
        text = text[0].upper() + text[1:]
        ending = like.rstrip()[-1:] if like.rstrip()[-1:] in ".?" else ""
        return text.rstrip(_END + ",") + ending

    def phrase(self, rng: random.Random, lo: int, hi: int, start: str | None = None) -> str:
        """A short phrase without punctuation (titles, keywords)."""
        out = []
        for w in self.words(rng, hi + 4, start):
            w = re.sub(r"[^\w\-–]", "", w)
            if w:
                out.append(w)
            if len(out) >= hi or (len(out) >= lo and rng.random() < 0.25):
                break
        return " ".join(out)


# --- the real material -------------------------------------------------------------


class Material:
    """Templates, text chain and value pools, learnt from the real project."""

    def __init__(self, root: Path) -> None:
        self.root = root
        self.paths = sorted((root / "procedures").rglob("*.yml"))
        self.templates = [_load(p) for p in self.paths]
        self.ids = [p.stem for p in self.paths]
        self.chain = Chain()
        self.pools: dict[str, list[str]] = {}

        def learn(owner, key, meta, text):
            if key in POOL:
                self.pools.setdefault(key, []).append(text)
            elif key not in KEEP and key != "ma":
                self.chain.learn(text)
            return text

        for t in self.templates:
            walk(t, model.Procedure, learn)
        self.title_heads = [" ".join(t["ten"].split()[:2]) for t in self.templates]
        self.fields = _load(root / "handbook/data/linh-vuc.yml")
        self.legal = _load(root / "handbook/data/van-ban.yml")
        self.synonyms = _load(root / "handbook/data/tu-dong-nghia.yml") or []
        self.in_force = sorted(k for k, d in self.legal.items()
                               if d.get("tinh_trang", "con-hieu-luc") == "con-hieu-luc" and not d.get("thay_the_boi"))

    def amended_after(self, doc_id: str) -> dt.date | None:
        """The latest date an amending document of ``doc_id`` took effect."""
        dates = []
        for other in self.legal.get(doc_id, {}).get("sua_doi_boi") or []:
            d = self.legal.get(other) or {}
            when = d.get("ngay_hieu_luc") or d.get("ngay_ban_hanh")
            if when:
                dates.append(dt.date.fromisoformat(str(when)))
        return max(dates, default=None)


# --- one procedure -----------------------------------------------------------------


class Maker:
    def __init__(self, material: Material, seed: int, taken_ids=(), taken_titles=()) -> None:
        self.m = material
        self.rng = random.Random(seed)
        self.ids: set[str] = set(taken_ids)
        self.titles: set[str] = {t.casefold() for t in taken_titles}
        self.made_from: dict[str, str] = {}  # real id → first synthetic id made from it
        self.codes: dict[str, str] = {}  # real training id → its synthetic copy (first one)
        self.recent: list[str] = []
        self.count = 0

    def title(self) -> tuple[str, str]:
        rng = self.rng
        for _ in range(200):
            head = rng.choice(self.m.title_heads)
            tail = self.m.chain.phrase(rng, 2, 7, start=head.split()[-1]).split()
            if tail and tail[0] == head.split()[-1]:  # the chain starts from the head's last word
                tail = tail[1:]
            while tail and tail[-1].lower() in _TRAILING:
                tail.pop()
            title = " ".join([head, *tail]).strip()
            slug = "-".join(slugify(title).split("-")[:9])
            if len(title.split()) >= 3 and title.casefold() not in self.titles and slug not in self.ids:
                self.titles.add(title.casefold())
                self.ids.add(slug)
                return title, slug
        raise RuntimeError("could not find a new title")

    def _text(self, owner, key, meta, value: str) -> str:
        if meta.get("ref") == "procedure":
            return self.made_from.get(value) or (self.rng.choice(self.recent) if self.recent else value)
        if key == "ma":
            if owner is model.Question:  # per procedure, named in its conditions: kept
                return value
            new = f"{value}-s{self.count}"  # training ids are unique in the whole handbook
            self.codes.setdefault(value, new)
            return new
        if key in KEEP:
            return value
        if owner is model.Question and key == "hoi":
            # The template's own question: generated text could put a negative in a
            # yes/no question, which validation warns about (a misreadable question).
            return value
        if key in POOL and self.m.pools.get(key):
            return self.rng.choice(self.m.pools[key])
        return self.m.chain.text(self.rng, value)

    def _stretch(self, owner, key, meta, items: list) -> list:
        if (getattr(owner, "__name__", ""), key) not in STRETCH or not items:
            return items
        conditional = [_has_condition(i) for i in items]
        free = [n for n, c in enumerate(conditional) if not c]
        minimum = (meta.get("min_items") or 0) - (len(items) - len(free))
        want = max(minimum, round(len(free) * self.scale))
        if want <= len(free):
            drop = set(self.rng.sample(free, len(free) - want))
            return [i for n, i in enumerate(items) if n not in drop]
        return items + [items[self.rng.choice(free)] for _ in range(want - len(free))] if free else items

    def procedure(self, template_id: str, template: dict, field_id: str) -> tuple[str, dict]:
        rng = self.rng
        self.count += 1
        self.scale = rng.choice([0.5, 0.75, 1.0, 1.0, 1.25, 1.6])  # page length varies
        title, proc_id = self.title()
        body = walk({k: v for k, v in template.items() if k not in OWN_KEYS}, model.Procedure,
                    self._text, on_list=self._stretch)
        step_names: set[str] = set()  # step names must be unique within a procedure
        for n, step in enumerate(body.get("quy_trinh", []), 1):
            while step["ten"] in step_names:
                step["ten"] = f"{self.m.chain.text(rng, step['ten'])} (bước {n})"
            step_names.add(step["ten"])
        p = {"ten": title, "linh_vuc": field_id, **body}
        # Legal basis: the template's citations plus up to two documents in force.
        refs = [dict(r) for r in template.get("can_cu_phap_ly", []) if r["van_ban"] in self.m.legal]
        for doc in rng.sample(self.m.in_force, rng.randint(0, 2)):
            if doc not in {r["van_ban"] for r in refs}:
                refs.append({"van_ban": doc, "dieu": f"Điều {rng.randint(1, 60)}"})
        p["can_cu_phap_ly"] = refs or [{"van_ban": self.m.in_force[0]}]
        reviewed = dt.date(2026, 1, 1) + dt.timedelta(days=rng.randint(0, 320))
        for r in refs:
            amended = self.m.amended_after(r["van_ban"])
            if amended and amended > reviewed:
                reviewed = amended
        p["ngay_ra_soat"] = reviewed
        related = sorted(set(rng.sample(self.recent[-200:], min(len(self.recent), rng.randint(0, 4)))))
        if related:
            p["lien_quan"] = related
        p["tu_khoa"] = [k for k in dict.fromkeys(self.m.chain.phrase(rng, 2, 4) for _ in range(rng.randint(2, 7))) if k]
        self.made_from.setdefault(template_id, proc_id)
        self.recent.append(proc_id)
        return proc_id, p


# --- the project ---------------------------------------------------------------------


def _triage(procs: dict[str, dict], material: Material, rng: random.Random) -> dict:
    """One "Công dân cần gì?" tree per field with at least two procedures:
    the first question leads to up to three procedures or to a second question."""
    by_field: dict[str, list[str]] = {}
    for pid, p in procs.items():
        by_field.setdefault(p["linh_vuc"], []).append(pid)

    def option(pid: str) -> dict:
        o = {"nhan": procs[pid]["ten"], "den": pid}
        yes_no = [q["ma"] for q in procs[pid].get("cau_hoi", []) if q.get("kieu", "co-khong") == "co-khong"]
        if yes_no:
            o["tra_loi"] = {yes_no[0]: rng.choice(["có", "không"])}
        return o

    trees = {}
    for field_id, ids in by_field.items():
        if len(ids) < 2:
            continue
        picked = rng.sample(ids, min(len(ids), 6))
        first, rest = picked[:3], picked[3:]
        options = [option(pid) for pid in first]
        if len(rest) >= 2:
            options.append({"nhan": "Việc khác trong lĩnh vực này",
                            "tiep": {"hoi": "Công dân cần việc nào sau đây?", "lua_chon": [option(pid) for pid in rest]}})
        elif rest:
            options.append(option(rest[0]))
        trees[f"nhu-cau-{field_id}"] = {
            "ten": f"Các việc về {material.fields[field_id]['ten'].lower()}",
            "linh_vuc": field_id,
            "cau_hoi": {"hoi": "Công dân cần làm việc gì?", "lua_chon": options},
        }
    return trees


def _retarget_sessions(folder: Path, maker: Maker) -> None:
    """Point the training sessions at the synthetic procedures made from the
    real ones they cover; drop a session when one of those was not made."""
    session_cls = getattr(model, "Session", None)
    if session_cls is None or not folder.is_dir():
        return
    for path in sorted(folder.glob("*.yml")):
        missing: list[str] = []

        def retarget(owner, key, meta, text):
            if meta.get("ref") == "procedure":
                if text not in maker.made_from:
                    missing.append(text)
                return maker.made_from.get(text, text)
            if text in maker.codes:
                return maker.codes[text]
            return _LINK.sub(lambda m: m.group(0) if _URLISH.match(m.group(2)) and not m.group(2).startswith("/")
                             else m.group(1), text)  # links to real pages would dangle

        data = walk(_load(path), session_cls, retarget)
        if missing:
            path.unlink()
        else:
            path.write_text(dump(data), encoding="utf-8")


def _unlink_catalogue(path: Path) -> None:
    """The catalogue registry names real procedures (``thu_tuc``), absent
    here: its entries stay, as procedures without a page."""
    if path.exists():
        lines = path.read_text(encoding="utf-8").splitlines(keepends=True)
        path.write_text("".join(line for line in lines if not line.startswith("  thu_tuc:")), encoding="utf-8")


def make_project(dest: Path, procedures: int, seed: int = 1, with_real: bool = False,
                 material: Material | None = None) -> dict:
    """Write a complete project with ``procedures`` procedures into ``dest``
    (which must not exist or be empty).  Returns a few figures about it."""
    material = material or Material(ROOT)
    dest.mkdir(parents=True, exist_ok=True)
    if any(dest.iterdir()):
        raise SystemExit(f"{dest} is not empty")
    shutil.copy2(ROOT / "mkdocs.yml", dest / "mkdocs.yml")
    shutil.copytree(ROOT / "handbook", dest / "handbook")
    shutil.copytree(ROOT / "schema", dest / "schema")
    real_ids = material.ids if with_real else []
    count = procedures - len(real_ids)
    if count < 0:
        raise SystemExit(f"--with-real needs at least {len(real_ids)} procedures")
    if with_real:
        shutil.copytree(ROOT / "procedures", dest / "procedures")
    maker = Maker(material, seed, taken_ids=real_ids,
                  taken_titles=[t["ten"] for t in material.templates] if with_real else [])
    maker.recent = list(real_ids)
    rng = random.Random(seed + 1)
    field_ids = list(material.fields)
    order = [field_ids[i % len(field_ids)] for i in range(count)]
    rng.shuffle(order)
    templates = list(range(len(material.templates)))
    procs: dict[str, dict] = {}
    for n, field_id in enumerate(order):
        if n % len(templates) == 0:  # each template once per round, in a new order
            rng.shuffle(templates)
        t = templates[n % len(templates)]
        pid, p = maker.procedure(material.ids[t], material.templates[t], field_id)
        procs[pid] = p
    if not with_real:
        if procs:  # every everyday phrase of the synonyms registry must lead somewhere
            ids = list(procs)
            for n, entry in enumerate(material.synonyms):
                procs[ids[n % len(ids)]]["tu_khoa"].append(entry["nghia_la"])
        (dest / "handbook/data/cong-dan-can-gi.yml").write_text(
            "# Tạo tự động cho bộ thủ tục tổng hợp (benchmarks/synthetic.py).\n"
            + dump(_triage(procs, material, rng)), encoding="utf-8")
        _retarget_sessions(dest / "handbook/dao-tao", maker)
        _unlink_catalogue(dest / "handbook/data/danh-muc-tthc.yml")
    size = 0
    for pid, p in procs.items():
        path = dest / "procedures" / p["linh_vuc"] / f"{pid}.yml"
        path.parent.mkdir(parents=True, exist_ok=True)
        text = HEADER + dump(p)
        path.write_text(text, encoding="utf-8")
        size += len(text.encode())
    fields = Counter(p["linh_vuc"] for p in procs.values())
    return {
        "procedures": count + len(real_ids),
        "synthetic": count,
        "real": len(real_ids),
        "fields": len(fields),
        "with_questions": sum(1 for p in procs.values() if p.get("cau_hoi")),
        "yaml_bytes": size,
    }


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("out", type=Path, help="directory to create (must not exist or be empty)")
    parser.add_argument("--procedures", "-n", type=int, default=1000, help="number of procedures (default 1000)")
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--with-real", action="store_true", help="include the real procedures (counted in N)")
    args = parser.parse_args(argv)
    stats = make_project(args.out, args.procedures, args.seed, args.with_real)
    print(f"{args.out}: {stats['procedures']} procedures ({stats['synthetic']} synthetic, {stats['real']} real), "
          f"{stats['fields']} fields, {stats['with_questions']} synthetic with questions, "
          f"{stats['yaml_bytes'] / 1e6:.1f} MB of YAML")


if __name__ == "__main__":
    main()
