import re
import shutil
import subprocess
from dataclasses import replace
from datetime import date
from pathlib import Path

import pytest

from xuanren.register.appointment_form import (
    FONT_CANDIDATES,
    FontNotFoundError,
    find_cjk_font,
    render_appointment_form,
)
from xuanren.register.lrmx import FamilyMember, LrmxPerson, ResumePeriod, YearMonth, parse_lrmx

SAMPLE = parse_lrmx((Path(__file__).parent / "data" / "sample.lrmx").read_bytes())
ON = date(2024, 5, 20)

needs_poppler = pytest.mark.skipif(
    shutil.which("pdftotext") is None or shutil.which("pdfinfo") is None,
    reason="pdftotext/pdfinfo not installed (Debian package poppler-utils); cannot read the PDF back",
)


def pdf_text(pdf: bytes, tmp_path: Path) -> str:
    path = tmp_path / "form.pdf"
    path.write_bytes(pdf)
    done = subprocess.run(["pdftotext", "-layout", str(path), "-"], capture_output=True, check=True)
    return done.stdout.decode("utf-8")


def pdf_pages(pdf: bytes, tmp_path: Path) -> int:
    path = tmp_path / "info.pdf"
    path.write_bytes(pdf)
    done = subprocess.run(["pdfinfo", str(path)], capture_output=True, check=True, text=True)
    match = re.search(r"^Pages:\s+(\d+)$", done.stdout, flags=re.MULTILINE)
    assert match, done.stdout
    return int(match.group(1))


def squeeze(text: str) -> str:
    return re.sub(r"\s+", "", text)


def test_sample_is_a_two_page_pdf() -> None:
    pdf = render_appointment_form(SAMPLE, ON)
    assert pdf.startswith(b"%PDF-")
    assert pdf.rstrip().endswith(b"%%EOF")
    assert len(re.findall(rb"/Type /Page\b(?!s)", pdf)) == 2


@needs_poppler
def test_sample_reads_back_with_title_name_and_ages(tmp_path: Path) -> None:
    # Headings written top to bottom (简历, 审批机关意见 ...) do not read back as words.
    pdf = render_appointment_form(SAMPLE, ON)
    assert pdf_pages(pdf, tmp_path) == 2
    text = squeeze(pdf_text(pdf, tmp_path))
    for expected in (
        "干部任免审批表",
        "马志强",
        "1978.04",
        "（46岁）",
        "临泽县沙河镇党委书记",
        "2020.12--",
        "在甘肃省委党校经济管理专业在职研究生班学习",
        "李晓燕",
        "中共临泽县委组织部",
        "填表人：陈静",
        "填表时间：2024.05",
    ):
        assert expected in text, expected


@needs_poppler
def test_family_ages_are_counted_on_the_given_day(tmp_path: Path) -> None:
    # 儿子 born 2005.09: 18 on 2024-05-20, 19 from 2024-09-01.
    earlier = squeeze(pdf_text(render_appointment_form(SAMPLE, ON), tmp_path))
    later = squeeze(pdf_text(render_appointment_form(SAMPLE, date(2024, 9, 1)), tmp_path))
    assert "儿子马一鸣18共青团员" in earlier
    assert "儿子马一鸣19共青团员" in later


def test_same_form_gives_the_same_bytes() -> None:
    assert render_appointment_form(SAMPLE, ON) == render_appointment_form(SAMPLE, ON)


@needs_poppler
def test_empty_form_still_prints_both_pages(tmp_path: Path) -> None:
    pdf = render_appointment_form(LrmxPerson(), ON)
    assert pdf_pages(pdf, tmp_path) == 2
    assert "干部任免审批表" in squeeze(pdf_text(pdf, tmp_path))


@needs_poppler
def test_damaged_photo_does_not_stop_printing(tmp_path: Path) -> None:
    pdf = render_appointment_form(replace(SAMPLE, photo=b"\xff\xd8\xffbroken"), ON)
    assert "照片无法显示" in squeeze(pdf_text(pdf, tmp_path))


@needs_poppler
def test_long_resume_continues_on_an_extra_page_without_losing_a_period(tmp_path: Path) -> None:
    periods = [
        ResumePeriod(
            YearMonth(1980 + i, 1 + i % 12),
            YearMonth(1981 + i, 1 + i % 12),
            f"某某县某某乡镇党委委员、副乡长，分管农业农村、林业草原、水利水务和乡村振兴工作第{i}段",
        )
        for i in range(45)
    ]
    pdf = render_appointment_form(replace(SAMPLE, resume=periods), ON)
    assert pdf_pages(pdf, tmp_path) == 3
    text = squeeze(pdf_text(pdf, tmp_path))
    assert "（下转续页）" in text
    assert "干部任免审批表（续页）" in text
    assert "简历（续）" in text
    for i in range(45):
        assert f"乡村振兴工作第{i}段" in text


@needs_poppler
def test_long_text_cell_continues_with_all_of_its_text(tmp_path: Path) -> None:
    rewards = "\n".join(f"{2000 + i}年被评为全县优秀共产党员，记三等功一次，第{i}项。" for i in range(25))
    pdf = render_appointment_form(replace(SAMPLE, rewards_and_sanctions=rewards), ON)
    text = squeeze(pdf_text(pdf, tmp_path))
    assert "奖惩情况（续）" in text
    for i in range(25):
        assert f"第{i}项" in text


@needs_poppler
def test_many_family_members_continue_as_whole_rows(tmp_path: Path) -> None:
    family = [
        FamilyMember(
            relation="表兄",
            name=f"王{'一二三四五六七八九十'[i % 10]}{i}",
            birth=YearMonth(1970, 1),
            political_status="群众",
            work_unit_and_post="临泽县平川镇村民",
        )
        for i in range(14)
    ]
    pdf = render_appointment_form(replace(SAMPLE, family=family), ON)
    text = squeeze(pdf_text(pdf, tmp_path))
    assert "（其余成员下转续页）" in text
    assert "家庭主要成员及重要社会关系（续）" in text
    for member in family:
        assert member.name in text


def test_missing_font_names_the_debian_package() -> None:
    with pytest.raises(FontNotFoundError, match="fonts-wqy-zenhei"):
        find_cjk_font([Path("/nonexistent/wqy-zenhei.ttc")])


def test_font_is_found_among_the_candidates() -> None:
    assert find_cjk_font() in FONT_CANDIDATES


def test_font_path_can_be_given(tmp_path: Path) -> None:
    other = tmp_path / "zenhei-copy.ttc"
    other.symlink_to(find_cjk_font())
    assert render_appointment_form(SAMPLE, ON, font_path=other).startswith(b"%PDF-")
