"""Clean: raw documents become articles, with boilerplate removed and the reasons kept."""

from __future__ import annotations

import hashlib
import json
from pathlib import Path

import pytest

from storydesk.clean import clean
from storydesk.clean.meta import date_stamp, link_host, parse_date, split_authors
from storydesk.clean.rules import classify, is_shouted
from storydesk.clean.structure import derive_title, split_lines
from storydesk.errors import InputError
from storydesk.ingest import read_sources
from storydesk.model import Article, RawDocument
from storydesk.options import Options

FIXTURES = Path(__file__).resolve().parent / "fixtures" / "ingest"
SEEDS = Path(__file__).resolve().parents[2] / "shared" / "seeds"
needs_seeds = pytest.mark.skipif(not SEEDS.is_dir(), reason="../shared/seeds not present")


def text_doc(text: str, source: str = "t.txt", media_type: str = "text/plain") -> RawDocument:
    data = text.encode("utf-8")
    return RawDocument(source, data, media_type, hashlib.sha256(data).hexdigest())


def record_doc(**fields: object) -> RawDocument:
    data = json.dumps(fields).encode("utf-8")
    hints = tuple((k, str(v)) for k, v in fields.items() if k != "text" and isinstance(v, str))
    return RawDocument(
        "r.jsonl#line=1",
        data,
        "application/x-storydesk-record",
        hashlib.sha256(data).hexdigest(),
        hints,
    )


def clean_file(path: Path, options: Options | None = None) -> list[Article]:
    opts = options or Options()
    docs = [d for d in read_sources([str(path)], opts) if isinstance(d, RawDocument)]
    return [clean(d, opts) for d in docs]


def reasons(article: Article) -> dict[str, str]:
    return {r.text: r.reason for r in article.removed}


# ---------------------------------------------------------------- plain text


def test_full_scraped_article() -> None:
    (article,) = clean_file(FIXTURES / "glenmoor-gazette.txt")
    lines = [ln for ln in (FIXTURES / "glenmoor-gazette.txt").read_text("utf-8").splitlines() if ln]
    assert article.title == lines[0]
    assert article.subtitle == lines[1]
    assert article.byline == "Ilse Marrow and Teodor Quint"
    assert article.authors == ("Ilse Marrow", "Teodor Quint")
    assert article.dateline == "GLENMOOR"
    assert len(article.paragraphs) == 5
    assert article.paragraphs[0].startswith("The Glenmoor city council voted 9-2")
    assert article.paragraphs[3].startswith("By the end of the meeting")  # a sentence, not a byline
    assert "“thin.”" in article.paragraphs[4]  # curly quotes untouched
    removed = reasons(article)
    assert removed == {
        "COASTAL AFFAIRS DESK": "desk line (no named author)",
        "By Ilse Marrow and Teodor Quint": "byline (kept as metadata)",
        "GLENMOOR": "dateline (kept as metadata)",
        "Share | Tweet | Email": "share buttons",
        "Advertisement": "advertisement marker",
        "FERRY FARES TO RISE FOR THIRD YEAR IN A ROW": (
            "capitalised line (promo headline or section label)"
        ),
        "Read more: https://www.glenmoorgazette.example/news/estuary-mussel-farms-fear-the-worst": (
            "link to another story (to glenmoorgazette.example)"
        ),
        "Related Articles": "related-content heading",
        "https://www.glenmoorgazette.example/newsletter": "bare URL (to glenmoorgazette.example)",
        "Follow us on Instagram for more local news": "social-media promotion",
        "© 2026 Glenmoor Gazette. All rights reserved.": (
            "copyright notice (names the outlet Glenmoor Gazette)"
        ),
    }
    assert article.removed[0].text == "COASTAL AFFAIRS DESK"  # input order
    # The copyright holder names the outlet; it beats the host of a "Read more" link.
    assert article.outlet == "Glenmoor Gazette"

    assert article.published is None and article.url is None


