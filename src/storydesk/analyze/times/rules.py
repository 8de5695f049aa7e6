"""The patterns that find time expressions in news text, one per kind of expression.

``find`` runs them over each block and resolves what they find; the group names (``m`` month,
``d`` day, ``y`` year, ``w`` the words, ``u`` unit, ...) are what its resolver reads.
"""

from __future__ import annotations

import re

from storydesk.analyze.times import holidays
from storydesk.text.numbers import TEENS, TENS, UNITS

_TENS, _UNITS, _TEENS = ("|".join(words) for words in (TENS, UNITS, TEENS))
SPELLED_YEAR = (  # "nineteen ninety-six", "two thousand one": years as transcripts write them
    rf"(?i:nineteen)[\s-]+(?:(?:{_TENS})(?:[\s-]+(?:{_UNITS}))?|{_TEENS}|oh[\s-]+(?:{_UNITS}))"
    rf"|(?i:two\s+thousand)\s+(?:and\s+)?(?:{_UNITS}|{_TEENS})|(?<=year\s)(?i:two\s+thousand)"
)
MONTH_FULL = "January|February|March|April|May|June|July|August|September|October|November|December"
MONTH_ABBR = "Jan|Feb|Mar|Apr|Jun|Jul|Aug|Sept|Sep|Oct|Nov|Dec"
MONTH = rf"(?:{MONTH_FULL}|(?:{MONTH_ABBR})\.?)"
MONTH_STRICT = rf"(?:{MONTH_FULL}|(?:{MONTH_ABBR})\.)"
WEEKDAY = "Monday|Tuesday|Wednesday|Thursday|Friday|Saturday|Sunday"
YEAR = r"(?:1[89]\d\d|20\d\d)"
NUM = (
    rf"(?i:(?:{_TENS})[\s-](?:{_UNITS})\b|\d{{1,3}}(?:,\d{{3}})+|\d+(?:\.\d+)?|a few|few"
    rf"|a couple of|couple of|several|many|some|an?|{_UNITS}|{_TEENS}|{_TENS}"
    rf"|(?:a|{_UNITS})\s+(?:hundred|thousand))"
)
MORE = r"(?:\s+(?i:more|additional|further|extra))?"  # "20 more years", "an additional year"
UNIT = (
    r"seconds?|minutes?|hours?|days?|weeks?|months?|years?|decades?|century|centuries"
    r"|quarters(?!\s+of\b)"  # "three quarters of the vote" is a share
)
DECADE_WORDS = {"twenties": 2, "thirties": 3, "forties": 4, "fifties": 5, "sixties": 6,
                "seventies": 7, "eighties": 8, "nineties": 9}  # fmt: skip
ORDINAL_CENTURIES = {"eighteenth": 18, "nineteenth": 19, "twentieth": 20, "twenty-first": 21}
# Nouns that "today's" makes present-day rather than of one day: "today's youth", "today's world"
GENERIC_NOUNS = (
    "world|society|youth|generations?|children|kids|teenagers|students|families|economy"
    "|culture|technology|computers|consumers|standards|politics|leaders"
)
DAY = r"(?P<d>\d{1,2})(?:st|nd|rd|th)?"
CLOCK = (
    r"(?P<h>1[0-2]|0?[1-9])(?::(?P<mi>[0-5]\d))?\s*(?P<ap>[ap]\.m\.|[ap]m)(?!\w)"
    r"|(?P<noon>noon|midday|midnight)"
)

