"""One vocabulary: every key's short Vietnamese name is declared once, in the
model, and every place that names a key (the page's verification flags, the
change lines of ``sotay diff``, training messages) reads it from there."""
import dataclasses
import shutil
import types
import unicodedata

import pytest

from conftest import FIXTURES
from generator.content import model
from generator.content.handbook import load_handbook
from generator.editing.semdiff import procedure_changes
from generator.site.render import Renderer

MODEL_CLASSES = [cls for cls in vars(model).values()
                 if isinstance(cls, type) and dataclasses.is_dataclass(cls) and cls.__module__ == model.__name__]
assert {model.Procedure, model.Fee, model.Step, model.Session, model.LegalDocument, model.HolidayYear} <= set(MODEL_CLASSES)


@pytest.mark.parametrize("cls", MODEL_CLASSES, ids=lambda cls: cls.__name__)
def test_every_editor_facing_field_has_a_sentence_case_label(cls):
    """Labels are written as a heading ('Thời hạn giải quyết'): NFC, no stray
    spaces or final period, starting with a capital; a list's item label names
    one item inside a sentence ('giấy tờ'), so it starts in lower case."""
    fields = model.schema_fields(cls)
    assert fields
    labels = []
    for f in fields:
        label = f.metadata.get("label")
        where = f"{cls.__name__}.{f.name}"
        assert isinstance(label, str) and label, where
        assert unicodedata.is_normalized("NFC", label), where
        assert label == " ".join(label.split()) and not label.endswith("."), where
        assert label[0].isupper(), where
        item = f.metadata.get("item_label")
        if item is not None:
            assert unicodedata.is_normalized("NFC", item) and item == " ".join(item.split()), where
            assert item[0].islower(), where
        assert model.item_label_of(f)[0].islower(), where
        labels.append(label)
    assert len(set(labels)) == len(labels), f"{cls.__name__}: two keys with the same label"


@pytest.fixture
def relabel(monkeypatch):
    """Give one field of the model another label, as an editor of model.py would."""

    def change(cls, attr, **meta):
        f = model.schema_field(cls, attr)
        monkeypatch.setattr(f, "metadata", types.MappingProxyType({**f.metadata, **meta}))

    return change


def flag_every_key(root):
    path = root / "procedures/ho-tich/dang-ky-ket-hon.yml"
    keys = [f.metadata["key"] for f in model.schema_fields(model.Procedure)] + [model.WHOLE_PROCEDURE]
    text = path.read_text(encoding="utf-8")
    assert "can_xac_minh:\n" in text
    flags = "".join(f"  - truong: {key}\n    ly_do: Kiểm tra {key}.\n" for key in keys)
    path.write_text(text.replace("can_xac_minh:\n", "can_xac_minh:\n" + flags, 1), encoding="utf-8")
    return keys


def flagged_page(root):
    hb, sink = load_handbook(root)
    assert not sink.errors
    return Renderer(hb).render_procedure(hb.procedures["dang-ky-ket-hon"], lambda url: url)


def test_flags_on_the_page_name_every_key_by_its_model_label(mini):
    keys = flag_every_key(mini)
    html = flagged_page(mini)
    for f in model.schema_fields(model.Procedure):
        assert f"<li><strong>{f.metadata['label']}</strong>: Kiểm tra {f.metadata['key']}.</li>" in html
    assert f"<li><strong>{model.WHOLE_PROCEDURE_LABEL}</strong>: Kiểm tra thu_tuc.</li>" in html
    assert len(keys) > 20
    # the page's wording of the keys flagged in the shipped handbook
    assert "<li><strong>Thời hạn giải quyết</strong>: Kiểm tra thoi_han.</li>" in html
    assert "<li><strong>Hướng dẫn theo tình huống</strong>: Kiểm tra cau_hoi.</li>" in html
    assert "<li><strong>Cả thủ tục</strong>: Kiểm tra thu_tuc.</li>" in html


@pytest.mark.parametrize("attr", ["code", "deadline", "dossier", "questions", "keywords"])
def test_a_label_changed_in_the_model_changes_on_the_page(mini, relabel, attr):
    flag_every_key(mini)
    relabel(model.Procedure, attr, label="Nhãn mới")
    key = model.key_of(model.Procedure, attr)
    assert f"<li><strong>Nhãn mới</strong>: Kiểm tra {key}.</li>" in flagged_page(mini)