def test_no_headline_agency_dateline_and_footer() -> None:
    (article,) = clean_file(FIXTURES / "northwind-no-headline.txt")
    assert article.dateline == "ARDMOUTH (Northwind Press)"
    assert article.paragraphs[0].startswith("Rail workers in Ardmouth will strike")
    # The title comes from the lead's first sentence, cut at a clause boundary; nothing invented.
    assert article.title.endswith("…")
    assert article.paragraphs[0].startswith(article.title[:-1])
    assert article.outlet == "Northwind Press"
    assert len(article.paragraphs) == 3
    assert reasons(article)["REGIONAL NEWS DESK"] == "desk line (no named author)"
    footer = [r for r in article.removed if r.text.startswith("Northwind Press website")]
    assert footer and footer[0].reason == "subscription notice (names the outlet Northwind Press)"


def test_options_fill_what_the_input_does_not_say() -> None:
    doc = text_doc("Bridge reopens\nThe old bridge reopened on Friday after repairs.\n")
    article = clean(doc, Options(outlet="Quayside Times", published="2026-03-13"))
    assert article.outlet == "Quayside Times"
    assert article.published == "2026-03-13"
    assert article.title == "Bridge reopens"
    assert article.paragraphs == ("The old bridge reopened on Friday after repairs.",)


def test_outlet_evidence_beats_options() -> None:
    text = "Bridge reopens\nThe old bridge reopened on Friday.\nRead more: https://www.quay.example/x\n"
    assert clean(text_doc(text), Options(outlet="Elsewhere")).outlet == "quay.example"


def test_nothing_invented_without_evidence() -> None:
    article = clean(text_doc("Bridge reopens\nThe old bridge reopened on Friday.\n"), Options())
    assert (article.outlet, article.published, article.byline, article.url) == (None,) * 4
    assert article.authors == () and article.dateline is None and article.subtitle is None


def test_unparseable_published_option_is_dropped_not_fatal() -> None:
    article = clean(text_doc("Title\nA body sentence here.\n"), Options(published="soonish"))
    assert article.published is None


def test_date_stamp_line_dates_the_article() -> None:
    text = "Quay wall repaired\nPublished: March 4, 2026 10:15 GMT\nWorkers finished the wall.\n"
    article = clean(text_doc(text), Options(published="2026-01-01"))
    assert article.published == "2026-03-04"
    assert reasons(article)["Published: March 4, 2026 10:15 GMT"].startswith("date stamp")


def test_whitespace_is_normalised_but_characters_kept() -> None:
    text = "  Title  here \r\n\r\n\u00a0The  mayor\u00a0said  “yes” — twice.\t\n\n\n"
    article = clean(text_doc(text), Options())
    assert article.title == "Title here"
    assert article.paragraphs == ("The mayor said “yes” — twice.",)


def test_blank_line_separated_and_single_line_layouts_agree() -> None:
    body = ["Title of story", "First paragraph of the story.", "Second paragraph of it."]
    a = clean(text_doc("\n".join(body)), Options())
    b = clean(text_doc("\n\n".join(body)), Options())
    assert a.paragraphs == b.paragraphs == tuple(body[1:])


def test_hard_wrapped_paragraphs_are_rejoined() -> None:
    text = (
        "Harbour board votes to close the old grain pier\n\n"
        "The Port Ellis harbour board voted on Tuesday to close the old grain\n"
        "pier, the board's chair told reporters after a meeting that ran late\n"
        "into the evening. The vote was five to two in the end, she added.\n\n"
        "Dockworkers said they would protest on Friday and said that about\n"
        "140 jobs were at risk if the pier closed as planned this summer.\n"
    )
    article = clean(text_doc(text), Options())
    assert article.title == "Harbour board votes to close the old grain pier"
    assert len(article.paragraphs) == 2
    assert article.paragraphs[0].startswith("The Port Ellis harbour board voted on Tuesday to")
    assert "grain pier, the board's chair" in article.paragraphs[0]


def test_only_debris_is_an_input_error() -> None:
    text = "Advertisement\nRelated Content\nhttps://example.org/\n"
    with pytest.raises(InputError, match="no body text remains"):
        clean(text_doc(text), Options())


