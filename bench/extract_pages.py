# ruff: noqa: E501
"""Invented article pages for the extraction benchmark and tests, with their gold body text.

Every outlet, person and event here is made up. Each article is rendered in one of four page
layouts with realistic chrome (navigation, cookie banner, share buttons, related links,
newsletter box, comments, footer, JSON-LD and og: metadata). Run it to (re)write
``tests/fixtures/html/*.html`` and the matching ``*.gold.txt`` body text.
"""

from __future__ import annotations

import html
import json
import sys
from pathlib import Path

OUT = Path(__file__).resolve().parents[1] / "tests" / "fixtures" / "html"

# (slug, outlet, domain, author, date, headline, paragraphs)
ARTICLES: list[tuple[str, str, str, str, str, str, list[str]]] = [
    (
        "ferry-strike",
        "Glenmoor Gazette",
        "glenmoorgazette.example",
        "Ailsa Penrose",
        "2026-03-11",
        "Ferry crews on Glenmoor route walk out over rota changes",
        [
            "Ferry crews on the Glenmoor to Tarnbridge crossing walked out on Tuesday morning, leaving about 1,400 commuters to find other ways across the firth.",
            "The strike was called by the Maritime Workers Union after the operator, Firthlink, introduced a new rota that union officials said would cut rest periods between shifts to nine hours.",
            "“Nobody wants to strand passengers, but tired crews are a safety risk,” said Morag Dunlie, the union's regional organiser, speaking outside the Glenmoor terminal.",
            "Firthlink said the rota complied with national rules and that it had offered talks at the conciliation service on Thursday.",
            "Replacement buses ran via the Kessock bridge, adding roughly fifty minutes to the journey, and the council extended free parking at the park-and-ride site until Friday.",
            "Local businesses on the Tarnbridge side said takings were down sharply. One cafe owner said she had sold a third of her usual morning trade.",
        ],
    ),
    (
        "orchard-frost",
        "Tarn Observer",
        "tarnobserver.example",
        "Odile Venn",
        "2026-04-14",
        "Tarn valley orchards count cost of late frost",
        [
            "Fruit growers in the Tarn valley said on Monday that a late frost had destroyed up to half of this year's apricot blossom, the worst damage since 2017.",
            "Temperatures fell to minus four degrees on two consecutive nights last week, according to the regional weather office, catching trees in full flower.",
            "“Two nights were enough,” said grower Luc Ambry, whose family has farmed near Tarnbridge for four generations. “We lit candles in the rows until three in the morning and it was still not enough.”",
            "The regional farm office said it would assess losses orchard by orchard before deciding whether to open an emergency aid fund.",
            "Cherry growers on the higher slopes fared better because their trees flowered later, the office added.",
        ],
    ),
    (
        "harbour-dredging",
        "Corvell Courier",
        "corvell-courier.example",
        "Sana Ruel",
        "2026-05-02",
        "Corvell harbour dredging delayed by survey of wartime wrecks",
        [
            "Dredging of Corvell's main harbour channel has been delayed by at least six weeks after divers found the remains of two vessels believed to date from the Second World War.",
            "The harbour authority said the contractor had stopped work near the eastern breakwater while marine archaeologists from the university examined the site.",
            "Harbourmaster Ian Feltham said larger cargo ships would continue to enter only at high tide until the channel was deepened to the planned nine metres.",
            "“We would rather lose six weeks than disturb a war grave,” Feltham said. “If they turn out to be naval vessels, there are rules we have to follow.”",
            "The project, budgeted at 14 million euros, is meant to let the port handle container ships of up to 3,000 units by next spring.",
            "Fishermen, who had complained about silt washing into their moorings, welcomed the pause.",
        ],
    ),
    (
        "library-hours",
        "Velmor Herald",
        "velmorherald.example",
        "Priya Castell",
        "2026-06-19",
        "Velmor libraries to open on Sundays after petition",
        [
            "Velmor's three public libraries will open on Sunday afternoons from September, the city council decided on Wednesday after a petition gathered more than 6,000 signatures.",
            "The change will cost about 210,000 crowns a year, mostly for staff, and will be paid for by closing the central library one hour earlier on weekday evenings, when few visitors come.",
            "Councillor Tomas Brandl, who chairs the culture committee, said weekend visitor numbers in neighbouring towns had risen by a quarter after similar changes.",
            "Students had led the campaign, arguing that the libraries were the only quiet places to study in several districts.",
            "The opposition voted against, saying the weekday cut would hurt older readers who visit after work.",
        ],
    ),
    (
        "bridge-inspection",
        "Northwind Post",
        "northwindpost.example",
        "Jonas Eklund",
        "2026-07-08",
        "Old rail bridge at Northwind closed after inspection finds corroded bearings",
        [
            "The old rail bridge over the Lune at Northwind was closed to all traffic on Tuesday after engineers found badly corroded bearings under its central span.",
            "The regional rail operator said freight trains would be diverted through Kelby, adding about two hours to journeys, and that passenger services would be replaced by buses between Northwind and Ashby.",
            "An inspection report seen by the Northwind Post rated two of the six bearings as “poor” and recommended closing the bridge until they are replaced.",
            "“Safety comes before timetables,” the operator's chief engineer, Helga Marten, told reporters. She said replacement parts had been ordered and the work could take three months.",
            "The bridge, built in 1911, carries around forty trains a day. A plan to replace it entirely has been postponed twice for lack of money.",
            "Local shops near the station said they feared losing passing trade during the closure.",
        ],
    ),
    (
        "school-meals",
        "Ashby Echo",
        "ashbyecho.example",
        "Ruth Okafor",
        "2026-09-03",
        "Ashby schools switch to local suppliers for meals",
        [
            "Primary schools in Ashby began serving lunches made mostly from locally grown food this week, under a contract that the district says will cost no more than the old one.",
            "The new supplier, a cooperative of eleven farms within forty kilometres of the town, will provide vegetables, dairy and bread, while meat and fish will still come from a national wholesaler.",
            "Head teacher Daniel Moss said pupils at Ashby Green school had eaten noticeably more of their vegetables on the first day. “The carrots still had soil on them on Monday morning,” he said.",
            "Parents' groups had asked for the change for two years, citing long delivery chains and heavily processed meals.",
            "The district will review costs and food waste in December before deciding whether to extend the scheme to secondary schools.",
        ],
    ),
    (
        "wind-farm",
        "Kessock Times",
        "kessocktimes.example",
        "Fergus Bain",
        "2026-10-21",
        "Kessock offshore wind farm wins approval with limits on turbine height",
        [
            "Planners approved a 36-turbine wind farm off the Kessock coast on Monday but capped the height of the turbines at 220 metres, lower than the developer had sought.",
            "The developer, Northsea Breeze, had asked for 260-metre turbines, arguing that taller machines would generate more power from fewer foundations.",
            "Residents of the coastal villages had objected that the taller turbines would dominate views from the shore, and 1,200 written objections were lodged during the consultation.",
            "“This is a balanced decision,” said planning committee chair Elspeth Gow. “The coast gets clean power and keeps its horizon.”",
            "Northsea Breeze said it would study the ruling before deciding whether to appeal. The company had said the farm could power about 300,000 homes.",
        ],
    ),
    (
        "market-fire",
        "Glenmoor Gazette",
        "glenmoorgazette.example",
        "Callum Reid",
        "2026-02-02",
        "Fire at Glenmoor covered market destroys six stalls",
        [
            "A fire broke out at Glenmoor's covered market early on Sunday, destroying six stalls and damaging the roof of the Victorian hall.",
            "Firefighters were called at 4.12 a.m. and had the blaze under control within an hour, the fire service said. No one was hurt.",
            "Stallholder Jean Maclure, who has sold cheese at the market for nineteen years, said she had lost all her stock. “It is everything I had in the fridges,” she said.",
            "The council said the rest of the market would reopen on Wednesday once engineers had checked the roof.",
            "The cause of the fire is being investigated, but officers said they were not treating it as suspicious.",
        ],
    ),
    (
        "museum-loan",
        "Tarn Observer",
        "tarnobserver.example",
        "Marc Delorme",
        "2026-08-27",
        "Tarnbridge museum borrows medieval map for anniversary show",
        [
            "The Tarnbridge town museum will display a fifteenth-century map of the valley on loan from the national archives, the first time the document has left the capital in forty years.",
            "The map, drawn on vellum around 1460, shows the original course of the river before it was straightened in the eighteenth century.",
            "Curator Amélie Roche said the museum had installed new climate controls and lighting to meet the archives' conditions for the loan.",
            "“Visitors will be able to find their own streets on it, or at least the fields where their streets are now,” Roche said.",
            "The exhibition opens on October 3 to mark 800 years since the town's charter and runs until the end of January.",
        ],
    ),
    (
        "bus-fares",
        "Corvell Courier",
        "corvell-courier.example",
        "Hana Vidal",
        "2026-01-15",
        "Corvell cuts bus fares for under-25s",
        [
            "Young people under 25 will pay half price on Corvell's city buses from February under a plan approved by the transport authority on Thursday.",
            "The authority expects the discount to cost 1.8 million euros a year, partly offset by an expected rise of ten per cent in passenger numbers.",
            "Transport councillor Rui Andrade said the aim was to build the habit of taking the bus before young people bought cars.",
            "Student unions welcomed the move but said they would keep campaigning for free travel.",
            "The discount will require a registered travel card, which can be ordered online or at the central bus station.",
        ],
    ),
    (
        "flood-defences",
        "Northwind Post",
        "northwindpost.example",
        "Ingrid Sol",
        "2026-11-04",
        "Northwind flood wall finished a year late",
        [
            "A new flood wall along the Lune in Northwind was completed on Monday, a year behind schedule and 30 per cent over its original budget.",
            "The two-kilometre wall is designed to protect about 900 homes from the kind of flooding that hit the lower town in 2021.",
            "The regional environment agency blamed the delay on a shortage of steel piling and on the discovery of an old gas main under the riverside path.",
            "Resident Peter Hagen, whose house flooded twice in five years, said he would believe it worked when he saw it hold. “But I will sleep better this winter,” he said.",
            "The agency said the riverside path would reopen to walkers and cyclists next week.",
        ],
    ),
    (
        "cheese-award",
        "Ashby Echo",
        "ashbyecho.example",
        "Tom Pryce",
        "2026-10-09",
        "Ashby dairy's blue cheese named best in the country",
        [
            "A blue cheese made by a family dairy outside Ashby has been named the best cheese in the country at the national cheese awards.",
            "The Hollow Blue, made from the milk of about 120 cows at Brook End farm, beat more than 900 entries, the organisers said on Saturday.",
            "Cheesemaker Lucy Brook said the recipe had been changed only once since her grandmother created it, when the family switched to vegetarian rennet.",
            "“We make it in small batches and turn every wheel by hand,” she said. “That is the only secret we are willing to tell.”",
            "The dairy said it expected orders to triple and that it would not be able to supply new shops until the spring.",
        ],
    ),
]

