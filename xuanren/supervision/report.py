"""The annual selection-work report (年度选人用人工作报告) of a jurisdiction: campaigns and posts,
nominees by channel, the competitive ratios reached, complaints and their outcomes, exceptions and
appeals (DOMAIN D9: periodic public reports of supervision results). One page with server-drawn
bars and one Excel workbook, both from :func:`annual_report`.
"""

from __future__ import annotations

import dataclasses
import io
from collections import Counter
from collections.abc import Iterator
from fractions import Fraction

from django.db.models import Count, Q

from xuanren.accounts.models import Jurisdiction
from xuanren.campaigns.models import Appeal, Campaign, Candidate, Nomination
from xuanren.record.models import Entry
from xuanren.supervision.alerts import EXCEPTIONS
from xuanren.supervision.models import Complaint

# States a candidate reaches only after becoming an inspection candidate (考察对象).
INSPECTED_STATES = (
    Candidate.State.INSPECTION_CANDIDATE,
    Candidate.State.INSPECTED,
    Candidate.State.DELIBERATED,
    Candidate.State.APPROVED,
    Candidate.State.REJECTED,
    Candidate.State.POSTPONED,
    Candidate.State.NOTICED,
    Candidate.State.APPOINTED,
    Candidate.State.PROBATION,
    Candidate.State.CONFIRMED_IN_POST,
)
APPOINTED_STATES = (
    Candidate.State.APPOINTED,
    Candidate.State.PROBATION,
    Candidate.State.CONFIRMED_IN_POST,
)
BAR_WIDTH = 300
LABEL_WIDTH = 200
ROW = 26


@dataclasses.dataclass(frozen=True)
class Bar:
    label: str
    count: int
    width: int  # pixels of the SVG bar, proportional to the largest count of its chart
    y: int = 0  # the bar's row in the SVG

    @property
    def text_x(self) -> int:
        return LABEL_WIDTH + self.width + 6


@dataclasses.dataclass(frozen=True)
class Chart:
    bars: list[Bar]

    def __iter__(self) -> Iterator[Bar]:
        return iter(self.bars)

    @property
    def height(self) -> int:
        return ROW * len(self.bars)


@dataclasses.dataclass(frozen=True)
class CampaignRow:
    pk: int
    title: str
    posts: int
    nominees: int
    inspection_candidates: int
    appointed: int

    @property
    def ratio(self) -> str:
        """Inspection candidates to posts (差额比例), e.g. ``3:2``; ``—`` without posts."""
        if not self.posts:
            return "—"
        f = Fraction(self.inspection_candidates, self.posts)
        return f"{f.numerator}:{f.denominator}"

    @property
    def competitive(self) -> bool:
        return self.inspection_candidates > self.posts > 0


@dataclasses.dataclass(frozen=True)
class AnnualReport:
    jurisdiction: Jurisdiction
    year: int
    campaigns: list[CampaignRow]
    channels: Chart
    complaints: Chart
    exceptions: Chart
    appeals: Chart

    @property
    def posts(self) -> int:
        return sum(c.posts for c in self.campaigns)

    @property
    def nominees(self) -> int:
        return sum(c.nominees for c in self.campaigns)

    @property
    def competitive_campaigns(self) -> int:
        return sum(1 for c in self.campaigns if c.competitive)

    @property
    def complaint_total(self) -> int:
        return sum(b.count for b in self.complaints)


def bars(pairs: list[tuple[str, int]]) -> Chart:
    top = max((n for _, n in pairs), default=0)
    return Chart(
        [
            Bar(label, n, round(BAR_WIDTH * n / top) if top else 0, i * ROW)
            for i, (label, n) in enumerate(pairs)
        ]
    )


def annual_report(jurisdiction: Jurisdiction, year: int) -> AnnualReport:
    """The report of ``jurisdiction`` (and the jurisdictions under it) for ``year``."""
    under = Q(jurisdiction__path__startswith=jurisdiction.path)
    campaigns = (
        Campaign.objects.filter(under, year=year)
        .annotate(
            n_posts=Count("vacancies", distinct=True),
            n_nominees=Count("candidates", distinct=True),
            n_inspected=Count("candidates", filter=Q(candidates__state__in=INSPECTED_STATES), distinct=True),
            n_appointed=Count("candidates", filter=Q(candidates__state__in=APPOINTED_STATES), distinct=True),
        )
        .order_by("id")
    )
    rows = [
        CampaignRow(c.pk, c.title, c.n_posts, c.n_nominees, c.n_inspected, c.n_appointed) for c in campaigns
    ]
    ids = [r.pk for r in rows]
    by_channel = Counter(Nomination.objects.filter(campaign_id__in=ids).values_list("channel", flat=True))
    channels = bars([(label, by_channel.get(value, 0)) for value, label in Nomination.Channel.choices])

    complaints = Complaint.objects.filter(under, received_on__year=year)
    outcomes = Counter(
        c.outcome if c.status == Complaint.Status.CONCLUDED else c.status
        for c in complaints.only("status", "outcome")
    )
    complaint_bars = bars(
        [(label, outcomes.get(value, 0)) for value, label in Complaint.Outcome.choices]
        + [
            ("核查中", outcomes.get(Complaint.Status.VERIFYING, 0)),
            ("已受理待核查", outcomes.get(Complaint.Status.RECEIVED, 0)),
        ]
    )

    codes = list(
        Jurisdiction.objects.filter(path__startswith=jurisdiction.path).values_list("code", flat=True)
    )
    exception_counts = Counter(
        Entry.objects.filter(
            jurisdiction_code__in=codes, campaign_id__in=ids, action__in=list(EXCEPTIONS)
        ).values_list("action", flat=True)
    )
    direct = sum(
        1
        for e in Entry.objects.filter(
            jurisdiction_code__in=codes, campaign_id__in=ids, action="inspection_candidate_set"
        )
        if e.payload.get("basis") == "direct"
    )
    exception_bars = bars(
        [(label, exception_counts.get(action, 0)) for action, label in EXCEPTIONS.items()]
        + [("直接列为考察对象", direct)]
    )
    appeal_counts = Counter(
        Appeal.objects.filter(candidate__campaign_id__in=ids).values_list("status", flat=True)
    )
    appeal_bars = bars([(label, appeal_counts.get(value, 0)) for value, label in Appeal.Status.choices])
    return AnnualReport(jurisdiction, year, rows, channels, complaint_bars, exception_bars, appeal_bars)


def report_xlsx(report: AnnualReport) -> bytes:
    """The report as an Excel workbook: one sheet per table."""
    from openpyxl import Workbook
    from openpyxl.styles import Font

    book = Workbook()
    sheet = book.active
    assert sheet is not None
    sheet.title = "选任工作"
    sheet.append([f"{report.jurisdiction.name} {report.year} 年度干部选拔任用工作报告"])
    sheet.append(["选任工作", "职位数", "提名人数", "考察对象", "差额比例", "已任职"])
    for c in report.campaigns:
        sheet.append([c.title, c.posts, c.nominees, c.inspection_candidates, c.ratio, c.appointed])
    sheet.append(["合计", report.posts, report.nominees])
    for title, rows in (
        ("提名渠道", report.channels),
        ("信访举报", report.complaints),
        ("规则例外", report.exceptions),
        ("申诉", report.appeals),
    ):
        ws = book.create_sheet(title)
        ws.append(["类别", "数量"])
        for bar in rows:
            ws.append([bar.label, bar.count])
    for ws in book.worksheets:
        for cell in ws[1]:
            cell.font = Font(bold=True)
        ws.column_dimensions["A"].width = 40
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()