def procedure(**changes) -> model.Procedure:
    base = dict(
        title="Đăng ký khai sinh", field_id="ho-tich", levels=["xa"], agency="UBND cấp xã", summary="Tóm tắt.",
        subjects=["Công dân"], channels=[model.Channel(kind="truc-tiep")],
        deadline=model.Deadline(kind="ngay-lam-viec", amount=3),
        dossier=[model.DossierItem(name="Tờ khai")], results=["Giấy khai sinh"],
        steps=[model.Step(name="Tiếp nhận", role="Công chức", checklist=["Kiểm tra"])],
        legal_basis=[model.LegalRef(document="60/2014/QH13")], reviewed=__import__("datetime").date(2025, 1, 1),
        owner="Tư pháp", fees=[model.Fee(name="Lệ phí", amount=0)],
    )
    return model.Procedure(**{**base, **changes})


def texts(old, new):
    return [c.text for c in procedure_changes(old, new)]


def test_change_lines_name_keys_inside_items_by_their_model_labels(relabel):
    before = procedure()
    after = procedure(dossier=[model.DossierItem(name="Tờ khai", form="ban-sao")],
                      steps=[model.Step(name="Tiếp nhận", role="Lãnh đạo", checklist=["Kiểm tra"], tips=["Mẹo"])],
                      fees=[model.Fee(name="Lệ phí", amount=0, exemptions=["Trẻ em"])],
                      requirements=["Có giấy chứng sinh"])
    assert texts(before, after) == [
        "Giấy tờ 'Tờ khai': loại: Bản chính → Bản sao",
        "Bước 'Tiếp nhận': người thực hiện: Công chức → Lãnh đạo",
        "Bước 'Tiếp nhận': thêm mẹo: Mẹo",
        "Lệ phí 'Lệ phí': thêm trường hợp miễn, giảm: Trẻ em",
        "Thêm điều kiện: Có giấy chứng sinh",
    ]
    relabel(model.DossierItem, "form", label="Loại bản")
    relabel(model.Fee, "exemptions", item_label="đối tượng được miễn")
    relabel(model.Procedure, "requirements", item_label="yêu cầu")
    relabel(model.Procedure, "dossier", item_label="tài liệu")
    relabel(model.Step, "role", label="Người làm")
    relabel(model.Step, "tips", label="Kinh nghiệm")
    assert texts(before, after) == [
        "Tài liệu 'Tờ khai': loại bản: Bản chính → Bản sao",
        "Bước 'Tiếp nhận': người làm: Công chức → Lãnh đạo",
        "Bước 'Tiếp nhận': thêm kinh nghiệm: Mẹo",
        "Lệ phí 'Lệ phí': thêm đối tượng được miễn: Trẻ em",
        "Thêm yêu cầu: Có giấy chứng sinh",
    ]


def test_change_lines_name_the_procedure_keys_by_their_model_labels(relabel):
    before = procedure()
    after = procedure(agency="UBND xã", owner="Văn phòng")
    assert texts(before, after) == ["Cơ quan thực hiện: UBND cấp xã → UBND xã", "Phụ trách: Tư pháp → Văn phòng"]
    relabel(model.Procedure, "agency", label="Nơi giải quyết")
    assert texts(before, after)[0] == "Nơi giải quyết: UBND cấp xã → UBND xã"
    # the training block, which had no name of its own in change lines
    trained = procedure(training=model.Training(objectives=["Làm được"]))
    assert texts(before, trained) == [f"{model.label_of(model.Procedure, 'training')}: đã sửa"]


def test_training_messages_name_items_by_their_model_labels(mini, relabel):
    with open(mini / "procedures/ho-tich/dang-ky-khai-sinh.yml", "a", encoding="utf-8") as f:
        f.write((FIXTURES / "training/khai-sinh-dao-tao.yml").read_text(encoding="utf-8"))
    session = mini / "handbook/dao-tao/ho-tich-co-ban.yml"
    session.parent.mkdir(parents=True, exist_ok=True)
    shutil.copy(FIXTURES / "training/ho-tich-co-ban.yml", session)
    text = session.read_text(encoding="utf-8")
    assert "khai-sinh-uy-quyen]" in text
    session.write_text(text.replace("khai-sinh-uy-quyen]", "khai-sinh-uy-quyn]", 1), encoding="utf-8")
    _, sink = load_handbook(mini)
    assert [e.message for e in sink.errors] == ["không có tình huống mã 'khai-sinh-uy-quyn'"]
    relabel(model.Training, "scenarios", item_label="bài tập tình huống")
    _, sink = load_handbook(mini)
    assert [e.message for e in sink.errors] == ["không có bài tập tình huống mã 'khai-sinh-uy-quyn'"]