NAV = """<header class="site-header"><a class="logo" href="/">{outlet}</a>
<nav><ul><li><a href="/news">News</a></li><li><a href="/sport">Sport</a></li>
<li><a href="/business">Business</a></li><li><a href="/opinion">Opinion</a></li>
<li><a href="/subscribe">Subscribe</a></li></ul></nav></header>
<div id="cookie-banner" class="consent"><p>We use cookies to improve your experience and to
show you personalised advertising. By continuing to browse you agree to our use of cookies.</p>
<button>Accept all</button><button>Manage settings</button></div>"""

RELATED = """<aside class="related"><h3>Related stories</h3><ul>
<li><a href="/news/council-budget">Council budget gap widens to record level</a></li>
<li><a href="/news/road-works">Road works to close high street for a month</a></li>
<li><a href="/news/weather">Storm warning issued for the weekend</a></li></ul></aside>"""

NEWSLETTER = """<div class="newsletter-box"><h4>Get the morning briefing</h4>
<p>Sign up for our free newsletter and get the day's top stories in your inbox.</p>
<form><input type="email" placeholder="Your email"><button>Sign up</button></form></div>"""

FOOTER = """<footer class="site-footer"><p>&copy; 2026 {outlet}. All rights reserved.</p>
<ul><li><a href="/about">About us</a></li><li><a href="/contact">Contact</a></li>
<li><a href="/privacy">Privacy policy</a></li><li><a href="/terms">Terms</a></li></ul></footer>"""