def test_invalid_utf8_is_an_input_error() -> None:
    doc = RawDocument("x.txt", b"ok \xff", "text/plain", "0" * 64)
    with pytest.raises(InputError, match=r"not valid UTF-8 \(byte 0xff at offset 3\)"):
        clean(doc, Options())


def test_unknown_media_type_is_an_input_error() -> None:
    doc = RawDocument("x.pdf", b"%PDF", "application/pdf", "0" * 64)
    with pytest.raises(InputError, match="unsupported media type"):
        clean(doc, Options())


def test_article_keeps_source_and_hash() -> None:
    doc = text_doc("Title\nBody sentence.\n", source="some/where.txt")
    article = clean(doc, Options())
    assert (article.source, article.sha256) == ("some/where.txt", doc.sha256)


@pytest.mark.parametrize(
    "sentence",
    [
        "By the end of the year, the pier will be gone.",
        "By Thursday evening the crowd had doubled.",
        "Related talks between the two unions broke down in May.",
        "Copyright law was not the issue, the judge said.",
        "Follow the money, the auditor told the committee.",
        "Share prices fell 4 percent on the news.",
        "The newsletter, sent to 3,000 members, urged calm.",
        "NATO said the exercise would go ahead as planned.",
        "“WE WILL NOT MOVE,” read a banner on the quay.",
        "Subscribers to the ferry pass will get a refund.",
        "Advertising revenue fell by a third last year.",
        "Desk officers at the station were not told.",
        "Read more than 300 pages of the report and you find little.",
    ],
)
def test_body_sentences_that_resemble_debris_survive(sentence: str) -> None:
    text = f"Title of the story\nA first paragraph of the story.\n{sentence}\nA last line.\n"
    article = clean(text_doc(text), Options())
    assert sentence in article.paragraphs
    assert classify(sentence) is None


# ---------------------------------------------------------------- records and HTML


def test_record_fields_are_used_and_title_repeat_dropped() -> None:
    (article, second) = clean_file(FIXTURES / "records.jsonl")
    assert article.source.endswith("records.jsonl#line=1")
    assert article.title == "Lantern festival returns to Corvell after three-year pause"
    assert article.url == "https://www.corvell-courier.example/culture/lanterns"
    assert article.outlet == "corvell-courier.example"  # the URL's host, "www." dropped
    assert article.published == "2026-04-02"
    assert article.byline == "Sana Ruel" and article.authors == ("Sana Ruel",)
    assert article.dateline == "CORVELL"
    assert len(article.paragraphs) == 3
    assert reasons(article)[article.title] == "repeats the title"
    assert second.outlet == "Velmor Herald"
    assert second.published is None  # "not a date" is dropped, not fatal


def test_record_outlet_hint_beats_url_host() -> None:
    doc = record_doc(text="A body sentence.", outlet="Harbor Wire", url="https://hw.example/a")
    assert clean(doc, Options(outlet="Other")).outlet == "Harbor Wire"


def test_record_text_splits_on_newlines() -> None:
    doc = record_doc(text="First paragraph here.\nSecond one.\n\n\nThird one.", title="T")
    article = clean(doc, Options())
    assert article.paragraphs == ("First paragraph here.", "Second one.", "Third one.")
    assert article.title == "T"


def test_html_page_with_trafilatura() -> None:
    (article,) = clean_file(FIXTURES / "tarn-observer.html")
    assert article.title == "Tarn valley orchards count cost of late frost"
    assert article.outlet == "Tarn Observer"
    assert article.published == "2026-04-14"
    assert article.url == "https://www.tarnobserver.example/valley/orchards-frost"
    assert article.byline == "Odile Venn"
    assert article.dateline == "TARNBRIDGE"
    assert len(article.paragraphs) == 3
    assert article.paragraphs[0].startswith("Fruit growers in the Tarn valley")
    assert "this year’s apricot blossom" in article.paragraphs[0]  # entities decoded
    assert article.paragraphs[2].endswith("before deciding on aid.")
    assert reasons(article) == {
        "Advertisement": "advertisement marker",
        article.title: "repeats the title",
    }
    assert not any("Frost candles" in p or p == "Home" for p in article.paragraphs)