RULES: tuple[tuple[str, re.Pattern[str]], ...] = tuple(
    (kind, re.compile(pattern))
    for kind, pattern in (
        (
            "weekday_date",
            rf"\b(?P<w>{WEEKDAY}),?\s+(?P<m>{MONTH})\s+{DAY}\b(?:,?\s+(?P<y>{YEAR})\b)?",
        ),
        (  # the year may come after a second day: "March 3-4, 2025"
            "month_day",
            rf"\b(?P<m>{MONTH})\s+{DAY}\b(?:,?\s+(?P<y>{YEAR})\b"
            rf"|(?=\s*(?:and|or|&|to|through|-|–)\s*\d{{1,2}}(?:st|nd|rd|th)?,?\s+(?P<y2>{YEAR})\b))?",
        ),
        (  # the second day of "April 24 and 25" (not "March 3 and 4 were hurt")
            "second_day",
            rf"\b(?P<m>{MONTH})\s+\d{{1,2}}(?:st|nd|rd|th)?\s*(?:and|or|&|to|through|-|–)\s*"
            rf"{DAY}\b(?:,?\s+(?P<y>{YEAR})\b)?"
            r"(?=\s*(?:[,.;:)\"”]|$)|\s+(?:in|at|on|when|after|before|with|and|for|from)\b)",
        ),
        ("day_month", rf"\b{DAY}\s+(?:of\s+)?(?P<m>{MONTH_STRICT})(?:,?\s+(?P<y>{YEAR}))?(?!\w)"),
        ("month_year", rf"\b(?P<m>{MONTH_STRICT})\s+(?:of\s+)?(?P<y>{YEAR}|{SPELLED_YEAR})\b"),
        (
            "half_year",
            rf"\b(?:(?i:the)\s+)?(?P<h>(?i:first|second|last|latter))\s+(?:half|two\s+quarters)"
            rf"\s+of\s+(?P<y>{YEAR})\b",
        ),
        (
            "half_rel_year",
            r"\b(?:(?i:the)\s+)?(?P<h>(?i:first|second|latter))\s+half\s+of\s+"
            r"(?P<rel>(?i:the|this|last|next))\s+year\b(?![-\s]+(?:ago|earlier|before))",
        ),
        (
            "week_of",
            rf"\b(?:(?i:the)\s+)?(?i:week)\s+of\s+(?P<m>{MONTH})\s+{DAY}\b(?:,?\s+(?P<y>{YEAR})\b)?",
        ),
        (  # "the last week of March": a week inside a month, given as that month
            "week_of_month",
            rf"\b(?i:the)\s+(?i:first|second|third|fourth|last|final|closing|opening)\s+"
            rf"(?i:weeks?|days)\s+of\s+(?P<m>{MONTH_FULL})\b(?:,?\s+(?P<y>{YEAR})\b)?",
        ),
        (
            "month_rel_year",
            rf"\b(?P<m>{MONTH_FULL})\s+(?P<rel>(?i:this|next|last))\s+year\b",
        ),
        ("part_year", rf"\b(?i:mid|early|late|post|pre)-(?P<y>{YEAR})\b"),
        ("year_period", rf"\b(?i:the)\s+(?P<y>{YEAR})\s+(?:period|quarter)\b"),
        (
            "month",
            rf"(?:\b(?P<mod>(?i:last|next|this|early|late|mid))[\s-]+|\b(?i:in|since|until|by"
            rf"|through|from|during|before|after|between|and|or|of|for)\s+)"
            rf"(?P<m>{MONTH_FULL})\b(?!\s+\d)",
        ),
        (  # "the October slaying", "a June agreement", "December's figures"
            "month_noun",
            rf"(?:\b(?i:the|an?)\s+(?P<m>{MONTH_FULL})\s+(?!(?:of|on|to|for|and|or|in|at|by|with)\b)"
            rf"(?=[a-z])|\b(?P<m2>{MONTH_FULL})['’]s\s)",
        ),
        ("iso", r"\b(?P<y>(?:1[89]|20)\d\d)-(?P<mo>[01]\d)-(?P<d>[0-3]\d)\b"),
        ("numeric", r"\b(?P<mo>1[0-2]|0?[1-9])/(?P<d>3[01]|[12]\d|0?[1-9])/(?P<y>(?:19|20)\d\d)\b"),
        (
            "weekday",
            rf"\b(?:(?P<mod>(?i:last|next|this(?=\s+coming\b)|this|coming))\s+(?:(?i:coming)\s+)?)?"
            rf"(?P<w>{WEEKDAY})(?P<pl>s)?\b"
            r"(?:\s+(?P<part>morning|afternoon|evening|night)(?P<parts>s)?\b"
            rf"|(?=\s+(?:and|or)\s+(?:{WEEKDAY})\s+(?P<cpart>morning|afternoon|evening|night)s\b))?",
        ),  # "Monday and Tuesday nights": the plural part of the day belongs to both days
        (  # "the previous Friday": the one before the day the story last named
            "weekday_around",
            rf"\b(?i:the)\s+(?P<mod>(?i:previous|preceding|following))\s+(?P<w>{WEEKDAY})\b",
        ),
        (
            "every",
            rf"\b(?i:every|each)\s+(?P<u>day|week|month|quarter|year|morning|night|{WEEKDAY}"
            rf"|{MONTH_FULL})\b",
        ),
        (  # "every other week", "every two years"
            "every_n",
            rf"\b(?i:every)\s+(?P<n>(?i:other)|{NUM})\s+"
            r"(?P<u>days|weeks|months|years|hours|minutes|week|month|year|day)\b",
        ),
        ("adverb_set", r"\b(?P<a>hourly|daily|weekly|monthly|annually|yearly|nightly)\b"),
        (  # not "today's world", "the leaders of tomorrow": the present or future in general
            "deictic",
            rf"\b(?P<w>[Tt]oday(?!['’]s\s+(?:[a-z]+\s+){{0,2}}?(?:{GENERIC_NOUNS})\b)|[Tt]onight"
            r"|[Yy]esterday|(?:(?<!\bof\s)|(?=\w+['’]s\b))[Tt]omorrow)\b"
            r"(?:\s+(?P<part>morning|afternoon|evening|night)\b)?",
        ),
        (
            "day_beyond",
            r"\b(?i:the)\s+day\s+(?:(?P<before>(?i:before)\s+(?i:yesterday))"
            r"|(?i:after)\s+(?i:tomorrow))\b",
        ),
        ("quarter_abbr", rf"\b(?:Q(?P<q>[1-4])|(?P<q2>[1-4])Q)(?:\s+(?P<y>{YEAR}))?\b"),
        (  # "fiscal 2014", "fiscal year 2014", "FY2014": the company's year of that number
            "fiscal_year",
            rf"\b(?:(?i:fiscal)\s+(?:(?i:year)\s+)?|FY\s?)(?P<y>{YEAR})\b",
        ),
        (  # "mid-afternoon yesterday", "by mid morning"
            "mid_part",
            rf"\b(?i:mid)[-\s]?(?P<part>morning|afternoon)\b(?:\s+(?P<w>{WEEKDAY}"
            r"|(?i:yesterday|today|tomorrow))\b)?",
        ),
        ("later_date", r"\b(?P<w>(?i:a)\s+(?:later|future)\s+date)\b"),
        (
            "ref",
            r"(?<![Aa]s\s)\b(?P<w>[Nn]ow|[Rr]ecently|[Cc]urrently|[Rr]ecent|[Ss]oon)\b"
            r"(?![-’']|\s+(?:as|after)\b)",
        ),
        (  # "the current system": now, unless a fixed phrase ("current account", "the current")
            "current",
            r"\b(?P<w>(?:(?P<then>[Tt]hen)[\s-])?[Cc]urrent)\s+"
            r"(?!(?:accounts?|assets|liabilities|affairs|events|yield|of|and|to|in)\b)(?=[a-z])",
        ),
        ("recent_units", r"\b(?i:recent)\s+(?P<u>years|months|weeks|days|decades)\b"),
        ("the_past", r"\b(?i:in)\s+(?P<w>the\s+past)\b"),
        (  # "will one day be", "hopes to one day lead", "someday": an unnamed time
            "some_day",
            r"\b(?:(?i:will|would|could|might|may|can|shall|should|must|to|he|she|they|we|I|you"
            r"|it)\s+(?P<w>(?i:one)\s+day)\b(?=\s+(?!(?:a|an|the|per|each|every|of|in|at|on|for"
            r"|and|or|after|before|later|earlier|last|next|this|that)\b)[a-z]+)"
            r"|(?P<w2>(?i:someday))\b)",
        ),
        ("era", r"\b(?P<w>(?i:these\s+days|nowadays))\b"),  # the present, not one day
        (  # "in past years": some time before now, not a length of time
            "past_units",
            r"\b(?i:in|of|during)\s+(?P<w>(?i:past)\s+(?:years|decades|months|weeks))\b",
        ),
        ("future_units", r"\b(?i:future)\s+(?:years|decades|months|weeks|quarters)\b"),
        (  # "that night", "the day before.": a part of, or a day beside, the day last named
            "that_part",
            r"\b(?:(?i:earlier|later)\s+)?(?:(?i:that)\s+(?P<part>morning|afternoon|evening|night)"
            r"\b|(?i:the)\s+(?P<p2>day|night)\s+(?P<rel>before|after)(?=\s*[,.;:]|\s*$))",
        ),
        (  # "the next morning": the day after the one the story last named
            "day_after",
            r"\b(?i:the)\s+(?i:next|following)\s+(?:(?P<day>day)|(?P<part>morning|afternoon"
            r"|evening|night))\b",
        ),
        (  # "the years to come", "within weeks": an unnamed stretch of time
            "vague_stretch",
            r"\b(?:(?:(?i:the)\s+)?(?P<u>years|months|weeks|days|decades)\s+to\s+come"
            r"|(?i:within)\s+(?P<u2>years|months|weeks|days|hours|minutes))\b",
        ),
        (
            "coming_units",
            r"\b(?:(?i:the)\s+)?(?:(?i:coming)\s+(?P<u>years|months|weeks|days)"
            r"|(?P<u2>years|months|weeks|days)\s+ahead)\b",
        ),
        (
            "season",
            r"\b(?:(?P<past>(?i:this\s+past))|(?i:the))\s+(?:(?i:early|late)\s+)?"
            r"(?P<s>spring|summer|winter|autumn)\b(?!\s+of\b)",
        ),
        (  # "in the fall": a season only after a preposition, not "the fall of Rome" or "in prices"
            "season_fall",
            r"\b(?i:in|during|by|until|since|through)\s+(?P<w>the\s+(?:(?i:early|late)\s+)?fall)\b"
            r"(?!\s+(?:of|in|to|from)\b)",
        ),
        ("spelled_year", rf"\b(?:(?i:the\s+year)\s+)?(?P<y>{SPELLED_YEAR})\b"),
        ("weekend", r"\b(?P<w>(?i:the)\s+weekend)\b"),
        (
            "the_year",
            r"\b(?:(?P<p>(?i:for|of|in|during|through|throughout))\s+)?(?P<w>(?i:the)\s+"
            r"(?P<mod>(?:full|current|fiscal|current fiscal)\s+)?year)\b(?!-|\s+\d)"
            r"(?:\s+(?P<end>end(?:ed|ing)))?",
        ),
        (
            "year_back",
            r"\b(?:(?i:the)\s+(?:(?i:comparable|same)\s+)?)?(?:(?i:a|one)\s+year\s+(?i:earlier|before)"
            r"|(?i:year)-(?:ago|earlier)(?:\s+(?:(?P<q>first|second|third|fourth)\s+)?"
            r"(?:quarter|period))?)\b",
        ),
        (  # "the same period last year", "last year's quarter": the named quarter a year back
            "period_last_year",
            r"\b(?:(?i:the)\s+(?:same|corresponding|comparable)\s+(?:quarter|period)\s+"
            r"(?:(?i:of|in)\s+)?(?:last\s+year|a\s+year\s+(?:ago|earlier))"
            r"|(?i:last)\s+year['’]s\s+(?:quarter|period))\b",
        ),
        (
            "quarter",
            rf"\b(?:(?i:the)\s+)?(?:(?P<y>{YEAR})(?:['’]s)?\s+|(?P<rel>(?i:next|last|this))\s+"
            r"year['’]s\s+)?(?P<q>(?i:first|second|third|fourth|final|1st|2nd|3rd|4th))[\s-]"
            rf"(?i:quarter)\b(?:\s+of\s+(?:(?i:fiscal)\s+(?:(?i:year)\s+)?)?(?P<y2>{YEAR})\b"
            r"|\s+of\s+(?P<rel2>(?i:next|last|this))\s+(?:(?i:fiscal)\s+)?year\b)?",
        ),
        (
            "the_quarter",
            r"\b(?i:the)\s+(?:(?P<mod>(?i:latest|last|past|current|recent))\s+)?"
            r"(?:(?i:quarter)|(?<=latest\s)period)\b(?!-)",
        ),
        ("term_ref", r"\b(?P<w>(?i:the)\s+(?:near|short)\s+term)\b(?!-)"),
        ("future_ref", r"\b(?P<w>the\s+(?:near\s+|distant\s+|foreseeable\s+)?future)\b"),
        (  # "half an hour", "a half-hour", "half a year": half of one unit
            "half_unit",
            r"\b(?:(?i:half)\s+(?:an?|one)\s+(?P<u>minute|hour|day|week|month|year|decade|century)"
            r"|(?i:an?)\s+half[\s-](?P<u2>hour|day))\b",
        ),
        (  # "two years from now", "a week from today": that far ahead of publication
            "from_now",
            rf"\b(?P<n>{NUM})[\s-]+(?P<u>days?|weeks?|months?|quarters?|years?|decades?)\s+"
            r"(?i:from)\s+(?i:now|today)\b",
        ),
        (  # "next fiscal year", "the previous fiscal year": the year beside the current one
            "fiscal_rel",
            r"\b(?:(?i:the)\s+)?(?P<mod>(?i:next|last|previous|prior|coming|this))\s+"
            r"(?i:fiscal)\s+year\b(?!\s+\d)",
        ),
        (  # "a day-long meeting", "a decades-long battle": a length made an adjective
            "long_adj",
            rf"\b(?:(?P<n>{NUM})-)?(?P<u>(?i:hour|day|week|month|year|decade|centur(?:y|ie))"
            r"(?P<pl>s)?)-long\b",
        ),
        (  # "this past weekend", "this past week": the one just gone
            "this_past",
            r"\b(?i:this)\s+(?i:past)\s+(?P<u>week|weekend|month)\b",
        ),
        (
            "relative",
            r"\b(?P<lead>(?i:earlier|later)\s+)?(?P<mod>(?i:this|last|next|coming))\s+"
            r"(?P<u>week|weekend|month|quarter|year|decade|morning|afternoon|evening|night"
            r"|spring|summer|fall|autumn|winter)\b",
        ),
        (
            "anaphoric",
            r"\b(?P<lead>(?i:earlier|later)\s+)?(?P<mod>(?i:that|the\s+same)|(?i:the)\s+(?:following"
            r"|previous|preceding|prior))\s+(?P<u>day|week|month|quarter|year)\b",
        ),
        (
            "per_unit",
            r"\b(?P<prev>[\w$%]+)\s+(?P<w>(?:a|an|per)\s+(?P<u>year|month|week|day|hour))\b"
            r"(?!\s+(?:ago|later|earlier|before|after|from|or|and))",
        ),
        ("ago", rf"\b(?P<n>{NUM})[\s-]+(?P<u>{UNIT})\s+(?:or\s+so\s+)?ago\b"),
        (
            "span",
            rf"\b(?i:the\s+)?(?i:past|last|next|first|coming)\s+(?P<n>{NUM})\s+"
            rf"(?P<u>{UNIT}|quarters?)\b",
        ),
        ("past_unit", r"\b(?i:the\s+)?(?i:past)\s+(?P<u>week|month|year|decade)\b"),
        (
            "duration",
            rf"(?<![\d.,/])\b(?P<n>{NUM}){MORE}(?P<half>\s+1/2|\s+and\s+a\s+half)?[\s-]+"
            rf"(?:(?i:trading|business|working)\s+(?=days?\b))?(?P<u>{UNIT})\b(?![\s-]+old\b)"
            r"(?P<and_half>\s+and\s+a\s+half\b)?",
        ),
        (  # the first bound of "two to three weeks", "5-10 years": a length in the same unit
            "range_low",
            rf"(?<![\d.,/$])\b(?P<n>\d+|(?i:{_UNITS}|{_TEENS}|{_TENS}))\s*(?:to|or|-|–)\s*"
            rf"(?=(?:{NUM}){MORE}[\s-]+(?P<u>{UNIT})\b(?![\s-]+old\b))",
        ),
        ("for_units", r"\b(?i:for)\s+(?P<u>years|decades|months|weeks|days|hours|centuries)\b"),
        ("decade", r"(?<![\w$])(?:(?P<y>(?:1[89]|20)\d0)[’']?s|['’](?P<yy>[1-9]0)s)\b"),
        ("decade_word", rf"\b(?i:the)\s+(?P<dw>(?i:{'|'.join(DECADE_WORDS)}))\b"),
        (
            "century",
            rf"\b(?:(?i:the)\s+)?(?:(?P<n>\d{{1,2}})(?:st|nd|rd|th)|(?P<nw>(?i:"
            rf"{'|'.join(ORDINAL_CENTURIES)})))[\s-]+century\b",  # not "21st Century Fox"
        ),
        (
            "clock_part",
            r"\b(?P<h>1[0-2]|0?[1-9])(?::(?P<mi>[0-5]\d))?\s+(?:o['’]clock\s+)?in\s+the\s+"
            r"(?P<part>morning|afternoon|evening|night)\b",
        ),
        ("year", rf"(?<![\w$£€.,/:-]){YEAR}(?![\w%]|[.,:/]\d|-\d|\s*(?:percent|per cent))"),
        ("clock", rf"\b(?:{CLOCK})"),
        (
            "clock_day",
            rf"\b(?:{CLOCK})(?:\s+(?:[ECMP][SD]T|GMT|UTC)\b)?,?\s+(?:(?:on|of)\s+)?"
            rf"(?:(?P<w>{WEEKDAY})|(?P<m>{MONTH})\s+{DAY}\b"
            r"|(?P<dw>(?i:yesterday|today|tomorrow|tonight))\b)",
        ),
        (
            "holiday",
            rf"\b(?:(?P<mod>(?i:last|next|this))\s+)?(?P<hol>(?i:{holidays.NAMES}))\b"
            rf"(?P<week>\s+(?i:week)\b)?(?:,?\s+(?P<y>{YEAR})\b)?",
        ),
        (
            "season_year",
            rf"\b(?:(?i:the)\s+)?(?P<s>(?i:spring|summer|fall|autumn|winter))\s+(?:of\s+)?"
            rf"(?P<y>{YEAR}|{SPELLED_YEAR})\b",
        ),
    )
)
SPAN_GROUP = {
    "ref": "w",
    "term_ref": "w",
    "current": "w",
    "later_date": "w",
    "future_ref": "w",
    "for_units": "u",
    "per_unit": "w",
    "the_past": "w",
    "era": "w",
    "range_low": "n",
    "season_fall": "w",
    "past_units": "w",
    "weekend": "w",
    "the_year": "w",
}