def _head(a: dict[str, str], ld: bool, charset: str = "utf-8") -> str:
    """The <head> of a page."""
    url = f"https://www.{a['domain']}/news/{a['date'][:4]}/{a['slug']}"
    meta = [
        f'<meta charset="{charset}">',
        f"<title>{html.escape(a['headline'])} | {html.escape(a['outlet'])}</title>",
        f'<link rel="canonical" href="{url}">',
        f'<meta property="og:title" content="{html.escape(a["headline"])}">',
        f'<meta property="og:site_name" content="{html.escape(a["outlet"])}">',
        '<meta property="og:type" content="article">',
        f'<meta property="og:url" content="{url}">',
        '<meta name="viewport" content="width=device-width, initial-scale=1">',
        '<script>window.dataLayer = window.dataLayer || []; dataLayer.push({"page": "article"});'
        "</script>",
    ]
    if ld:
        data = {
            "@context": "https://schema.org",
            "@type": "NewsArticle",
            "headline": a["headline"],
            "datePublished": f"{a['date']}T08:30:00+01:00",
            "author": [{"@type": "Person", "name": a["author"]}],
            "publisher": {"@type": "Organization", "name": a["outlet"]},
            "mainEntityOfPage": {"@id": url},
        }
        meta.append(f'<script type="application/ld+json">{json.dumps(data)}</script>')
    else:
        meta.append(f'<meta property="article:published_time" content="{a["date"]}T07:00:00Z">')
        meta.append(f'<meta name="author" content="{html.escape(a["author"])}">')
    return "<head>\n" + "\n".join(meta) + "\n</head>"