def test_html_without_an_article_is_an_input_error() -> None:
    doc = text_doc("<html><body><div>Only divs</div></body></html>", "x.html", "text/html")
    with pytest.raises(InputError, match="no article found"):
        clean(doc, Options())


def test_html_declared_charset_is_honoured() -> None:
    body = "The café on the corner of the market square closed on Monday after forty years. " * 3
    page = (
        '<meta charset="windows-1252"><meta property="og:type" content="article">'
        f"<h1>Café</h1><p>{body.strip()}</p>"
    )
    doc = RawDocument("x.html", page.encode("cp1252"), "text/html", "0" * 64)
    article = clean(doc, Options())
    assert article.title == "Café" and article.paragraphs == (body.strip(),)


def test_html_undeclared_bad_bytes_are_an_input_error() -> None:
    doc = RawDocument("x.html", b"<p>caf\xe9</p>", "text/html", "0" * 64)
    with pytest.raises(InputError, match=r"not valid UTF-8 \(byte 0xe9 at offset 6\)"):
        clean(doc, Options())


# ---------------------------------------------------------------- helpers


@pytest.mark.parametrize(
    ("value", "iso"),
    [
        ("2026-03-13", "2026-03-13"),
        ("2026-03-13T23:30:00Z", "2026-03-13"),
        ("2026-03-13 08:00:00+02:00", "2026-03-13"),
        ("Fri, 13 Mar 2026 10:00:00 GMT", "2026-03-13"),
        ("March 13, 2026", "2026-03-13"),
        ("13 March 2026", "2026-03-13"),
        ("Mar. 13th, 2026", "2026-03-13"),
        ("3/13/2026", "2026-03-13"),
        ("13/03/2026", "2026-03-13"),
        ("05/06/2026", None),  # ambiguous
        ("2026-02-30", None),
        ("yesterday", None),
        ("", None),
        (None, None),
    ],
)
def test_parse_date(value: str | None, iso: str | None) -> None:
    assert parse_date(value) == iso


@pytest.mark.parametrize(
    ("line", "expected"),
    [
        ("Published: July 29, 2024", (True, "2024-07-29")),
        ("Updated 3:09 AM EST Dec 19, 2024", (True, "2024-12-19")),
        ("Sunday, July 21, 2024", (True, "2024-07-21")),
        ("26 September 2024, 10:00 (GMT+05:00)", (True, "2024-09-26")),
        ("05/06/2024", (True, None)),
        ("The fire broke out on July 21, 2024 near the dock", (False, None)),
        ("Fire at supermarket", (False, None)),
    ],
)
def test_date_stamp(line: str, expected: tuple[bool, str | None]) -> None:
    assert date_stamp(line) == expected


@pytest.mark.parametrize(
    ("byline", "authors"),
    [
        ("By Jane Roe and Ann Poe", ("Jane Roe", "Ann Poe")),
        ("By Jane Roe, Ann Poe & Li Wei", ("Jane Roe", "Ann Poe", "Li Wei")),
        ("By JANE ROE in Kestrava", ("JANE ROE",)),
        ("By Jane Roe | Staff Writer", ("Jane Roe",)),
        ("By Harbor Wire Staff", ()),
        ("Maria de la Cruz", ("Maria de la Cruz",)),
    ],
)
def test_split_authors(byline: str, authors: tuple[str, ...]) -> None:
    assert split_authors(byline) == authors


@pytest.mark.parametrize(
    ("url", "host"),
    [
        ("https://www.reuters.com/world/x", "reuters.com"),
        ("http://news.example.org:8080/a?b=c", "news.example.org"),
        ("www.example.com/path", "example.com"),
        ("not a url", None),
    ],
)
def test_link_host(url: str, host: str | None) -> None:
    assert link_host(url) == host


