"""Canonical names shared across a story: countries with their short forms and demonyms."""

from __future__ import annotations

import re
from collections.abc import Mapping
from types import MappingProxyType

# Country ; other names and abbreviations ; demonyms (adjectives and nouns for its people).
_COUNTRY_ROWS = """
United States;US,U.S.,USA,U.S.A.,United States of America,America;American,Americans
United Kingdom;UK,U.K.,Britain,Great Britain;British,Briton,Britons
United Arab Emirates;UAE,U.A.E.,Emirates;Emirati,Emiratis
European Union;EU,E.U.;
United Nations;UN,U.N.;
Soviet Union;USSR,U.S.S.R.;Soviet
Russia;Russian Federation;Russian,Russians
China;People's Republic of China,PRC;Chinese
Taiwan;;Taiwanese
Japan;;Japanese
South Korea;Republic of Korea;South Korean,South Koreans
North Korea;DPRK;North Korean,North Koreans
India;;Indian,Indians
Pakistan;;Pakistani,Pakistanis
Afghanistan;;Afghan,Afghans
Bangladesh;;Bangladeshi
Indonesia;;Indonesian,Indonesians
Malaysia;;Malaysian
Philippines;;Filipino,Philippine
Vietnam;;Vietnamese
Thailand;;Thai
Australia;;Australian,Australians
New Zealand;;New Zealander
Canada;;Canadian,Canadians
Mexico;;Mexican,Mexicans
Brazil;;Brazilian,Brazilians
Argentina;;Argentine,Argentinian
Venezuela;;Venezuelan,Venezuelans
Colombia;;Colombian,Colombians
Cuba;;Cuban,Cubans
France;;French
Germany;;German,Germans
Italy;;Italian,Italians
Spain;;Spanish,Spaniard,Spaniards
Portugal;;Portuguese
Netherlands;Holland;Dutch
Belgium;;Belgian
Switzerland;;Swiss
Austria;;Austrian
Poland;;Polish,Pole,Poles
Ukraine;;Ukrainian,Ukrainians
Belarus;;Belarusian
Hungary;;Hungarian
Romania;;Romanian
Greece;;Greek,Greeks
Sweden;;Swedish,Swede,Swedes
Norway;;Norwegian
Denmark;;Danish
Finland;;Finnish
Ireland;;Irish
Turkey;Turkiye,Türkiye;Turkish,Turk,Turks
Israel;;Israeli,Israelis
Iran;;Iranian,Iranians
Iraq;;Iraqi,Iraqis
Syria;;Syrian,Syrians
Lebanon;;Lebanese
Jordan;;Jordanian
Egypt;;Egyptian,Egyptians
Saudi Arabia;KSA;Saudi,Saudis
Qatar;;Qatari
Kuwait;;Kuwaiti
Bahrain;;Bahraini
Oman;;Omani
Yemen;;Yemeni
Morocco;;Moroccan
Algeria;;Algerian
Tunisia;;Tunisian
Libya;;Libyan
Sudan;;Sudanese
Ethiopia;;Ethiopian
Kenya;;Kenyan
Nigeria;;Nigerian
South Africa;;South African
Armenia;;Armenian
Azerbaijan;;Azerbaijani,Azeri
Georgia;;Georgian
Kazakhstan;;Kazakh,Kazakhs,Kazakhstani
Uzbekistan;;Uzbek,Uzbeks
Kyrgyzstan;;Kyrgyz
Tajikistan;;Tajik,Tajiks
Turkmenistan;;Turkmen
Mongolia;;Mongolian
"""


def _fold(name: str) -> str:
    """A comparison form: case, dots, curly apostrophes and spacing ignored."""
    return " ".join(name.casefold().replace(".", "").replace("’", "'").split())


def _tables() -> tuple[Mapping[str, str], Mapping[str, str]]:
    """(any name or abbreviation -> country, demonym -> country), read from the rows above."""
    names: dict[str, str] = {}
    demonyms: dict[str, str] = {}
    for row in _COUNTRY_ROWS.strip().splitlines():
        country, others, people = row.split(";")
        for name in [country, *filter(None, others.split(","))]:
            names[_fold(name)] = country
        for word in filter(None, people.split(",")):
            demonyms[_fold(word)] = country
    return MappingProxyType(names), MappingProxyType(demonyms)


COUNTRY_NAMES, DEMONYMS = _tables()
# The names above that stand for one country or union wherever they appear, so that entity
# names and story-index keys fold them into the full name. The wider table also serves who's
# who, where context tells more: "Emirates" (also an airline) or "Soviet" are not folded here.
SHORT_FORMS: Mapping[str, str] = MappingProxyType(
    {
        _fold(name): COUNTRY_NAMES[_fold(name)]
        for name in (
            "United States", "US", "USA", "United States of America", "America",
            "United Kingdom", "UK", "Britain", "Great Britain",
            "United Arab Emirates", "UAE", "European Union", "EU", "United Nations", "UN",
            "Soviet Union", "USSR", "Saudi Arabia", "KSA",
        )
    }
)  # fmt: skip
_POSSESSIVE = re.compile(r"(?:['’]s|(?<=s)['’])$")


def country_named(name: str) -> str | None:
    """The country a name or abbreviation stands for ("U.S." -> "United States"), or None."""
    folded = _fold(_POSSESSIVE.sub("", name.strip()))
    return COUNTRY_NAMES.get(folded.removeprefix("the "))


def short_form(name: str) -> str | None:
    """The full name an unambiguous short form stands for ("U.S." -> "United States"), or None."""
    return SHORT_FORMS.get(_fold(name))


def demonym_country(word: str) -> str | None:
    """The country a demonym belongs to ("Kazakh" -> "Kazakhstan"), or None."""
    return DEMONYMS.get(_fold(word))


def person_key(name: str) -> str:
    """A person's name for comparison: case, dots, hyphens and a possessive ignored."""
    return _fold(_POSSESSIVE.sub("", name).replace("-", " "))