def layout_article(a: dict[str, str], paras: list[str]) -> str:
    """Layout A: semantic <article>, inline advert, related links, newsletter box."""
    body = [f"<p>{html.escape(p)}</p>" for p in paras]
    body.insert(2, '<div class="ad-slot"><p>Advertisement</p></div>')
    return f"""<!DOCTYPE html>
<html lang="en">
{_head(a, ld=True)}
<body>
{NAV.format(outlet=html.escape(a["outlet"]))}
<main>
<article>
<h1>{html.escape(a["headline"])}</h1>
<div class="byline">By <a href="/authors/x">{html.escape(a["author"])}</a></div>
<time datetime="{a["date"]}">{a["date"]}</time>
<figure><img src="/img/lead.jpg" alt=""><figcaption>Photo: Staff photographer</figcaption></figure>
{chr(10).join(body)}
<div class="share"><a href="#">Share</a> <a href="#">Tweet</a> <a href="#">Email</a></div>
</article>
{RELATED}
{NEWSLETTER}
</main>
{FOOTER.format(outlet=html.escape(a["outlet"]))}
</body>
</html>
"""


def layout_divs(a: dict[str, str], paras: list[str]) -> str:
    """Layout B: no <article>; a story-body div, a read-more link, most-read list."""
    body = [f"<p>{html.escape(p)}</p>" for p in paras]
    body.insert(
        3,
        '<p><strong>Read more:</strong> <a href="/news/older">Earlier coverage'
        " of the dispute</a></p>",
    )
    return f"""<!DOCTYPE html>
<html lang="en">
{_head(a, ld=False)}
<body>
{NAV.format(outlet=html.escape(a["outlet"]))}
<div class="container"><div class="row"><div class="col-main">
<div class="headline-block"><h1 class="story-title">{html.escape(a["headline"])}</h1>
<p class="meta">{html.escape(a["author"])} &middot; {a["date"]}</p></div>
<div class="story-body">
{chr(10).join(body)}
</div>
<div class="tags"><a href="/tag/local">Local</a> <a href="/tag/news">News</a></div>
</div>
<div class="col-side"><div class="most-read"><h3>Most read</h3><ol>
<li><a href="/a">Man rescued from cliff after six hours</a></li>
<li><a href="/b">New cafe opens in old bank building</a></li>
<li><a href="/c">Council tax to rise by three per cent</a></li></ol></div></div>
</div></div>
{FOOTER.format(outlet=html.escape(a["outlet"]))}
</body>
</html>
"""