def test_is_shouted() -> None:
    assert is_shouted("FERRY FARES TO RISE FOR THIRD YEAR")
    assert not is_shouted("NATO said the drills would go ahead.")
    assert not is_shouted("“STOP THE CUTS!”")
    assert not is_shouted("UN")


def test_derive_title_keeps_short_sentences_and_cuts_long_ones() -> None:
    assert derive_title("The U.S. envoy met Dr. Lee on Nov. 6. Then he left.") == (
        "The U.S. envoy met Dr. Lee on Nov. 6"
    )
    long = "Officials said " + "the plan, which " * 12 + "was approved."
    title = derive_title(long)
    assert title.endswith("…") and len(title) <= 121 and long.startswith(title[:-1])


def test_split_lines_collapses_whitespace() -> None:
    assert split_lines("a  b\n\n\t\nc\u00a0d \r\n") == ["a b", "c d"]


# ---------------------------------------------------------------- the seeds

# Per seed (sorted by name): real body paragraphs, and the 0-based indexes (among non-empty
# lines) of the lines that must be removed, with a word their reason must contain.
SEED_EXPECTATIONS = {
    "000": (8, {}),
    "001": (13, {2: "dateline", 16: "subscription"}),
    "002": (10, {0: "desk", 11: "link"}),
    "003": (9, {8: "capitalised", 11: "related"}),
    "004": (16, {0: "byline"}),
}


@needs_seeds
@pytest.mark.parametrize("prefix", sorted(SEED_EXPECTATIONS))
def test_seed_debris_removed_and_body_kept(prefix: str) -> None:
    (path,) = SEEDS.glob(f"{prefix}_*.txt")
    (article,) = clean_file(path)
    paragraphs, debris = SEED_EXPECTATIONS[prefix]
    lines = [" ".join(ln.split()) for ln in path.read_text("utf-8").splitlines()]
    lines = [ln for ln in lines if ln]
    removed = reasons(article)
    assert len(article.paragraphs) == paragraphs
    assert len(removed) == len(debris)
    for index, word in debris.items():
        assert word in removed[lines[index]], (lines[index], removed)
    # Every kept paragraph is a line of the seed (or one without its dateline prefix).
    for paragraph in article.paragraphs:
        assert any(line.endswith(paragraph) for line in lines)
    # Nothing is lost: every line is the title, the subtitle, a paragraph or removed.
    accounted = {article.title, article.subtitle, *removed}
    for line in lines:
        assert line in accounted or any(line.endswith(p) for p in article.paragraphs)


@needs_seeds
def test_seed_metadata() -> None:
    articles = {p.name[:3]: clean_file(p)[0] for p in sorted(SEEDS.glob("*.txt"))}
    lines = {
        k: [ln.strip() for ln in (next(SEEDS.glob(f"{k}_*.txt"))).read_text("utf-8").splitlines()]
        for k in articles
    }
    assert articles["000"].title == lines["000"][0]
    assert articles["001"].subtitle == lines["001"][1]
    assert articles["003"].title == lines["003"][0]
    for key in ("000", "001", "002"):
        assert articles[key].dateline == "WASHINGTON"
    assert articles["003"].dateline is None and articles["004"].dateline is None
    # Seeds 002 and 004 have no headline: the title is the lead's first sentence, maybe cut.
    for key in ("002", "004"):
        title = articles[key].title.removesuffix("…")
        assert title and articles[key].paragraphs[0].startswith(title)
        assert len(articles[key].title) <= 121
    assert articles["004"].authors == ("Jackson Richman", "Amel Akan")
    assert articles["004"].byline == "Jackson Richman and Amel Akan"
    assert articles["001"].outlet == "Anadolu Agency"
    assert articles["002"].outlet == "nayakashmir.com"
    assert articles["000"].outlet is None
    # issue 18: "confirmed to the Washington Examiner" / "told The Epoch Times", inferred
    assert articles["003"].outlet == "Washington Examiner"
    assert articles["004"].outlet == "The Epoch Times"
    assert all(articles[k].outlet_evidence.inferred for k in ("003", "004"))  # type: ignore[union-attr]
    assert all(a.published is None for a in articles.values())