def layout_blog(a: dict[str, str], paras: list[str]) -> str:
    """Layout C: <main> with an entry-content div and a comments section."""
    body = "\n".join(f"<p>{html.escape(p)}</p>" for p in paras)
    return f"""<!DOCTYPE html>
<html lang="en">
{_head(a, ld=True)}
<body class="single-post">
{NAV.format(outlet=html.escape(a["outlet"]))}
<main id="content">
<header class="entry-header"><h1 class="entry-title">{html.escape(a["headline"])}</h1>
<span class="author vcard">{html.escape(a["author"])}</span>
<span class="posted-on">{a["date"]}</span></header>
<div class="entry-content">
{body}
</div>
{NEWSLETTER}
<section id="comments" class="comments-area"><h2>3 comments</h2>
<ol class="comment-list"><li class="comment"><p>About time something was done about this.</p></li>
<li class="comment"><p>I remember when this happened last time, nobody listened.</p></li>
<li class="comment"><p>Great reporting, thank you.</p></li></ol></section>
</main>
{RELATED}
{FOOTER.format(outlet=html.escape(a["outlet"]))}
</body>
</html>
"""


def layout_legacy(a: dict[str, str], paras: list[str]) -> str:
    """Layout D: an old table layout in windows-1252, with <br> separated paragraphs."""
    body = "<br><br>\n".join(html.escape(p) for p in paras)
    return f"""<!DOCTYPE html PUBLIC "-//W3C//DTD HTML 4.01 Transitional//EN">
<html>
{_head(a, ld=False, charset="windows-1252")}
<body>
<table width="100%"><tr><td class="nav"><a href="/">Home</a> | <a href="/news">News</a> |
<a href="/archive">Archive</a></td></tr>
<tr><td class="story"><h2>{html.escape(a["headline"])}</h2>
<font size="2">By {html.escape(a["author"])}</font><br><br>
<div class="text">{body}</div>
</td></tr>
<tr><td class="footer">&copy; 2026 {html.escape(a["outlet"])}. All rights reserved.
<a href="/contact">Contact</a></td></tr></table>
</body>
</html>
"""


LAYOUTS = (layout_article, layout_divs, layout_blog, layout_legacy)


def pages() -> list[tuple[str, bytes, str]]:
    """(file name, page bytes, gold body text) of every benchmark page."""
    out = []
    for i, (slug, outlet, domain, author, date, headline, paras) in enumerate(ARTICLES):
        a = {
            "slug": slug,
            "outlet": outlet,
            "domain": domain,
            "author": author,
            "date": date,
            "headline": headline,
        }
        layout = LAYOUTS[i % len(LAYOUTS)]
        page = layout(a, paras)
        encoding = "cp1252" if layout is layout_legacy else "utf-8"
        data = page.encode(encoding, errors="xmlcharrefreplace")
        out.append((f"{slug}.html", data, "\n".join(paras) + "\n"))
    return out


def main() -> None:
    """Write the pages and gold texts under tests/fixtures/html/."""
    OUT.mkdir(parents=True, exist_ok=True)
    for name, data, gold in pages():
        (OUT / name).write_bytes(data)
        (OUT / name.replace(".html", ".gold.txt")).write_text(gold, encoding="utf-8")
    print(f"wrote {len(ARTICLES)} pages to {OUT}", file=sys.stderr)


if __name__ == "__main__":
    main()
