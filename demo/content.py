"""Generated demo content for ``manage.py seed_demo``.

Every sentence here is written for this module and filled in from its own
vocabulary: fictional officials, companies, ships and code names in real
countries and regions. Nothing is copied from a news site. Images are drawn
with Pillow.

Story clusters and the ground truth for "related posts"
-------------------------------------------------------
Articles come in *story clusters*: several articles about one developing story
(a cable cut off Gotland, a frigate contest in Norway, a ceasefire in a border
valley...). A cluster is a ``StoryTemplate`` filled in with one variant (place,
country, region) and generated proper nouns. The articles of a cluster share
its vocabulary in headline and body, a primary category, a few characteristic
tags and one story tag, while general tags (NATO, Procurement...) are shared
across clusters so that tags alone are not an oracle.

Which article belongs to which cluster is fully determined by the seed and the
number of articles, without a database::

    cluster_plan(seed=2026, n_articles=300, *, slug_suffix="")
        -> list[ClusterAssignment(slug, cluster_key, story, position)]

It returns one assignment per article, in the order the command creates them,
with exactly the slugs that ``seed_demo --articles N --seed S`` writes into a
database that has none of them yet. When the command had to suffix every slug
of a run (because they already existed) it prints the suffix; pass it as
``slug_suffix``. A ``cluster_key`` is also the slug of the cluster's story tag.
``--days`` changes dates only, never clusters, slugs or text.

``plan_articles`` gives the full per-article plan the command uses and
``write_article`` its standfirst and body; ``render_pool_image`` and
``render_portrait`` draw the images.
"""

from __future__ import annotations

import functools
import html
import io
import random
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import cast

from django.utils.text import slugify
from PIL import Image, ImageDraw, ImageFont

DEFAULT_SEED = 2026
DEFAULT_ARTICLES = 300
IMAGE_SIZE = (1200, 675)
PORTRAIT_SIZE = 400
IMAGE_CREDIT = "Newshub illustration"
TAGLINE = "Defense News Hub, Military Updates, Security Insights"

# ---------------------------------------------------------------------------
# Sections, tags and authors
# ---------------------------------------------------------------------------


@dataclass(frozen=True)
class CategorySeed:
    name: str
    slug: str
    description: str
    parent: str | None = None


CATEGORIES: tuple[CategorySeed, ...] = (
    CategorySeed(
        "Land Warfare",
        "land-warfare",
        "Armies, exercises, equipment and the logistics that keep them moving.",
    ),
    CategorySeed(
        "Naval Affairs",
        "naval-affairs",
        "Navies, coast guards, shipbuilding and security at sea.",
    ),
    CategorySeed(
        "Air & Space",
        "air-space",
        "Air forces, air defence, military aviation and operations in orbit.",
    ),
    CategorySeed(
        "Cyber & Intelligence",
        "cyber-intelligence",
        "Espionage, cyber attacks, leaks and influence operations.",
    ),
    CategorySeed(
        "Defence Industry",
        "defence-industry",
        "Contracts, factories, budgets and the business of defence.",
    ),
    CategorySeed(
        "Diplomacy & Alliances",
        "diplomacy-alliances",
        "Alliances, peace talks, military aid and peacekeeping.",
    ),
    CategorySeed(
        "Nuclear & Strategic",
        "nuclear-strategic",
        "Deterrence, missile programmes and arms control.",
    ),
    CategorySeed(
        "Homeland Security",
        "homeland-security",
        "Borders, counter-terrorism and the protection of critical infrastructure.",
    ),
    CategorySeed(
        "Analysis",
        "analysis",
        "Explainers, timelines and opinion from our correspondents.",
    ),
    CategorySeed(
        "Armour & Artillery",
        "armour-artillery",
        "Tanks, howitzers, rocket launchers and their ammunition.",
        parent="land-warfare",
    ),
    CategorySeed(
        "Submarines",
        "submarines",
        "Submarine programmes and the hunt for submarines.",
        parent="naval-affairs",
    ),
    CategorySeed(
        "Space",
        "space",
        "Military satellites, launches and the security of orbit.",
        parent="air-space",
    ),
    CategorySeed(
        "Electronic Warfare",
        "electronic-warfare",
        "Jamming, spoofing and the fight over the electromagnetic spectrum.",
        parent="cyber-intelligence",
    ),
)
TOP_CATEGORY = {c.slug: c.parent or c.slug for c in CATEGORIES}
TOP_LEVEL_SLUGS = tuple(c.slug for c in CATEGORIES if c.parent is None)

#: Topic tags. Templates pick their characteristic tags from these, and every
#: article may also get one or two of BROAD_TAGS, so tags overlap between
#: clusters and are no oracle for them.
GENERAL_TAGS: tuple[str, ...] = (
    "NATO", "Procurement", "Drones", "Air Defence", "Missile Defence",
    "Hypersonic Weapons", "Ballistic Missiles", "Submarines", "Frigates",
    "Shipbuilding", "Artillery", "Long-Range Fires", "Ammunition",
    "Armoured Vehicles", "Fighter Jets", "Air Power", "Helicopters",
    "Aviation Safety", "Satellites", "Space Security", "Electronic Warfare",
    "Cyber Attacks", "Ransomware", "Cyber Security", "Espionage",
    "Counter-intelligence", "Intelligence", "Classified Leaks", "Disinformation",
    "Elections", "Critical Infrastructure", "Maritime Security", "Piracy",
    "Shipping", "Coast Guard", "Anti-Submarine Warfare", "Border Security",
    "Surveillance", "Counter-terrorism", "Policing", "Peacekeeping",
    "United Nations", "Diplomacy", "Ceasefires", "Arms Control",
    "Nuclear Deterrence", "Arms Trade", "Export Controls", "Sanctions",
    "Defence Budgets", "Military Exercises", "Training", "Logistics",
    "Military Mobility", "Military Infrastructure", "Recruitment", "Readiness",
    "Modernisation", "Research & Development", "Supply Chains",
    "Loitering Munitions", "Counter-Drone Systems", "Military Aid", "Demining",
    "Post-conflict Recovery", "Arctic", "Indo-Pacific", "Europe", "Africa",
    "Middle East", "South Asia", "Americas",
)  # fmt: skip
BROAD_TAGS: tuple[str, ...] = (
    "NATO", "Procurement", "Training", "Logistics", "Intelligence", "Diplomacy",
    "Defence Budgets", "Readiness", "Supply Chains", "Modernisation", "Sanctions",
    "Research & Development",
)  # fmt: skip
#: Region tags follow the story's country.
REGION_TAGS: dict[str, str] = {
    country: region
    for region, countries in {
        "Europe": (
            "Sweden", "Britain", "Estonia", "Norway", "Greece", "Poland", "Ireland",
            "Denmark", "Germany", "Spain", "France", "Romania", "Portugal",
            "Czechia", "Finland", "Switzerland", "Austria", "Bulgaria", "Italy",
            "Lithuania", "Latvia", "Cyprus", "Belgium", "Türkiye", "Moldova",
            "Bosnia and Herzegovina",
        ),
        "Indo-Pacific": (
            "Taiwan", "Indonesia", "Thailand", "Japan", "Australia", "South Korea",
            "Vietnam", "New Zealand", "Malaysia", "Cambodia",
        ),
        "South Asia": ("India", "Pakistan", "Sri Lanka"),
        "Africa": ("Morocco", "Nigeria", "Djibouti", "Kenya", "Angola", "South Sudan"),
        "Middle East": ("Lebanon", "Egypt"),
        "Americas": ("Canada", "Ecuador", "Colombia"),
    }.items()
    for country in countries
}  # fmt: skip


@dataclass(frozen=True)
class AuthorSeed:
    display_name: str
    role_line: str
    location: str
    beats: tuple[str, ...]  # top-level category slugs
    bio: str

    @property
    def slug(self) -> str:
        return slugify(self.display_name)


AUTHORS: tuple[AuthorSeed, ...] = (
    AuthorSeed(
        "Sana Qureshi",
        "Defence Correspondent",
        "Islamabad",
        ("land-warfare", "nuclear-strategic"),
        "Sana Qureshi covers armies, missile programmes and defence policy across "
        "South Asia. She spent six years reporting from provincial capitals before "
        "joining the defence desk. Her reporting on military procurement has been "
        "cited in parliamentary debates. She studied international relations in "
        "Karachi.",
    ),
    AuthorSeed(
        "Hannah Lindqvist",
        "Naval Affairs Editor",
        "Stockholm",
        ("naval-affairs",),
        "Hannah Lindqvist edits our coverage of navies, shipbuilding and the "
        "security of the seabed. She has reported from warships in the Baltic and "
        "the North Atlantic. Before journalism she worked as a marine engineer.",
    ),
    AuthorSeed(
        "Tomasz Wierzbicki",
        "Central Europe Correspondent",
        "Warsaw",
        ("land-warfare", "homeland-security"),
        "Tomasz Wierzbicki reports on armed forces, borders and military mobility "
        "in Central Europe. He has followed every major exercise in the region for "
        "the past decade. He writes regularly about the logistics that armies "
        "depend on and rarely discuss.",
    ),
    AuthorSeed(
        "Priya Raghunathan",
        "Air & Space Reporter",
        "Bengaluru",
        ("air-space", "cyber-intelligence"),
        "Priya Raghunathan writes about military aviation, satellites and the "
        "growing competition in orbit. She trained as an aerospace engineer and "
        "worked on satellite ground systems before turning to reporting. She is "
        "our lead writer on space security.",
    ),
    AuthorSeed(
        "Daniel Okafor",
        "Defence Industry Editor",
        "London",
        ("defence-industry",),
        "Daniel Okafor follows the money in defence: contracts, factories, budgets "
        "and the companies that compete for them. He previously covered "
        "manufacturing and trade. He is known for reading the annexes of budget "
        "documents that others skip.",
    ),
    AuthorSeed(
        "Leila Haddad",
        "Diplomatic Correspondent",
        "Beirut",
        ("diplomacy-alliances", "analysis"),
        "Leila Haddad covers alliances, peace talks and peacekeeping missions. She "
        "has reported from negotiations in Geneva, Vienna and across the Middle "
        "East. She writes our weekly analysis of diplomacy and security.",
    ),
    AuthorSeed(
        "Kenji Morimoto",
        "Asia-Pacific Correspondent",
        "Tokyo",
        ("naval-affairs", "air-space"),
        "Kenji Morimoto reports on maritime disputes, air power and alliances in "
        "the Indo-Pacific. He has covered the region for more than twelve years. "
        "He speaks Japanese, Korean and English.",
    ),
    AuthorSeed(
        "Farah Siddiqui",
        "Special Correspondent",
        "Lahore",
        ("homeland-security", "diplomacy-alliances"),
        "Farah Siddiqui investigates counter-terrorism, policing and border "
        "security. Her long-form reporting has followed cases from the first "
        "arrest to the final verdict. She joined the newsroom after a decade in "
        "regional television.",
    ),
    AuthorSeed(
        "Marcus Feld",
        "Cyber & Intelligence Correspondent",
        "Berlin",
        ("cyber-intelligence",),
        "Marcus Feld covers espionage, cyber attacks and influence operations. He "
        "has reported on ransomware cases involving defence suppliers across "
        "Europe. He previously worked as a security analyst for a telecoms "
        "company.",
    ),
    AuthorSeed(
        "Abena Mensah",
        "Africa Security Correspondent",
        "Accra",
        ("homeland-security", "naval-affairs", "diplomacy-alliances"),
        "Abena Mensah reports on maritime security, peacekeeping and "
        "counter-terrorism across Africa. She has covered piracy in the Gulf of "
        "Guinea from ports and patrol boats. She holds a degree in law.",
    ),
    AuthorSeed(
        "Rafael Montoya",
        "Senior Analyst",
        "Madrid",
        ("analysis", "nuclear-strategic"),
        "Rafael Montoya writes analysis on deterrence, arms control and military "
        "strategy. He spent fifteen years as a researcher before joining the "
        "newsroom. His explainers aim to make technical subjects clear without "
        "making them simple.",
    ),
    AuthorSeed(
        "Ingrid Solheim",
        "Nordic Correspondent",
        "Oslo",
        ("land-warfare", "naval-affairs", "air-space"),
        "Ingrid Solheim covers the Nordic countries and the High North, from "
        "Arctic bases to air defence. She has reported from exercises above the "
        "Arctic Circle in every season. She grew up in Tromsø.",
    ),
)

# ---------------------------------------------------------------------------
# Generated proper nouns
# ---------------------------------------------------------------------------

# First names | surnames, per naming tradition; officials are fictional
# combinations of the two.
_NAME_POOLS = {
    "swedish": "Ingrid Mikael Elin Johan Karin Anders"
    " | Lindgren Berglund Nyqvist Sjöberg Viklund Eklund",
    "norwegian": "Astrid Lars Sigrid Henrik Kari Eirik"
    " | Halvorsen Dahl Strand Aaberg Bakke Haugen",
    "danish": "Sofie Mads Anne Rasmus Jens Camilla"
    " | Nørgaard Holm Kjær Lund Thomsen Vestergaard",
    "finnish": "Aino Mikko Laura Jussi Elina Antti"
    " | Virtanen Korhonen Mäkelä Heikkinen Laine Salonen",
    "estonian": "Kristjan Liis Mart Kadri Tanel Triin"
    " | Tamm Sepp Kask Rebane Mägi Saar",
    "latvian": "Rihards Ilze Janis Laura Kristaps Inese"
    " | Ozols Kalnins Liepa Berzins Krumins Zarins",
    "lithuanian": "Andrius Ieva Tomas Rasa Mindaugas Egle"
    " | Vaitkus Petrauskas Kazlauskas Jankauskas Stankevicius Zukauskas",
    "polish": "Marta Piotr Agnieszka Marek Katarzyna Tomasz"
    " | Kowalczyk Nowak Mazur Krawczyk Wojcik Zielinski",
    "czech": "Jana Pavel Petra Jakub Lucie Ondrej"
    " | Novak Dvorak Horak Cerny Prochazka Kral",
    "bosnian": "Amra Emir Lejla Adnan Selma Haris"
    " | Hadzic Kovacevic Begic Mehmedovic Delic Hodzic",
    "german": "Claudia Tobias Katrin Stefan Julia Matthias"
    " | Keller Bauer Renner Hoffmann Vogel Brandt",
    "french": "Claire Julien Élodie Mathieu Camille Olivier"
    " | Moreau Delacroix Fontaine Girard Lefèvre Mercier",
    "english": "Helen Thomas Sophie James Fiona Simon"
    " | Hartley Ashworth Whitlow Brennan Dunmore Pritchard",
    "spanish": "Lucía Mateo Camila Andrés Paula Rodrigo"
    " | Herrera Salazar Medina Ibarra Fuentes Restrepo",
    "portuguese": "Inês João Beatriz Tiago Marta Nuno"
    " | Carvalho Moura Tavares Ferreira Pinto Sousa",
    "italian": "Giulia Marco Chiara Lorenzo Francesca Davide"
    " | Rinaldi Conti Ferraro Galli Moretti Bianchi",
    "greek": "Nikos Eleni Giorgos Katerina Dimitris Maria"
    " | Papadakis Stavrou Kouris Lemonidis Antoniou Georgiou",
    "romanian": "Andreea Mihai Ioana Radu Elena Bogdan"
    " | Popescu Ionescu Dumitrescu Stan Munteanu Ciobanu",
    "bulgarian": "Georgi Ivan Stoyan Dimitar Nikolay Plamen"
    " | Petrov Dimitrov Georgiev Stoyanov Todorov Kolev",
    "turkish": "Elif Mehmet Zeynep Emre Ayşe Burak"
    " | Yılmaz Demir Kaya Aydın Öztürk Çelik",
    "pakistani": "Ayesha Imran Sara Bilal Nadia Faisal"
    " | Qadir Malik Chaudhry Raza Hussain Siddiqui",
    "indian": "Arjun Meera Kabir Ritu Vikram Ananya | Sharma Iyer Menon Bhatt Rao Nair",
    "sri_lankan": "Nimal Dilani Ruwan Chamari Kasun Ishara"
    " | Perera Fernando Gunawardena Silva Bandara Dissanayake",
    "japanese": "Haruto Yui Kenta Aiko Daisuke Emi"
    " | Takeda Sakai Fujita Hayashi Ono Morita",
    "korean": "Min-jun Ji-woo Seo-yeon Hyun-woo Ji-hoon Eun-ji"
    " | Park Kang Yoon Shin Han Jung",
    "taiwanese": "Wei-ting Chia-hao Yu-chen Po-wei Hsin-yi Chih-ming"
    " | Lin Huang Tsai Chen Wu Hsu",
    "malay": "Budi Sari Dewi Agus Rina Hendra"
    " | Santoso Wibowo Pratama Halim Kusuma Nugroho",
    "thai": "Somchai Kanya Niran Pimchanok Anan Ratana"
    " | Srisuk Wongsa Chaiyaporn Boonmee Suksawat Rattanakorn",
    "khmer": "Sokha Dara Chenda Vuthy Sopheap Rithy | Chea Sok Meas Keo Lim Phan",
    "vietnamese": "Linh Minh Thanh Huong Duc Lan | Nguyen Tran Le Pham Vu Dang",
    "arabic": "Omar Layla Khalid Rania Yousef Nour"
    " | Haddad Nasser Khoury Saleh Darwish Hamdan",
    "nigerian": "Chinedu Amara Folake Tunde Ngozi Emeka"
    " | Okonkwo Adeyemi Eze Balogun Nwosu Okoro",
    "kenyan": "Wanjiru Baraka Achieng Kiprono Njeri Amani"
    " | Otieno Kamau Mwangi Wafula Chebet Njoroge",
    "south_sudanese": "Deng Achol Nyandeng Majok Ayen Kuol"
    " | Garang Akol Mabior Lual Madut Ajak",
    "central_asian": "Aibek Nurlan Rustam Timur Daniyar Bakyt"
    " | Osmonov Sadykov Temirov Jumabaev Ismailov Abdyldaev",
}
NAMES: dict[str, tuple[list[str], ...]] = {
    culture: tuple(part.split() for part in pool.split(" | "))
    for culture, pool in _NAME_POOLS.items()
}
COUNTRY_CULTURE = {
    "Sweden": "swedish", "Norway": "norwegian", "Denmark": "danish",
    "Finland": "finnish", "Estonia": "estonian", "Latvia": "latvian",
    "Lithuania": "lithuanian", "Poland": "polish", "Czechia": "czech",
    "Bosnia and Herzegovina": "bosnian", "Germany": "german", "Austria": "german",
    "Switzerland": "german", "France": "french", "Belgium": "french",
    "Britain": "english", "Ireland": "english", "Canada": "english",
    "Australia": "english", "New Zealand": "english", "Spain": "spanish",
    "Colombia": "spanish", "Ecuador": "spanish", "Portugal": "portuguese",
    "Angola": "portuguese", "Italy": "italian", "Greece": "greek",
    "Cyprus": "greek", "Romania": "romanian", "Moldova": "romanian",
    "Bulgaria": "bulgarian", "Türkiye": "turkish", "Pakistan": "pakistani",
    "India": "indian", "Sri Lanka": "sri_lankan", "Japan": "japanese",
    "South Korea": "korean", "Taiwan": "taiwanese", "Indonesia": "malay",
    "Malaysia": "malay", "Thailand": "thai", "Cambodia": "khmer",
    "Vietnam": "vietnamese", "Lebanon": "arabic", "Egypt": "arabic",
    "Morocco": "arabic", "Djibouti": "arabic", "Nigeria": "nigerian",
    "Kenya": "kenyan", "South Sudan": "south_sudanese",
    "Kyrgyzstan": "central_asian", "Kazakhstan": "central_asian",
}  # fmt: skip

CODE_A = (
    "Amber", "Silent", "Iron", "Northern", "Steel", "Granite", "Winter", "Crimson",
    "Bright", "Hidden", "Distant", "Restless", "Copper", "Cobalt", "Scarlet",
    "Silver", "Frozen", "Rolling", "Patient", "Quiet", "Eastern", "Swift", "Lone",
    "Early", "Shadow", "Open", "Stone", "Hollow", "Western", "Golden",
)  # fmt: skip
CODE_B = (
    "Heron", "Lantern", "Anvil", "Harbour", "Falcon", "Shield", "Arrow", "Meridian",
    "Tide", "Ridge", "Compass", "Beacon", "Sentinel", "Trident", "Orchard",
    "Kestrel", "Lynx", "Spear", "Gate", "Bastion", "Current", "Ember", "Summit",
    "Badger", "Rampart", "Owl", "Comet", "Thistle", "Pine", "Glacier",
)  # fmt: skip
VESSEL_A = (
    "Northern", "Amber", "Silver", "Eastern", "Grey", "Ocean", "Coral", "Polar",
    "Golden", "Iron", "Swift", "Blue", "Morning", "Western", "Crimson", "Harbour",
    "Southern", "Evening", "Bright", "Stormy",
)  # fmt: skip
VESSEL_B = (
    "Lantern", "Petrel", "Trader", "Spirit", "Falcon", "Horizon", "Venture",
    "Pioneer", "Tern", "Crest", "Voyager", "Star", "Fortune", "Harvest", "Wind",
    "Gannet", "Courier", "Pilgrim", "Albatross", "Promise",
)  # fmt: skip
COMPANY_A = (
    "Halvard", "Corvane", "Ostmark", "Brightwater", "Kestrel", "Tarragon",
    "Norland", "Veltra", "Ashgrove", "Calder", "Redfern", "Arcturus", "Thornbury",
    "Valemont", "Irongate", "Larkspur", "Westmoor", "Sarnia", "Duvall", "Cresswell",
    "Montague", "Eskerfield", "Varga", "Linwood",
)  # fmt: skip
COMPANY_B = {
    "general": ("Systems", "Dynamics", "Industries", "Defence", "Technologies"),
    "naval": ("Marine", "Shipbuilding", "Naval Systems", "Shipyards"),
    "air": ("Aerospace", "Aviation", "Aero Systems"),
    "munitions": ("Munitions", "Ordnance", "Energetics", "Industries"),
    "cyber": ("Security", "Networks", "Digital"),
    "space": ("Space", "Orbital", "Space Systems"),
}
TOWN_A = (
    "Vor", "Kes", "Tal", "Mar", "Sel", "Dor", "Bran", "Ost", "Kal", "Rud", "Hal",
    "Zar", "Len", "Mir", "Tor", "Var", "Gol", "Nes", "Pel", "Sar", "Bel", "Kor",
    "Lun", "Rav", "Tam", "Ves", "Dal", "Fen", "Gar", "Mor",
)  # fmt: skip
TOWN_B = (
    "ovo", "esk", "ara", "ino", "dal", "gard", "ane", "itsa", "mir", "ova", "holm",
    "ach", "ista", "en", "ur", "avik", "ona", "sk", "ethi", "ossa", "ington",
    "ero", "ima", "ovec",
)  # fmt: skip

# ---------------------------------------------------------------------------
# Story templates
# ---------------------------------------------------------------------------

# Slots every template string may use. The variant supplies place, country,
# region, ally and any extras; each cluster draws the rest.
#   official1/official2, title1/title2  fictional officials and their titles
#   company/company2, vessel, codename, town   generated proper nouns
#   num ("three" to "twelve"), big (120-950), thousands (4-30), pct (55-85), fleet,
#   amount ("$3.4bn"), year
# Generic sentences also use: story, the_story, The_story, short, subject,
# Subject, term1-3, actor1-2, Actor1-2.


@dataclass(frozen=True)
class StoryTemplate:
    key: str
    category: str
    story: str  # the story tag, e.g. "{place} cable incident"
    short: str  # for headlines: "Pressure mounts on Sweden over {short}"
    subject: str  # for sentences: "the damage to the cable off {place}"
    tags: tuple[str, ...]
    terms: tuple[str, ...]
    actors: tuple[str, ...]
    titles: tuple[str, str]
    variants: tuple[dict[str, str], ...]
    headlines: tuple[str, ...]  # the first opens the story; the rest in order
    ledes: tuple[str, ...]
    facts: tuple[str, ...]
    quotes: tuple[str, ...]
    story_ref: str = ""  # how a sentence names the story; "the {story}" if empty
    story_alt: str = ""  # story tag of later instances; `story` if empty
    story_alt_ref: str = ""
    alt: dict[str, str] = field(default_factory=lambda: {"place": "{town}"})
    company_kind: str = "general"


def V(place: str, country: str, region: str, ally: str, **extra: str) -> dict:
    return {"place": place, "country": country, "region": region, "ally": ally} | extra


TEMPLATES: tuple[StoryTemplate, ...] = (
    StoryTemplate(
        key="cable",
        category="naval-affairs",
        story="{place} cable incident",
        short="undersea cable damage",
        subject="the damage to the {sea} cable off {place}",
        tags=("Critical Infrastructure", "Maritime Security", "Coast Guard"),
        terms=("undersea cable", "seabed", "repair vessel", "anchor marks",
               "fibre-optic link", "data traffic"),
        actors=("the coast guard", "the cable operator", "navy divers",
                "maritime investigators"),
        titles=("Coast Guard Commander", "Infrastructure Minister"),
        variants=(
            V("Gotland", "Sweden", "Northern Europe", "Finland", sea="Baltic"),
            V("Shetland", "Britain", "Northern Europe", "Norway", sea="North Sea"),
            V("Matsu", "Taiwan", "East Asia", "Japan", sea="Taiwan Strait"),
            V("Hiiumaa", "Estonia", "the Baltic region", "Finland", sea="Baltic"),
        ),
        headlines=(
            "{country} investigates damage to undersea cable off {place}",
            "Repair ship reaches broken {sea} cable as traffic is rerouted",
            "Investigators find anchor drag marks near severed {place} cable",
            "Cargo ship {vessel} held for questioning over {sea} cable damage",
            "{country} steps up seabed patrols after {place} cable cut",
            "Navy divers recover debris from {sea} cable site",
            "Cable operator restores full service to {place}",
        ),
        ledes=(
            "Authorities in {country} are investigating damage to an undersea cable "
            "off {place}, the latest in a string of incidents involving "
            "infrastructure on the {sea} seabed.",
            "The investigation into the severed cable off {place} moved into a new "
            "phase as {title1} {official1} confirmed that several vessels were "
            "being examined.",
            "Work to repair the broken {sea} cable off {place} continued as "
            "officials in {country} weighed whether the damage was accidental.",
        ),
        facts=(
            "The cable carries most of the data traffic between {place} and the "
            "mainland, and a backup link has carried the load since the fault was "
            "detected.",
            "Tracking data shows the cargo ship {vessel} slowing sharply above the "
            "cable route on the night the fault appeared.",
            "Specialists say an anchor dragged along the seabed can sever a "
            "fibre-optic line without the crew noticing, which makes intent hard "
            "to prove.",
            "A repair vessel must lift both broken ends to the surface and splice in "
            "a new section, a job that can take {num} days in calm weather.",
            "Insurers and the cable operator have opened their own inquiries in "
            "parallel with the official investigation.",
        ),
        quotes=(
            "We are not ruling anything in or out until the evidence has been "
            "examined",
            "The seabed is part of our national infrastructure, and we will protect "
            "it like any other part",
            "Service has been maintained, but the incident shows how much depends on "
            "a handful of cables",
        ),
    ),
    StoryTemplate(
        key="frigate",
        category="defence-industry",
        story="{country} frigate contest",
        story_ref="{country}'s frigate contest",
        story_alt="{codename} frigate programme",
        alt={},
        company_kind="naval",
        short="frigate contest",
        subject="{country}'s competition for new frigates",
        tags=("Procurement", "Frigates", "Shipbuilding"),
        terms=("frigate design", "local shipyard", "industrial offset",
               "air-defence radar", "anti-submarine sonar", "delivery schedule"),
        actors=("the navy", "the defence ministry", "the shipyard unions",
                "the procurement agency"),
        titles=("Defence Minister", "Chief of Naval Staff"),
        variants=(
            V("Bergen", "Norway", "Northern Europe", "Denmark"),
            V("Salamis", "Greece", "the eastern Mediterranean", "Cyprus"),
            V("Surabaya", "Indonesia", "Southeast Asia", "Malaysia"),
            V("Gdynia", "Poland", "the Baltic region", "Sweden"),
        ),
        headlines=(
            "{country} shortlists two designs in frigate contest",
            "{company} and {company2} submit final bids for {country} frigates",
            "Shipyard in {place} pitches local build as frigate decision nears",
            "Frigate contest delayed as {country} revises radar requirement",
            "{company} wins {country} frigate contract worth {amount}",
            "Losing bidder {company2} seeks review of {country} frigate award",
            "First steel for {country}'s new frigates to be cut in {year}",
        ),
        ledes=(
            "{country}'s contest for a new class of frigates is entering its final "
            "stretch, with the navy pressing for a decision before the end of the "
            "year.",
            "The competition to build {country}'s next frigates has become a test of "
            "how far the government will go to keep shipbuilding jobs in {place}.",
            "The frigate programme known inside the defence ministry as {codename} "
            "is the most expensive naval project {country} has attempted in a "
            "generation.",
        ),
        facts=(
            "The navy wants {num} ships to replace hulls that have been in service "
            "for more than three decades.",
            "{company} has offered to build most of the hulls in {place}, while "
            "{company2} proposes to build the first ship abroad and transfer the "
            "work later.",
            "Officials have put the value of the {codename} programme at around "
            "{amount}, including training and spare parts for the first ten years.",
            "The air-defence radar has been the most contested requirement, with "
            "both bidders offering systems that have yet to be tested at sea.",
            "Unions at the yard in {place} have warned that a foreign build would "
            "cost hundreds of skilled jobs.",
        ),
        quotes=(
            "We need ships that can fight, and we need them on time, not in fifteen "
            "years",
            "The decision will be made on capability and value, not on lobbying",
            "A frigate is a thirty-year commitment, and we intend to get it right",
        ),
    ),
    StoryTemplate(
        key="ceasefire",
        category="diplomacy-alliances",
        story="{area} ceasefire",
        alt={"place": "{town}", "area": "{town}"},
        short="border ceasefire",
        subject="the ceasefire along the {country}–{other} border",
        tags=("Ceasefires", "Border Security", "Diplomacy"),
        terms=("ceasefire line", "border monitors", "prisoner exchange",
               "demilitarised zone", "border crossings", "mediation talks"),
        actors=("the border guards", "the monitoring team", "the mediators",
                "the foreign ministry"),
        titles=("Foreign Minister", "Chief Mediator"),
        variants=(
            V("the Kesh valley", "Kyrgyzstan", "Central Asia", "Kazakhstan",
              other="Tajikistan", area="Kesh valley"),
            V("the Cordillera Alta", "Ecuador", "South America", "Brazil",
              other="Peru", area="Cordillera Alta"),
            V("the Phanom Sai hills", "Thailand", "Southeast Asia", "Malaysia",
              other="Cambodia", area="Phanom Sai"),
        ),
        headlines=(
            "Ceasefire takes hold on {country}–{other} border after week of clashes",
            "Monitors report first violations of {area} ceasefire",
            "{country} and {other} agree prisoner exchange under ceasefire deal",
            "{ally} offers to host talks on {area} border",
            "Villagers return to {place} as ceasefire holds",
            "Border crossings reopen in {place} under monitored truce",
        ),
        ledes=(
            "A ceasefire between {country} and {other} appeared to be holding in "
            "{place}, where exchanges of fire had displaced thousands of residents.",
            "The truce along the {country}–{other} border is facing its sternest "
            "test yet, with each side accusing the other of moving troops closer "
            "to the line.",
            "Mediators are trying to turn a fragile ceasefire in {place} into a "
            "lasting agreement on where the border actually runs.",
        ),
        facts=(
            "The two countries have never fully agreed on the boundary in {place}, "
            "where grazing land and water rights are at stake.",
            "Under the agreement, both sides are to pull heavy weapons back {num} "
            "kilometres from the line of contact.",
            "A small team of international monitors has been deployed, but "
            "officials acknowledge it cannot cover the whole length of the border.",
            "Local officials estimate that more than {big} families left their "
            "homes during the fighting.",
            "A joint commission is supposed to meet every week to deal with "
            "complaints of violations.",
        ),
        quotes=(
            "The ceasefire is holding, but it is not yet peace",
            "Every violation will be recorded and raised at the commission",
            "People want to go home, and our job is to make that safe",
        ),
    ),
    StoryTemplate(
        key="submarine-contact",
        category="submarines",
        story="{place} submarine contact",
        short="submarine contact",
        subject="the unidentified submarine detected off {place}",
        tags=("Submarines", "Anti-Submarine Warfare", "Maritime Security"),
        terms=("sonar contact", "maritime patrol aircraft", "territorial waters",
               "sonobuoys", "anti-submarine frigate", "acoustic signature"),
        actors=("the navy", "the defence ministry", "the joint operations command",
                "the maritime patrol squadron"),
        titles=("Defence Minister", "Rear Admiral"),
        variants=(
            V("Hammerfest", "Norway", "the High North", "Finland", sea="Barents Sea"),
            V("Cork", "Ireland", "the North Atlantic", "Britain", sea="Celtic Sea"),
            V("Okinawa", "Japan", "the western Pacific", "South Korea",
              sea="East China Sea"),
            V("Darwin", "Australia", "the Indo-Pacific", "Indonesia", sea="Timor Sea"),
        ),
        headlines=(
            "Navy tracks unidentified submarine off {place}",
            "Patrol aircraft drop sonobuoys as {sea} submarine hunt continues",
            "{country} summons ambassador over submarine in territorial waters",
            "Submarine contact off {place} lost after five-day search",
            "Acoustic data from {place} submarine hunt shared with allies",
            "Navy admits gaps in anti-submarine cover after {sea} incident",
        ),
        ledes=(
            "The navy in {country} has spent several days tracking what it "
            "describes as an unidentified submarine operating off {place}, in "
            "waters it considers its own.",
            "The search for a submarine detected in the {sea} has become one of the "
            "largest anti-submarine operations {country} has mounted in years.",
            "Questions about how long the submarine had been in the {sea} before it "
            "was detected are now dominating the debate in {country}.",
        ),
        facts=(
            "The contact was first picked up by a sonar array on the seabed and "
            "later confirmed by a maritime patrol aircraft.",
            "Patrol aircraft have dropped dozens of sonobuoys in a box south of "
            "{place}, each listening for the faint sound of machinery.",
            "The navy has not said which country it believes the submarine belongs "
            "to, saying only that it was not an allied vessel.",
            "An anti-submarine frigate and two helicopters were ordered to the area "
            "within hours of the first report.",
            "Recordings of the submarine's acoustic signature have been passed to "
            "allied navies for comparison.",
        ),
        quotes=(
            "We knew where it was for most of the time, and it knew that we knew",
            "Our waters are not a testing ground for anyone's submarines",
            "Anti-submarine warfare is patient work, and it is rarely quick",
        ),
    ),
    StoryTemplate(
        key="airport-drones",
        category="homeland-security",
        story="{place} airport drone sightings",
        short="airport drone sightings",
        subject="the drone sightings that closed {place} airport",
        tags=("Drones", "Counter-Drone Systems", "Critical Infrastructure"),
        terms=("counter-drone system", "airspace closure", "flight diversions",
               "radio-frequency detectors", "police helicopter", "no-fly zone"),
        actors=("the police", "the airport operator", "the aviation authority",
                "the armed forces"),
        titles=("Justice Minister", "Police Chief"),
        variants=(
            V("Aalborg", "Denmark", "Northern Europe", "Germany"),
            V("Gdańsk", "Poland", "the Baltic region", "Lithuania"),
            V("Munich", "Germany", "Central Europe", "Austria"),
            V("Dublin", "Ireland", "Western Europe", "Britain"),
        ),
        headlines=(
            "Drone sightings close {place} airport for hours",
            "Flights diverted as drones return over {place} airport",
            "Military counter-drone units sent to {place}",
            "Police question two men over {place} airport drones",
            "{country} to give armed forces power to shoot down drones",
            "Airlines count cost of {place} drone disruption",
        ),
        ledes=(
            "Flights in and out of {place} were suspended for several hours after "
            "repeated sightings of drones near the runway, the latest disruption of "
            "its kind in {region}.",
            "The authorities in {country} are under pressure to explain why nobody "
            "was able to stop the drones that shut {place} airport.",
            "Investigators are trying to establish who flew the drones that "
            "grounded traffic at {place}, and whether the flights were "
            "coordinated.",
        ),
        facts=(
            "Air traffic controllers halted departures after pilots and ground staff "
            "reported at least {num} drones flying near the airfield.",
            "The airport has radio-frequency detectors, but officials say the drones "
            "appeared to fly without the usual control signals.",
            "Under current rules only the police may act against a drone over "
            "civilian airspace, and they have few tools to do so.",
            "More than {big} flights were cancelled or diverted, according to the "
            "airport operator.",
            "A military counter-drone system was moved to the airport overnight but "
            "has not yet been used.",
        ),
        quotes=(
            "We cannot have a situation where a few cheap drones close a national "
            "airport",
            "The people responsible will be found, and they will be prosecuted",
            "Detection is the easy part; stopping a drone safely over a city is not",
        ),
    ),
    StoryTemplate(
        key="shipyard-ransomware",
        category="cyber-intelligence",
        story="{company} ransomware attack",
        story_ref="the ransomware attack on {company}",
        story_alt="{place} shipyard cyber attack",
        company_kind="naval",
        short="shipyard ransomware attack",
        subject="the ransomware attack on the {company} shipyard in {place}",
        tags=("Ransomware", "Cyber Attacks", "Shipbuilding"),
        terms=("ransomware", "design files", "backup systems", "ransom demand",
               "supply-chain partners", "incident response team"),
        actors=("the shipyard", "the national cyber security centre", "the police",
                "the navy"),
        titles=("Digital Affairs Minister", "Cyber Security Centre Director"),
        variants=(
            V("Rostock", "Germany", "Northern Europe", "Denmark"),
            V("Ferrol", "Spain", "Southern Europe", "Portugal"),
            V("Ulsan", "South Korea", "East Asia", "Japan"),
            V("Barrow", "Britain", "Western Europe", "Ireland"),
        ),
        headlines=(
            "Ransomware attack halts work at {company} shipyard in {place}",
            "Hackers claim to hold warship design files from {company}",
            "{company} refuses ransom demand as systems are rebuilt",
            "Navy checks supply chain after {place} shipyard hack",
            "Leaked files from {company} attack appear online",
            "{company} resumes production weeks after ransomware attack",
        ),
        ledes=(
            "Production at the {company} shipyard in {place} has been disrupted by "
            "a ransomware attack that locked engineers out of design and planning "
            "systems.",
            "The ransomware attack on {company} has raised fresh concern about how "
            "well defence suppliers in {country} protect sensitive data.",
            "Weeks after hackers encrypted its computers, {company} is still "
            "counting the cost of an attack that exposed weaknesses across the "
            "naval supply chain.",
        ),
        facts=(
            "The attackers encrypted file servers and the scheduling system used to "
            "coordinate work across the yard.",
            "The shipyard builds and maintains vessels for the navy, and some of its "
            "design files are classified.",
            "A criminal group has claimed responsibility and posted a ransom demand "
            "on a leak site, giving the company {num} days to pay.",
            "Backups kept offline were not affected, which allowed engineers to "
            "begin restoring systems within days.",
            "The national cyber security centre has sent an incident response team "
            "to {place} and is warning other suppliers to check their networks.",
        ),
        quotes=(
            "We will not pay criminals, and we do not believe paying would make "
            "anyone safer",
            "Our priority is to establish exactly what was taken and who needs to "
            "be told",
            "Every supplier is now part of the attack surface, whether they like it "
            "or not",
        ),
    ),
    StoryTemplate(
        key="satellite-launch",
        category="space",
        story="{codename} satellite launch",
        short="reconnaissance satellite launch",
        subject="the launch of the {codename} reconnaissance satellite",
        alt={},
        company_kind="space",
        tags=("Satellites", "Space Security", "Intelligence"),
        terms=("radar satellite", "launch window", "ground station", "low orbit",
               "imaging resolution", "satellite constellation"),
        actors=("the space agency", "the defence ministry", "the launch provider",
                "the satellite's operators"),
        titles=("Defence Minister", "Space Command Chief"),
        variants=(
            V("Kourou", "France", "Europe", "Italy"),
            V("Sriharikota", "India", "South Asia", "Japan"),
            V("Andøya", "Norway", "Northern Europe", "Sweden"),
            V("Tanegashima", "Japan", "East Asia", "Australia"),
        ),
        headlines=(
            "{country} prepares to launch {codename} reconnaissance satellite from "
            "{place}",
            "Launch of {codename} satellite postponed over weather at {place}",
            "{codename} satellite reaches orbit after launch from {place}",
            "First images from {codename} satellite shared with {ally}",
            "{codename} satellite suffers fault weeks after launch",
            "{country} plans second {codename} satellite as demand for imagery grows",
        ),
        ledes=(
            "{country} is preparing to place its {codename} reconnaissance "
            "satellite in orbit, a step officials say will give the armed forces "
            "their own eyes in space.",
            "The {codename} satellite programme has become a symbol of {country}'s "
            "ambition to rely less on allies for intelligence imagery.",
            "Engineers in {country} are working through early checks on the "
            "{codename} satellite, which carries a radar able to see through cloud "
            "and darkness.",
        ),
        facts=(
            "The satellite carries a synthetic aperture radar that can produce "
            "images at night and through cloud cover.",
            "It will operate from a low orbit and pass over the same area several "
            "times a day.",
            "The programme has cost around {amount} so far, including the ground "
            "station that will receive the imagery.",
            "{country} currently buys much of its satellite imagery from commercial "
            "providers and from allies.",
            "Officials say imagery will be shared with {ally} under an existing "
            "agreement.",
        ),
        quotes=(
            "Having our own satellite means we decide what we look at and when",
            "Space is now part of every military operation, whether people see it "
            "or not",
            "The launch is only the beginning; the real test is what we do with the "
            "imagery",
        ),
    ),
    StoryTemplate(
        key="fighter-deal",
        category="air-space",
        story="{country} fighter jet deal",
        story_ref="{country}'s fighter jet deal",
        story_alt="{codename} fighter programme",
        alt={},
        company_kind="air",
        short="fighter jet deal",
        subject="{country}'s plan to buy new fighter jets",
        tags=("Fighter Jets", "Air Power", "Procurement"),
        terms=("fighter jets", "pilot training", "maintenance contract",
               "weapons package", "delivery timetable", "offset agreement"),
        actors=("the air force", "the defence ministry", "the finance ministry",
                "parliament's defence committee"),
        titles=("Defence Minister", "Air Force Chief"),
        variants=(
            V("Bucharest", "Romania", "the Black Sea region", "Bulgaria"),
            V("Bogotá", "Colombia", "South America", "Peru"),
            V("Lisbon", "Portugal", "Southern Europe", "Spain"),
            V("Hanoi", "Vietnam", "Southeast Asia", "India"),
        ),
        headlines=(
            "{country} moves closer to buying {fleet} fighter jets",
            "{company} and {company2} make final offers for {country} fighter order",
            "Parliament in {country} questions cost of fighter jet deal",
            "{country} picks {company} jets in deal worth {amount}",
            "Pilots from {country} to begin fighter training abroad",
            "First fighter jets for {country} to arrive in {year}",
        ),
        ledes=(
            "{country} is close to a decision on replacing its ageing fighter fleet, "
            "a purchase that would be the largest in the history of its air force.",
            "The competition to supply fighter jets to {country} has turned into a "
            "contest over price, training and how quickly aircraft can be "
            "delivered.",
            "With a choice of fighter made, attention in {country} is turning to the "
            "harder task of training pilots and building the support the aircraft "
            "need.",
        ),
        facts=(
            "The air force wants {fleet} aircraft to replace jets that are becoming "
            "difficult and expensive to keep flying.",
            "Both bidders have offered packages that include weapons, simulators and "
            "ten years of maintenance support.",
            "The total cost has been put at around {amount}, spread over more than a "
            "decade.",
            "Training a fighter pilot to operational standard takes several years, "
            "and instructors are in short supply.",
            "{ally} already operates a similar aircraft and has offered to help with "
            "training and spare parts.",
        ),
        quotes=(
            "This is not just an aircraft; it is a thirty-year relationship with a "
            "supplier",
            "The air force needs these jets, and it needs them before the old ones "
            "are grounded",
            "We will not sign anything that the treasury cannot sustain",
        ),
    ),
    StoryTemplate(
        key="shell-factory",
        category="defence-industry",
        story="{place} shell factory",
        company_kind="munitions",
        short="artillery shell factory",
        subject="the artillery shell factory planned for {place}",
        tags=("Ammunition", "Artillery", "Supply Chains"),
        terms=("artillery shells", "production line", "explosives supply",
               "annual output", "ammunition stockpiles", "skilled workforce"),
        actors=("the manufacturer", "the defence ministry", "local officials",
                "the army"),
        titles=("Defence Minister", "Industry Minister"),
        variants=(
            V("Ostrava", "Czechia", "Central Europe", "Slovakia"),
            V("Tampere", "Finland", "Northern Europe", "Estonia"),
            V("Valladolid", "Spain", "Southern Europe", "Portugal"),
            V("Nagpur", "India", "South Asia", "France"),
        ),
        headlines=(
            "{company} to build artillery shell factory in {place}",
            "Shell factory in {place} wins planning approval",
            "Shortage of explosives threatens {place} shell factory timetable",
            "{company} hires {big} workers for new {place} plant",
            "First artillery shells roll off {place} production line",
            "{country} doubles order for shells from {place} factory",
        ),
        ledes=(
            "{company} plans to build a factory in {place} capable of producing "
            "artillery shells on a scale not seen in {country} for decades.",
            "The new shell factory in {place} is a test of whether {country} can "
            "rebuild an ammunition industry that shrank sharply after the Cold War.",
            "Production at the {place} shell factory is ramping up, but managers say "
            "the supply of explosives remains the biggest constraint.",
        ),
        facts=(
            "The plant is designed to produce up to {big},000 artillery shells a "
            "year once it reaches full output.",
            "Stockpiles across {region} were drawn down sharply in recent years, "
            "and governments are now competing for the same explosives and "
            "propellant.",
            "The factory will need several hundred skilled workers, many of whom "
            "will be trained locally.",
            "The government has agreed to guarantee orders for the first {num} "
            "years, which {company} says made the investment possible.",
            "Residents have raised concerns about safety and traffic, and the "
            "company has promised an independent review.",
        ),
        quotes=(
            "Ammunition is what turns equipment into capability",
            "We are building for the long term, not for one crisis",
            "Without a reliable supply of explosives, a new factory is just a "
            "building",
        ),
    ),
    StoryTemplate(
        key="missile-test",
        category="nuclear-strategic",
        story="{codename} missile test",
        alt={},
        short="missile test",
        subject="the test of the {codename} missile",
        tags=("Ballistic Missiles", "Nuclear Deterrence", "Arms Control"),
        terms=("ballistic missile", "test flight", "re-entry vehicle",
               "flight range", "solid-fuel motor", "launch notification"),
        actors=("the strategic forces command", "the defence ministry",
                "the test range authorities", "neighbouring governments"),
        titles=("Defence Minister", "Strategic Forces Commander"),
        variants=(
            V("the Bay of Bengal", "India", "South Asia", "France"),
            V("the Arabian Sea", "Pakistan", "South Asia", "Türkiye"),
            V("the Bay of Biscay", "France", "Europe", "Britain"),
            V("the Yellow Sea", "South Korea", "East Asia", "Japan"),
        ),
        headlines=(
            "{country} issues airspace warning ahead of missile test over {place}",
            "{country} test-fires {codename} ballistic missile",
            "{codename} missile flew farther than expected, officials say",
            "Neighbours say they were notified before {country} missile test",
            "{country} plans further {codename} tests after successful launch",
            "Arms control experts question purpose of {codename} missile",
        ),
        ledes=(
            "{country} has test-fired a new ballistic missile, known as {codename}, "
            "over {place}, in what officials described as a routine step in its "
            "development.",
            "The {codename} missile test has prompted debate in {region} about "
            "whether the new weapon changes the regional balance.",
            "Officials in {country} say the {codename} missile performed as planned, "
            "but outside experts are still studying what the test revealed.",
        ),
        facts=(
            "The missile uses a solid-fuel motor, which allows it to be launched at "
            "short notice.",
            "A notice to airmen and mariners closed a large area over {place} for "
            "several hours during the test.",
            "Officials said the re-entry vehicle landed within the target zone after "
            "a flight of several hundred kilometres.",
            "{country} says it informed neighbouring governments in advance, in "
            "line with existing notification agreements.",
            "The programme has been under development for more than a decade and is "
            "expected to enter service around {year}.",
        ),
        quotes=(
            "This test was planned long ago and is not directed at anyone",
            "Deterrence only works if it is credible, and credibility requires "
            "testing",
            "Every new missile in the region makes arms control harder, not easier",
        ),
    ),
    StoryTemplate(
        key="arms-talks",
        category="nuclear-strategic",
        story="{place} arms control talks",
        short="arms control talks",
        subject="the arms control talks in {place}",
        tags=("Arms Control", "Nuclear Deterrence", "Diplomacy"),
        terms=("verification regime", "missile limits",
               "confidence-building measures", "data exchange", "draft text",
               "negotiating round"),
        actors=("the negotiators", "the host government", "the delegations",
                "independent experts"),
        titles=("Chief Negotiator", "Foreign Minister"),
        variants=(
            V("Geneva", "Switzerland", "Europe", "Austria"),
            V("Vienna", "Austria", "Europe", "Switzerland"),
            V("Astana", "Kazakhstan", "Central Asia", "Uzbekistan"),
            V("Jakarta", "Indonesia", "Southeast Asia", "Malaysia"),
        ),
        headlines=(
            "Arms control talks open in {place} with low expectations",
            "Delegations in {place} agree on agenda for missile talks",
            "Verification dispute stalls {place} arms control talks",
            "{country} proposes data exchange to revive missile talks",
            "Negotiators in {place} produce first draft text",
            "{place} talks end without deal but with date for next round",
        ),
        ledes=(
            "Delegations gathered in {place} for a new round of arms control talks, "
            "the first serious attempt in years to set limits on "
            "intermediate-range missiles.",
            "The arms control talks in {place} have reached the stage where "
            "negotiators must decide how any limits would be checked.",
            "After {num} days of negotiations in {place}, the talks have produced "
            "more paper than agreement, but diplomats say that is not the same as "
            "failure.",
        ),
        facts=(
            "The talks are hosted by {country}, which has offered its diplomats as "
            "neutral facilitators.",
            "A central question is how any limits could be verified without giving "
            "away sensitive military information.",
            "Negotiators have discussed an annual exchange of data on missile "
            "numbers and locations as a first confidence-building measure.",
            "Previous agreements in this area collapsed amid accusations of "
            "cheating, which has left deep mistrust.",
            "A draft text circulated among delegations runs to {num} pages, "
            "according to a diplomat who has seen it.",
        ),
        quotes=(
            "Talking is not a concession; it is the minimum we owe the next "
            "generation",
            "No agreement is better than an agreement that cannot be verified",
            "We have a text on the table, and that is more than we had a month ago",
        ),
    ),
    StoryTemplate(
        key="exercise",
        category="land-warfare",
        story="Exercise {codename}",
        story_ref="Exercise {codename}",
        alt={},
        short="military exercise",
        subject="the {codename} exercise around {place}",
        tags=("Military Exercises", "Training", "Logistics"),
        terms=("live-fire drills", "reinforcement routes", "armoured brigades",
               "field hospitals", "airborne troops", "command posts"),
        actors=("the army", "the exercise directors", "allied contingents",
                "local authorities"),
        titles=("Chief of Defence", "Brigadier General"),
        variants=(
            V("Lapland", "Finland", "the High North", "Sweden"),
            V("Constanța", "Romania", "the Black Sea region", "Bulgaria"),
            V("Salisbury Plain", "Britain", "Western Europe", "France"),
            V("Townsville", "Australia", "the Indo-Pacific", "Japan"),
        ),
        headlines=(
            "{thousands},000 troops to take part in Exercise {codename} near {place}",
            "Exercise {codename} begins with airborne landing near {place}",
            "Armoured columns cross {place} as Exercise {codename} enters second "
            "week",
            "Residents near {place} complain of noise and road closures during "
            "exercise",
            "Exercise {codename} exposed logistics gaps, commanders admit",
            "{ally} to host next edition of Exercise {codename}",
        ),
        ledes=(
            "Thousands of troops from {country} and allied countries are taking "
            "part in Exercise {codename}, a large training event centred on "
            "{place}.",
            "Exercise {codename} is designed to test how quickly reinforcements can "
            "reach {place} and how long they can be sustained there.",
            "As Exercise {codename} draws to a close, commanders in {country} are "
            "weighing what it revealed about their readiness.",
        ),
        facts=(
            "About {thousands},000 personnel are involved, along with several "
            "hundred vehicles and dozens of aircraft.",
            "The scenario, which is fictional, imagines a fast-moving crisis that "
            "requires reinforcements to move across {region}.",
            "Live-fire drills are being held on ranges near {place}, while command "
            "posts coordinate the movement of units.",
            "Field hospitals have been set up to practise treating large numbers of "
            "casualties under pressure.",
            "Troops from {ally} are taking part for the first time, bringing their "
            "own vehicles by rail and sea.",
        ),
        quotes=(
            "We train as we would fight, and that means finding our weaknesses here "
            "rather than somewhere else",
            "Moving a brigade across borders is a logistics challenge before it is "
            "anything else",
            "The exercise sends a message of readiness, not of threat",
        ),
    ),
    StoryTemplate(
        key="spy-ring",
        category="cyber-intelligence",
        story="{place} spy ring",
        short="spy ring",
        subject="the alleged spy ring uncovered in {place}",
        tags=("Espionage", "Counter-intelligence", "Intelligence"),
        terms=("counter-intelligence service", "classified documents",
               "encrypted messages", "surveillance operation", "foreign handler",
               "espionage charges"),
        actors=("the counter-intelligence service", "prosecutors",
                "the defence ministry", "defence lawyers"),
        titles=("Interior Minister", "Chief Prosecutor"),
        variants=(
            V("Vienna", "Austria", "Central Europe", "Germany"),
            V("Sofia", "Bulgaria", "the Balkans", "Greece"),
            V("Canberra", "Australia", "the Indo-Pacific", "New Zealand"),
            V("Tallinn", "Estonia", "the Baltic region", "Finland"),
        ),
        headlines=(
            "{num} people arrested in {place} on suspicion of spying",
            "Suspected spy ring in {place} had access to military base, "
            "prosecutors say",
            "{country} expels diplomats after {place} espionage arrests",
            "Defence lawyers challenge evidence in {place} spy case",
            "Trial of alleged {place} spy ring set to open",
            "Inquiry into {place} spy ring finds vetting failures",
        ),
        ledes=(
            "Counter-intelligence officers in {country} have arrested several people "
            "in and around {place} suspected of passing information about military "
            "sites to a foreign intelligence service.",
            "The case of the alleged spy ring in {place} is raising uncomfortable "
            "questions about how the suspects gained access to sensitive sites.",
            "Prosecutors in {country} say the alleged spy ring uncovered in {place} "
            "was run by a foreign handler who communicated through encrypted "
            "messages.",
        ),
        facts=(
            "Prosecutors allege that the group photographed military installations "
            "and recorded the movement of equipment by rail.",
            "One of the suspects worked as a contractor at a military base and held "
            "a security clearance.",
            "Investigators say the suspects were paid in cash and cryptocurrency "
            "over a period of at least {num} months.",
            "The counter-intelligence service had the group under surveillance for "
            "several weeks before the arrests.",
            "Defence lawyers say their clients deny the charges and that some of the "
            "evidence was obtained unlawfully.",
        ),
        quotes=(
            "Foreign intelligence services are active in our country, and we are "
            "active against them",
            "The suspects had access they should never have had, and we need to "
            "understand why",
            "Everyone is entitled to a fair trial, and the evidence will be tested "
            "in court",
        ),
    ),
    StoryTemplate(
        key="gps-jamming",
        category="electronic-warfare",
        story="{place} GPS jamming",
        short="GPS jamming",
        subject="the GPS interference affecting flights around {place}",
        tags=("Electronic Warfare", "Aviation Safety", "Critical Infrastructure"),
        terms=("satellite navigation", "GPS signals", "jamming", "spoofing",
               "backup navigation", "air traffic control"),
        actors=("the aviation authority", "the airlines", "the armed forces",
                "the telecoms regulator"),
        titles=("Transport Minister", "Aviation Authority Director"),
        variants=(
            V("Bornholm", "Denmark", "the Baltic region", "Sweden"),
            V("Kirkenes", "Norway", "the High North", "Finland"),
            V("Larnaca", "Cyprus", "the eastern Mediterranean", "Greece"),
            V("Tartu", "Estonia", "the Baltic region", "Latvia"),
        ),
        headlines=(
            "Pilots report GPS interference on flights near {place}",
            "Aviation authority issues warning over GPS jamming around {place}",
            "Ships off {place} report spoofed positions as interference spreads",
            "{country} blames foreign military for {place} GPS jamming",
            "Airlines switch to backup navigation on {place} routes",
            "{country} and {ally} to share data on satellite navigation "
            "interference",
        ),
        ledes=(
            "Pilots flying to and from {place} have reported repeated loss of "
            "satellite navigation, prompting the aviation authority in {country} "
            "to issue a formal warning.",
            "The GPS jamming around {place} has moved from a technical nuisance to "
            "a political issue, with officials in {country} now pointing at a "
            "foreign military.",
            "Weeks after the first reports, interference with satellite navigation "
            "around {place} shows little sign of easing.",
        ),
        facts=(
            "Pilots have reported losing satellite navigation for several minutes "
            "at a time on approach to {place}.",
            "Jamming drowns out the weak signals from navigation satellites, while "
            "spoofing feeds receivers false positions.",
            "Aircraft carry backup systems that do not rely on satellites, but the "
            "workload for crews rises sharply when GPS is lost.",
            "More than {big} incidents were reported over the past month, according "
            "to the aviation authority.",
            "Experts say the interference appears to come from powerful transmitters "
            "some distance from {place}.",
        ),
        quotes=(
            "There is no immediate danger to passengers, but this is not something "
            "we can treat as normal",
            "Interference with civil aviation breaks international rules, whoever "
            "is responsible",
            "Pilots are trained for this, but nobody wants it to become routine",
        ),
    ),
    StoryTemplate(
        key="defence-budget",
        category="defence-industry",
        story="{country} defence budget",
        story_ref="{country}'s defence budget",
        story_alt="{codename} spending review",
        alt={},
        short="defence budget",
        subject="{country}'s proposed defence budget",
        tags=("Defence Budgets", "Procurement", "Readiness"),
        terms=("defence spending", "budget increase", "procurement plans",
               "personnel costs", "maintenance backlog", "spending target"),
        actors=("the finance ministry", "the defence ministry", "opposition parties",
                "the armed forces"),
        titles=("Finance Minister", "Defence Minister"),
        variants=(
            V("Ottawa", "Canada", "North America", "Britain"),
            V("Rome", "Italy", "Southern Europe", "France"),
            V("Seoul", "South Korea", "East Asia", "Japan"),
            V("Wellington", "New Zealand", "the South Pacific", "Australia"),
        ),
        headlines=(
            "{country} unveils largest defence budget in a generation",
            "Defence budget leaves maintenance backlog unfunded, {country} auditors "
            "say",
            "Opposition in {country} attacks defence spending plans",
            "{country} defence budget passes first vote in parliament",
            "Armed forces in {country} warn budget will not cover recruitment",
            "{country} says it will meet alliance spending target by {year}",
        ),
        ledes=(
            "{country} has proposed a sharp increase in defence spending, saying the "
            "security situation leaves it no choice.",
            "The debate over {country}'s defence budget has shifted from how much to "
            "spend to what the money should buy.",
            "Lawmakers in {country} are examining the detail of the defence budget, "
            "and finding gaps between promises and funding.",
        ),
        facts=(
            "The budget would raise defence spending by about {num} per cent in real "
            "terms next year.",
            "Much of the increase is earmarked for ammunition, air defence and "
            "repairs to barracks and bases.",
            "Auditors have warned that a maintenance backlog worth roughly {amount} "
            "remains unfunded.",
            "Personnel costs account for the largest single share of the budget, and "
            "they are rising faster than inflation.",
            "The government says the plan, reviewed internally under the name "
            "{codename}, puts {country} on course to meet its target by {year}.",
        ),
        quotes=(
            "Security is the foundation for everything else a government does",
            "A bigger budget means nothing if the money sits unspent",
            "We are asking taxpayers for more, so we owe them a clear account of "
            "what it buys",
        ),
    ),
    StoryTemplate(
        key="rocket-artillery",
        category="armour-artillery",
        story="{country} rocket artillery order",
        story_ref="{country}'s rocket artillery order",
        story_alt="{codename} rocket artillery programme",
        alt={},
        short="rocket artillery order",
        subject="{country}'s order for rocket artillery launchers",
        tags=("Artillery", "Long-Range Fires", "Procurement"),
        terms=("rocket launchers", "guided rockets", "launcher crews",
               "firing range", "deliveries", "rocket stocks"),
        actors=("the army", "the defence ministry", "the manufacturer",
                "the procurement agency"),
        titles=("Defence Minister", "Army Commander"),
        variants=(
            V("Vilnius", "Lithuania", "the Baltic region", "Latvia"),
            V("Riga", "Latvia", "the Baltic region", "Estonia"),
            V("Taichung", "Taiwan", "East Asia", "Japan"),
            V("Rabat", "Morocco", "North Africa", "Spain"),
        ),
        headlines=(
            "{country} orders {num} rocket artillery launchers from {company}",
            "First launcher crews from {country} complete rocket artillery training",
            "Delays hit deliveries of {country}'s rocket artillery",
            "{country} fires guided rockets at home range for first time",
            "{country} seeks more guided rockets as stocks run low",
            "Rocket artillery battalion declared ready in {country}",
        ),
        ledes=(
            "{country} has ordered {num} rocket artillery launchers from {company}, "
            "a purchase officials say will let the army strike targets at long "
            "range.",
            "The arrival of rocket artillery in {country} marks a significant change "
            "in how its army plans to fight.",
            "Deliveries of rocket launchers to {country} are under way, but "
            "officials admit that building up stocks of guided rockets will take "
            "longer.",
        ),
        facts=(
            "Each launcher can fire guided rockets at targets dozens of kilometres "
            "away with a high degree of accuracy.",
            "The contract, worth around {amount}, includes training, spare parts and "
            "an initial stock of rockets.",
            "Crews have been training abroad while the army prepares a home base "
            "near {place} for the new battalion.",
            "Demand for guided rockets has risen sharply across {region}, and "
            "production lines are booked for years.",
            "The launchers are mounted on wheeled trucks, which allows them to fire "
            "and move quickly.",
        ),
        quotes=(
            "Range and precision are what deter an adversary",
            "A launcher without rockets is a very expensive truck",
            "Our crews have trained hard, and they are ready",
        ),
    ),
    StoryTemplate(
        key="tank-upgrade",
        category="armour-artillery",
        story="{country} tank upgrade",
        story_ref="{country}'s tank upgrade",
        story_alt="{codename} tank programme",
        alt={},
        short="tank upgrade",
        subject="the upgrade of {country}'s main battle tanks",
        tags=("Armoured Vehicles", "Modernisation", "Procurement"),
        terms=("main battle tanks", "active protection system",
               "fire-control system", "armour package", "engine overhaul",
               "upgrade programme"),
        actors=("the army", "the defence ministry", "the armoured vehicle works",
                "the tank crews"),
        titles=("Defence Minister", "Armoured Corps Commander"),
        variants=(
            V("Prague", "Czechia", "Central Europe", "Slovakia"),
            V("Athens", "Greece", "the eastern Mediterranean", "Cyprus"),
            V("Cairo", "Egypt", "North Africa", "Jordan"),
            V("Lahore", "Pakistan", "South Asia", "Türkiye"),
        ),
        headlines=(
            "{country} to upgrade {big} main battle tanks",
            "{company} wins contract to fit protection systems to {country} tanks",
            "First upgraded tanks returned to {country}'s army",
            "Tank upgrade in {country} falls behind schedule",
            "Crews praise new fire-control system on upgraded tanks",
            "{country} weighs buying new tanks instead of further upgrades",
        ),
        ledes=(
            "{country} is to modernise a large part of its tank fleet, fitting new "
            "armour, sensors and protection systems to vehicles that entered "
            "service decades ago.",
            "The upgrade of {country}'s main battle tanks has become a test of "
            "whether old armour can be made fit for a battlefield full of drones.",
            "Upgraded tanks are returning to units in {country}, but the programme "
            "is running behind schedule and over budget.",
        ),
        facts=(
            "The upgrade includes an active protection system designed to intercept "
            "incoming missiles and rockets.",
            "A new fire-control system lets crews find and engage targets at night "
            "and at longer range.",
            "The work is being done at a state-owned plant near {place}, with "
            "components supplied by {company}.",
            "Officials estimate the programme will cost about {amount}, far less "
            "than buying new tanks.",
            "Each tank takes several months to strip down, rebuild and test before "
            "it returns to its unit.",
        ),
        quotes=(
            "A modernised tank is not a new tank, but it is a great deal better than "
            "an old one",
            "Protection against drones is now the first question we ask about any "
            "armoured vehicle",
            "The crews have been patient, and they deserve the equipment we "
            "promised them",
        ),
    ),
    StoryTemplate(
        key="hijacking",
        category="naval-affairs",
        story="{vessel} hijacking",
        story_ref="the hijacking of the {vessel}",
        alt={},
        short="tanker hijacking",
        subject="the hijacking of the tanker {vessel}",
        tags=("Piracy", "Maritime Security", "Shipping"),
        terms=("tanker", "crew members", "naval patrols", "ransom negotiations",
               "shipping lanes", "armed guards"),
        actors=("the navy", "the ship's owners", "the maritime security centre",
                "regional coast guards"),
        titles=("Navy Chief of Staff", "Transport Minister"),
        variants=(
            V("Lagos", "Nigeria", "West Africa", "Ghana", sea="Gulf of Guinea"),
            V("Djibouti", "Djibouti", "the Horn of Africa", "Kenya",
              sea="Gulf of Aden"),
            V("Mombasa", "Kenya", "East Africa", "Tanzania",
              sea="western Indian Ocean"),
            V("Luanda", "Angola", "Southern Africa", "Namibia",
              sea="south Atlantic"),
        ),
        headlines=(
            "Pirates board tanker {vessel} in {sea}",
            "Navy shadows hijacked tanker {vessel} off {place}",
            "Owners of {vessel} open talks as crew held hostage",
            "Crew of tanker {vessel} freed after {num} weeks",
            "Insurers raise premiums for {sea} after {vessel} hijacking",
            "{country} and {ally} step up joint patrols in {sea}",
        ),
        ledes=(
            "Armed men have boarded the tanker {vessel} in the {sea}, in the most "
            "serious piracy incident in the area for months.",
            "The hijacking of the {vessel} has revived fears that piracy in the "
            "{sea} is returning after several quieter years.",
            "The release of the crew of the {vessel} has brought relief to their "
            "families but left governments debating how to keep the {sea} safe.",
        ),
        facts=(
            "The tanker was carrying refined fuel and had {num} crew members on "
            "board when it was boarded.",
            "The attackers approached in two fast skiffs before dawn and climbed "
            "aboard using ladders.",
            "A naval vessel from {country} has been following the tanker at a "
            "distance while negotiations take place.",
            "Shipping companies have been advised to keep farther offshore and to "
            "report suspicious approaches immediately.",
            "Regional navies share information through a maritime security centre, "
            "but patrols cover only part of the area.",
        ),
        quotes=(
            "The safety of the crew is our first and only priority at this stage",
            "Piracy thrives where patrols are thin, and the answer is to make them "
            "less thin",
            "Nobody should think this is a problem that has been solved",
        ),
    ),
    StoryTemplate(
        key="peacekeeping",
        category="diplomacy-alliances",
        story="{country} peacekeeping mandate",
        story_ref="the peacekeeping mandate in {country}",
        story_alt="{place} peacekeeping base",
        short="peacekeeping mandate",
        subject="the future of the UN peacekeeping mission in {country}",
        tags=("Peacekeeping", "United Nations", "Diplomacy"),
        terms=("peacekeepers", "mission mandate", "troop contributors",
               "Security Council vote", "patrol routes", "drawdown plan"),
        actors=("the UN mission", "troop-contributing countries",
                "Security Council members", "local authorities"),
        titles=("Force Commander", "Foreign Minister"),
        variants=(
            V("Naqoura", "Lebanon", "the Middle East", "Jordan"),
            V("Malakal", "South Sudan", "East Africa", "Uganda"),
            V("Nicosia", "Cyprus", "the eastern Mediterranean", "Greece"),
        ),
        headlines=(
            "Security Council divided over renewal of {country} peacekeeping "
            "mission",
            "Peacekeepers in {country} report restrictions on patrols near {place}",
            "Troop contributors warn against rushed drawdown in {country}",
            "UN extends {country} mission for {num} months with smaller force",
            "Peacekeeping base at {place} to close under drawdown plan",
            "Residents near {place} fear security gap as peacekeepers leave",
        ),
        ledes=(
            "The future of the UN peacekeeping mission in {country} is in doubt, "
            "with members of the Security Council divided over how long it should "
            "stay.",
            "Peacekeepers in {country} say their patrols around {place} are being "
            "restricted, just as the mission's mandate comes up for renewal.",
            "The drawdown of peacekeepers in {country} is under way, and residents "
            "around {place} are asking who will fill the gap.",
        ),
        facts=(
            "The mission has about {thousands},000 personnel drawn from dozens of "
            "troop-contributing countries.",
            "Its mandate must be renewed by the Security Council, and several "
            "members want it cut back sharply.",
            "Patrols near {place} have been stopped at improvised checkpoints {num} "
            "times in the past month, according to the mission.",
            "Troop contributors say a rushed withdrawal would leave equipment and "
            "local staff exposed.",
            "The national authorities have promised to take over security at bases "
            "the mission hands back, but have few resources to do so.",
        ),
        quotes=(
            "Peacekeeping works when everyone agrees on what it is for",
            "We will not leave a vacuum behind us",
            "The people of {place} deserve a plan, not a deadline",
        ),
    ),
    StoryTemplate(
        key="arctic-base",
        category="land-warfare",
        story="{place} Arctic base",
        short="Arctic base plans",
        subject="the plan to expand the military base at {place}",
        tags=("Arctic", "Military Infrastructure", "Training"),
        terms=("Arctic base", "cold-weather training", "runway extension",
               "barracks", "fuel storage", "snow vehicles"),
        actors=("the armed forces", "the defence estates agency",
                "the municipality", "reindeer herders' associations"),
        titles=("Defence Minister", "Northern Command Chief"),
        variants=(
            V("Bodø", "Norway", "the High North", "Sweden"),
            V("Kiruna", "Sweden", "the High North", "Norway"),
            V("Rovaniemi", "Finland", "the High North", "Sweden"),
            V("Iqaluit", "Canada", "the Arctic", "Denmark"),
        ),
        headlines=(
            "{country} to expand Arctic military base at {place}",
            "Runway extension at {place} base approved despite local objections",
            "Allied troops arrive at {place} for winter training",
            "Cost of {place} Arctic base doubles, auditors find",
            "Herders and army reach deal on land use around {place}",
            "{place} base to host permanent allied detachment from {year}",
        ),
        ledes=(
            "{country} plans a major expansion of its military base at {place}, "
            "part of a wider effort to strengthen its presence in {region}.",
            "The expansion of the Arctic base at {place} has exposed tensions "
            "between military needs and the people who live and work around it.",
            "Construction at {place} is well under way, but the Arctic base is "
            "costing far more than first planned.",
        ),
        facts=(
            "The plan includes new barracks, a longer runway and protected fuel "
            "storage able to supply aircraft through the winter.",
            "Temperatures around {place} regularly fall below minus thirty, which "
            "limits construction to a few months a year.",
            "Allied units have trained in the area for years, but the new "
            "facilities would allow up to {thousands},000 troops to stay for longer "
            "periods.",
            "Local reindeer herders have warned that new roads and ranges cut "
            "across traditional migration routes.",
            "The estimated cost has risen to {amount}, largely because of the "
            "short building season and higher prices for materials.",
        ),
        quotes=(
            "If you cannot operate in the cold, you cannot defend the north",
            "We are building for decades, and we want to do it with the community, "
            "not against it",
            "The Arctic is no longer a quiet corner of the map",
        ),
    ),
    StoryTemplate(
        key="ministers-meeting",
        category="diplomacy-alliances",
        story="{place} defence ministers' meeting",
        short="defence ministers' meeting",
        subject="the meeting of allied defence ministers in {place}",
        tags=("NATO", "Diplomacy", "Defence Budgets"),
        terms=("joint communiqué", "spending pledges", "air defence pooling",
               "capability targets", "ammunition stocks", "rotational forces"),
        actors=("the host government", "alliance officials", "the delegations",
                "senior diplomats"),
        titles=("Defence Minister", "Alliance Deputy Secretary General"),
        variants=(
            V("Vilnius", "Lithuania", "the Baltic region", "Poland"),
            V("Oslo", "Norway", "Northern Europe", "Denmark"),
            V("Lisbon", "Portugal", "Southern Europe", "Spain"),
            V("Brussels", "Belgium", "Europe", "Luxembourg"),
        ),
        headlines=(
            "Defence ministers gather in {place} amid pressure to spend more",
            "Ministers in {place} agree to pool air defence purchases",
            "Dispute over ammunition targets overshadows {place} meeting",
            "{country} secures pledge of rotational forces at {place} talks",
            "{place} meeting ends with communiqué but no new money",
            "What the {place} defence ministers' meeting did and did not decide",
        ),
        ledes=(
            "Defence ministers from allied countries are meeting in {place}, with "
            "spending and ammunition stocks at the top of the agenda.",
            "The meeting of defence ministers in {place} has produced agreement on "
            "buying air defence together, but little else.",
            "Hosting allies in {place} gave {country} a chance to press its case "
            "for more troops on its territory.",
        ),
        facts=(
            "Ministers discussed new capability targets that would require most "
            "members to increase spending.",
            "A plan to pool purchases of air defence systems could cut costs and "
            "shorten delivery times, officials said.",
            "Several countries resisted a proposal to set binding targets for "
            "ammunition stocks.",
            "{country} has asked allies to commit rotational forces for at least "
            "{num} years.",
            "The final communiqué ran to several pages but contained no new "
            "funding commitments.",
        ),
        quotes=(
            "Solidarity is measured in capabilities, not communiqués",
            "We left {place} with more agreement than we arrived with",
            "Buying together is faster and cheaper, and it makes us stronger",
        ),
    ),
    StoryTemplate(
        key="export-review",
        category="defence-industry",
        story="{country} arms export review",
        story_ref="{country}'s arms export review",
        story_alt="{company} export licence dispute",
        alt={},
        short="arms export review",
        subject="{country}'s review of its arms export licences",
        tags=("Export Controls", "Arms Trade", "Sanctions"),
        terms=("export licences", "end-user certificates", "arms sales",
               "human rights criteria", "licence suspensions", "defence exporters"),
        actors=("the economy ministry", "defence exporters", "parliament",
                "campaign groups"),
        titles=("Economy Minister", "Foreign Minister"),
        variants=(
            V("Berlin", "Germany", "Europe", "France"),
            V("Stockholm", "Sweden", "Northern Europe", "Finland"),
            V("Ottawa", "Canada", "North America", "Britain"),
            V("Seoul", "South Korea", "East Asia", "Australia"),
        ),
        headlines=(
            "{country} orders review of arms export licences",
            "{company} warns jobs at risk as export licences frozen",
            "Campaigners urge {country} to publish export licence decisions",
            "{country} suspends {num} arms export licences after review",
            "{company} challenges {country} export ban in court",
            "{country} unveils stricter rules for arms exports",
        ),
        ledes=(
            "{country} has launched a review of its arms export licences, a move "
            "that could halt deliveries worth hundreds of millions.",
            "The review of arms exports in {country} has set exporters such as "
            "{company} against campaigners who say the rules are too loose.",
            "The outcome of {country}'s arms export review is reshaping how its "
            "defence industry thinks about foreign customers.",
        ),
        facts=(
            "The review covers licences granted over the past {num} years, "
            "including spare parts and ammunition.",
            "{company} says orders worth about {amount} are on hold while the review "
            "continues.",
            "Exporters must provide end-user certificates stating who will use the "
            "equipment and where.",
            "Campaign groups have called for licence decisions to be published in "
            "full, as some countries already do.",
            "Several allies rely on components made in {country}, which complicates "
            "any suspension.",
        ),
        quotes=(
            "Exports are not just a commercial question; they are foreign policy",
            "Our customers need to know that a licence today will still be valid "
            "tomorrow",
            "Transparency is the best protection against mistakes",
        ),
    ),
    StoryTemplate(
        key="air-defence",
        category="air-space",
        story="{place} air defence deployment",
        short="air defence deployment",
        subject="the deployment of air defence batteries around {place}",
        tags=("Air Defence", "Missile Defence", "NATO"),
        terms=("air defence batteries", "interceptor missiles", "radar coverage",
               "launch crews", "short-range systems", "air policing"),
        actors=("the air force", "the defence ministry", "allied crews",
                "local officials"),
        titles=("Defence Minister", "Air Defence Commander"),
        variants=(
            V("Rzeszów", "Poland", "Central Europe", "Germany"),
            V("Iași", "Romania", "the Black Sea region", "Moldova"),
            V("Kaunas", "Lithuania", "the Baltic region", "Poland"),
            V("Kuopio", "Finland", "Northern Europe", "Sweden"),
        ),
        headlines=(
            "{country} deploys air defence batteries around {place}",
            "Allied crews from {ally} join air defence mission at {place}",
            "Shortage of interceptor missiles limits {place} deployment",
            "New radar fills gap in air defence coverage near {place}",
            "{place} air defence deployment extended by {num} months",
            "{country} orders more short-range air defence after {place} review",
        ),
        ledes=(
            "{country} has deployed air defence batteries around {place}, saying it "
            "needs to protect key infrastructure against missiles and drones.",
            "The air defence deployment at {place} has become a shared effort, with "
            "crews from {ally} working alongside local units.",
            "Officials in {country} say the air defence shield around {place} works, "
            "but admit that interceptor missiles are in short supply.",
        ),
        facts=(
            "The batteries combine long-range interceptors with short-range systems "
            "designed to stop drones and cruise missiles.",
            "Each interceptor missile costs far more than most of the drones it "
            "might be used against.",
            "A new radar installed near {place} extends coverage at low altitude, "
            "where gaps had been identified.",
            "Crews work in shifts around the clock, and the deployment has been "
            "extended several times.",
            "Production of interceptors across {region} has not kept pace with "
            "demand.",
        ),
        quotes=(
            "Air defence is never finished; it is a constant race",
            "Every gap we close is one less option for an attacker",
            "We have the launchers; what we need is more missiles to put in them",
        ),
    ),
    StoryTemplate(
        key="helicopter-crash",
        category="air-space",
        story="{place} helicopter crash",
        short="helicopter crash",
        subject="the crash of a military helicopter near {place}",
        tags=("Helicopters", "Aviation Safety", "Training"),
        terms=("transport helicopter", "flight data recorder", "training flight",
               "maintenance records", "crash investigators", "fleet grounding"),
        actors=("the air force", "the military aviation authority",
                "crash investigators", "the manufacturer"),
        titles=("Defence Minister", "Chief of Air Staff"),
        variants=(
            V("Lossiemouth", "Britain", "Western Europe", "Norway"),
            V("Bardufoss", "Norway", "the High North", "Sweden"),
            V("Kandy", "Sri Lanka", "South Asia", "India"),
            V("Yogyakarta", "Indonesia", "Southeast Asia", "Australia"),
        ),
        headlines=(
            "Military helicopter crashes during training flight near {place}",
            "Crew rescued after helicopter crash near {place}",
            "{country} grounds helicopter fleet after {place} crash",
            "Flight recorder recovered from {place} crash site",
            "Maintenance questions raised over helicopter lost near {place}",
            "Crash report points to gearbox failure in {place} helicopter accident",
        ),
        ledes=(
            "A military transport helicopter crashed during a training flight near "
            "{place}, injuring several crew members.",
            "The helicopter crash near {place} has prompted {country} to ground the "
            "rest of its fleet while checks are carried out.",
            "Investigators are close to explaining why a helicopter came down near "
            "{place}, and their findings point to maintenance.",
        ),
        facts=(
            "The helicopter was carrying {num} people on a routine night training "
            "flight when it came down.",
            "All of those on board were rescued, and two remain in hospital.",
            "The flight data recorder was recovered from the site and sent for "
            "analysis.",
            "The fleet has been grounded while engineers inspect gearboxes and "
            "rotor components.",
            "The aircraft type has been in service in {country} for more than "
            "twenty years.",
        ),
        quotes=(
            "Our first thoughts are with the crew and their families",
            "We will not fly these aircraft again until we are sure they are safe",
            "Training is dangerous by nature, which is why safety has to be "
            "absolute",
        ),
    ),
    StoryTemplate(
        key="hypersonic",
        category="nuclear-strategic",
        story="{codename} hypersonic test",
        alt={},
        short="hypersonic test",
        subject="the test of the {codename} hypersonic glide vehicle",
        tags=("Hypersonic Weapons", "Missile Defence", "Research & Development"),
        terms=("hypersonic glide vehicle", "test range", "scramjet",
               "thermal shielding", "tracking sensors", "flight test programme"),
        actors=("the defence research agency", "the armed forces",
                "the test range team", "allied observers"),
        titles=("Defence Minister", "Research Agency Director"),
        variants=(
            V("Woomera", "Australia", "the Indo-Pacific", "Britain"),
            V("Balasore", "India", "South Asia", "France"),
            V("Biscarrosse", "France", "Europe", "Germany"),
            V("Anheung", "South Korea", "East Asia", "Japan"),
        ),
        headlines=(
            "{country} conducts first test of {codename} hypersonic vehicle",
            "{codename} test ends early after loss of telemetry",
            "Data from {codename} flight shared with {ally}",
            "{country} plans {num} more hypersonic tests at {place}",
            "Hypersonic programme {codename} faces budget questions",
            "{codename} vehicle reaches Mach five in second test",
        ),
        ledes=(
            "{country} has carried out the first flight test of its {codename} "
            "hypersonic glide vehicle at the {place} range.",
            "The {codename} hypersonic programme is one of the most ambitious "
            "research efforts {country} has undertaken, and one of the least "
            "transparent.",
            "A second flight of the {codename} vehicle has gone further than the "
            "first, giving engineers in {country} the data they needed.",
        ),
        facts=(
            "Hypersonic vehicles travel at more than five times the speed of sound "
            "and can manoeuvre in flight, which makes them hard to intercept.",
            "The vehicle was carried aloft by a booster rocket before gliding "
            "towards a target area over the range.",
            "Keeping the vehicle's surface intact at such speeds requires advanced "
            "thermal shielding.",
            "The programme has received about {amount} in research funding over the "
            "past five years.",
            "Tracking sensors along the range recorded the flight, and some data "
            "will be shared with {ally}.",
        ),
        quotes=(
            "Every test teaches us something, including the ones that end early",
            "We are developing this capability so that we are never surprised by it",
            "Speed alone is not a strategy, but it changes the calculations",
        ),
    ),
    StoryTemplate(
        key="recruitment",
        category="land-warfare",
        story="{country} army recruitment shortfall",
        story_ref="{country}'s army recruitment shortfall",
        story_alt="{codename} recruitment drive",
        alt={},
        short="army recruitment shortfall",
        subject="the shortfall in army recruitment in {country}",
        tags=("Recruitment", "Training", "Readiness"),
        terms=("recruitment targets", "retention bonuses", "reserve forces",
               "basic training", "pay rise", "medical standards"),
        actors=("the army", "the defence ministry", "recruiting offices",
                "veterans' groups"),
        titles=("Defence Minister", "Chief of the General Staff"),
        variants=(
            V("Berlin", "Germany", "Europe", "France"),
            V("London", "Britain", "Western Europe", "Ireland"),
            V("Madrid", "Spain", "Southern Europe", "Portugal"),
            V("Tokyo", "Japan", "East Asia", "South Korea"),
        ),
        headlines=(
            "Army in {country} misses recruitment target again",
            "{country} offers retention bonuses to keep soldiers in uniform",
            "Medical rules blamed for rejecting thousands of army applicants",
            "{country} launches {codename} campaign to attract recruits",
            "Reserve forces in {country} to take on more front-line roles",
            "Early signs that {country}'s recruitment drive is working",
        ),
        ledes=(
            "The army in {country} has again failed to recruit as many soldiers as "
            "it needs, and commanders warn that some units are now understrength.",
            "The recruitment shortfall in {country} has prompted a rethink of pay, "
            "medical standards and the role of reservists.",
            "The {codename} recruitment campaign is the government's latest attempt "
            "to fill the gaps in {country}'s army.",
        ),
        facts=(
            "The army recruited only about {pct} per cent of its target in the "
            "last financial year.",
            "More soldiers are leaving than joining, and the gap is widest among "
            "experienced non-commissioned officers.",
            "Thousands of applicants were turned away on medical grounds, often for "
            "minor conditions.",
            "The government is offering retention bonuses worth several months' "
            "pay to soldiers who sign on for longer.",
            "Reservists are being trained to take on roles previously filled by "
            "full-time soldiers.",
        ),
        quotes=(
            "An army is its people, and we do not have enough of them",
            "Young people want to serve, but we have made it too hard to join",
            "Pay matters, but so does respect",
        ),
    ),
    StoryTemplate(
        key="counter-terror",
        category="homeland-security",
        story="{place} counter-terror raids",
        short="counter-terror raids",
        subject="the counter-terrorism raids in {place}",
        tags=("Counter-terrorism", "Policing", "Intelligence"),
        terms=("counter-terrorism police", "arrest warrants", "encrypted chats",
               "explosive precursors", "court hearing", "threat level"),
        actors=("the police", "prosecutors", "the intelligence service",
                "community leaders"),
        titles=("Interior Minister", "Counter-terrorism Police Chief"),
        variants=(
            V("Antwerp", "Belgium", "Western Europe", "France"),
            V("Karachi", "Pakistan", "South Asia", "Türkiye"),
            V("Mombasa", "Kenya", "East Africa", "Tanzania"),
            V("Marseille", "France", "Western Europe", "Spain"),
        ),
        headlines=(
            "Police carry out counter-terror raids across {place}",
            "{num} suspects held after {place} raids remain in custody",
            "Explosive precursors found during {place} search, prosecutors say",
            "{country} keeps threat level unchanged after {place} arrests",
            "Suspects in {place} terror case appear in court",
            "Community leaders in {place} call for calm after raids",
        ),
        ledes=(
            "Counter-terrorism police carried out a series of raids across {place} "
            "before dawn, arresting several people suspected of planning attacks.",
            "The investigation that led to the raids in {place} began with "
            "intercepted messages in encrypted chats, according to prosecutors.",
            "The suspects arrested in the {place} raids have appeared in court, as "
            "officials in {country} try to reassure the public.",
        ),
        facts=(
            "Officers searched {num} addresses and seized computers, phones and "
            "documents.",
            "Prosecutors say chemicals that could be used to make explosives were "
            "found at one of the properties.",
            "The suspects are accused of discussing possible targets in encrypted "
            "group chats.",
            "The national threat level has not been changed, officials said.",
            "Community leaders have urged residents not to let the arrests divide "
            "neighbourhoods.",
        ),
        quotes=(
            "The public was never in immediate danger, but the threat was real",
            "We act early, because waiting is not an option",
            "This is a matter for the courts now, and due process must be respected",
        ),
    ),
    StoryTemplate(
        key="shoal-standoff",
        category="naval-affairs",
        story="{shoal} standoff",
        alt={"shoal": "{town} Shoal"},
        short="shoal standoff",
        subject="the standoff at {shoal}",
        tags=("Maritime Security", "Coast Guard", "Indo-Pacific"),
        terms=("coast guard cutters", "fishing boats", "water cannon",
               "exclusive economic zone", "diplomatic protest", "maritime militia"),
        actors=("the coast guard", "the foreign ministry", "the navy",
                "fishing communities"),
        titles=("Coast Guard Commander", "Foreign Minister"),
        variants=(
            V("Sabah", "Malaysia", "Southeast Asia", "Indonesia",
              shoal="Tembak Shoal"),
            V("Natuna", "Indonesia", "Southeast Asia", "Malaysia", shoal="Selar Bank"),
            V("Da Nang", "Vietnam", "Southeast Asia", "India",
              shoal="Con Ngua Reef"),
        ),
        headlines=(
            "Coast guard ships face off at {shoal}",
            "Water cannon used against fishing boats near {shoal}",
            "{country} lodges diplomatic protest over {shoal} incident",
            "Fishing communities near {place} say they are afraid to go out",
            "Standoff at {shoal} drags into a second week",
            "Ships withdraw from {shoal} after talks, easing standoff",
        ),
        ledes=(
            "Coast guard vessels from {country} and a neighbouring state have been "
            "facing each other at {shoal}, a reef claimed by both.",
            "The standoff at {shoal} has become a test of how far {country} is "
            "willing to go to defend its exclusive economic zone.",
            "Ships have begun to leave {shoal}, but officials in {country} say the "
            "underlying dispute is far from settled.",
        ),
        facts=(
            "{shoal} lies within what {country} considers its exclusive economic "
            "zone, about {big} kilometres from {place}.",
            "Fishing boats from {place} have worked the waters around the reef for "
            "generations.",
            "Video released by the coast guard shows water cannon being used at "
            "close range against a fishing boat.",
            "Analysts say a maritime militia of fishing vessels is being used to "
            "support the other side's claim.",
            "{country} has lodged a formal diplomatic protest and summoned an "
            "envoy.",
        ),
        quotes=(
            "We will not be pushed out of our own waters",
            "We want a peaceful solution, but we will not give up our rights",
            "The fishermen of {place} should not have to live with this fear",
        ),
    ),
    StoryTemplate(
        key="document-leak",
        category="cyber-intelligence",
        story="{codename} document leak",
        alt={},
        short="classified document leak",
        subject="the leak of classified documents known as the {codename} files",
        tags=("Classified Leaks", "Intelligence", "Cyber Security"),
        terms=("classified documents", "security clearance", "leak inquiry",
               "intelligence sources", "online forum", "damage assessment"),
        actors=("the security service", "investigators", "the defence ministry",
                "allied governments"),
        titles=("Defence Minister", "Security Service Director"),
        variants=(
            V("Copenhagen", "Denmark", "Northern Europe", "Norway"),
            V("Canberra", "Australia", "the Indo-Pacific", "New Zealand"),
            V("Ottawa", "Canada", "North America", "Britain"),
            V("Wellington", "New Zealand", "the South Pacific", "Australia"),
        ),
        headlines=(
            "Classified documents from {country} appear on online forum",
            "{country} confirms {codename} files are genuine",
            "Allies assess damage from {codename} leak",
            "Official arrested in {place} over {codename} documents",
            "Inquiry into {codename} leak finds clearance checks were skipped",
            "{country} tightens access to secret material after {codename} leak",
        ),
        ledes=(
            "A set of classified documents from {country}, which investigators have "
            "labelled the {codename} files, has appeared on an online forum.",
            "The {codename} leak has forced {country} to reassure allies that "
            "shared intelligence is still safe in its hands.",
            "An inquiry into the {codename} files has concluded that the leak was "
            "made possible by lax checks on who could see secret material.",
        ),
        facts=(
            "The documents include briefing slides and assessments marked secret, "
            "some of them only weeks old.",
            "Officials have confirmed that at least some of the files are genuine, "
            "while warning that others may have been altered.",
            "A damage assessment is under way to establish whether intelligence "
            "sources have been put at risk.",
            "The files were first posted to a small online forum and spread for "
            "{num} days before officials noticed.",
            "Allied governments have been briefed on which of their material "
            "appears in the leak.",
        ),
        quotes=(
            "This is a serious breach, and it will be treated as one",
            "Our allies have been informed, and they have our full cooperation",
            "Access to secrets is a privilege, and it has to be earned every day",
        ),
    ),
    StoryTemplate(
        key="drone-factory",
        category="defence-industry",
        story="{company} drone factory",
        story_alt="{place} drone factory",
        short="drone factory",
        subject="the new drone factory in {place}",
        tags=("Drones", "Loitering Munitions", "Supply Chains"),
        terms=("loitering munitions", "production line", "electronic components",
               "flight testing", "export orders", "battery cells"),
        actors=("the manufacturer", "the defence ministry", "the army",
                "component suppliers"),
        titles=("Defence Minister", "Industry Minister"),
        variants=(
            V("Kraków", "Poland", "Central Europe", "Czechia"),
            V("Izmir", "Türkiye", "the eastern Mediterranean", "Romania"),
            V("Bengaluru", "India", "South Asia", "France"),
            V("Brno", "Czechia", "Central Europe", "Austria"),
        ),
        headlines=(
            "{company} opens drone factory in {place}",
            "Army places first order for loitering munitions from {place} plant",
            "Chip shortage slows output at {company} drone factory",
            "{company} to double drone production in {place}",
            "Export orders for {place}-built drones face licence delays",
            "{company} drone factory hits {big} units a month",
        ),
        ledes=(
            "{company} has opened a factory in {place} that it says will produce "
            "hundreds of military drones a month by the end of next year.",
            "The drone factory in {place} has become a showcase for {country}'s "
            "ambition to build weapons at speed and at scale.",
            "Output at the {company} plant in {place} is rising, but the supply of "
            "electronic components is proving hard to secure.",
        ),
        facts=(
            "The factory produces reconnaissance drones and loitering munitions, "
            "which carry a warhead and can wait over a target before striking.",
            "Most of the airframe is made in {country}, but cameras, chips and "
            "battery cells come from abroad.",
            "The army has ordered an initial batch worth about {amount}.",
            "Flight testing takes place at a range outside {place} before each batch "
            "is delivered.",
            "{company} employs about {big} people at the site and plans to hire "
            "more.",
        ),
        quotes=(
            "Drones have changed warfare, and industry has to change with it",
            "We design, build and test in weeks, not years",
            "The bottleneck is not the factory; it is the components",
        ),
    ),
    StoryTemplate(
        key="nuclear-submarine",
        category="submarines",
        story="{country} nuclear submarine programme",
        story_ref="{country}'s nuclear submarine programme",
        story_alt="{codename} submarine programme",
        alt={},
        company_kind="naval",
        short="nuclear submarine programme",
        subject="{country}'s programme to acquire nuclear-powered submarines",
        tags=("Submarines", "Shipbuilding", "Indo-Pacific"),
        terms=("nuclear-powered submarines", "reactor safety", "submarine yard",
               "naval engineers", "build schedule", "technology transfer"),
        actors=("the navy", "the submarine agency", "the shipyard",
                "parliament's defence committee"),
        titles=("Defence Minister", "Submarine Programme Director"),
        variants=(
            V("Adelaide", "Australia", "the Indo-Pacific", "Britain"),
            V("Visakhapatnam", "India", "South Asia", "France"),
            V("Halifax", "Canada", "North America", "Britain"),
            V("Busan", "South Korea", "East Asia", "Japan"),
        ),
        headlines=(
            "{country} sets out timeline for nuclear-powered submarines",
            "Submarine yard at {place} begins expansion",
            "Cost of {country}'s nuclear submarine programme rises to {amount}",
            "{country} sends naval engineers to {ally} for reactor training",
            "Watchdog warns of skills gap in {country} submarine programme",
            "First hull section for {country}'s nuclear submarines to be laid in "
            "{year}",
        ),
        ledes=(
            "{country} has set out a timeline for acquiring nuclear-powered "
            "submarines, the most complex defence project in its history.",
            "The nuclear submarine programme in {country} depends on building a "
            "workforce that barely exists today.",
            "Work at the submarine yard in {place} is accelerating, but the "
            "programme's cost keeps rising.",
        ),
        facts=(
            "Nuclear-powered submarines can stay submerged for months, limited "
            "mainly by food supplies and crew endurance.",
            "The programme, known internally as {codename}, is expected to cost "
            "{amount} over several decades.",
            "Thousands of engineers and technicians will be needed, many of them "
            "trained in {ally}.",
            "The yard at {place} will need new dry docks, security fences and "
            "facilities for handling reactor components.",
            "Officials insist the submarines will not carry nuclear weapons.",
        ),
        quotes=(
            "This is a generational project, and it will outlast every government "
            "that starts it",
            "Safety is not one requirement among many; it is the requirement",
            "We are building an industry, not just a class of submarines",
        ),
    ),
    StoryTemplate(
        key="rail-corridor",
        category="land-warfare",
        story="{place} military rail corridor",
        short="military rail corridor",
        subject="the plan to upgrade the rail corridor through {place} for "
        "military traffic",
        tags=("Military Mobility", "Logistics", "Military Infrastructure"),
        terms=("rail gauge", "loading ramps", "bridge weight limits",
               "tank transporters", "border crossings", "reinforcement timelines"),
        actors=("the rail operator", "the transport ministry", "the army",
                "allied logistics planners"),
        titles=("Transport Minister", "Logistics Commander"),
        variants=(
            V("Kaunas", "Lithuania", "the Baltic region", "Poland"),
            V("Constanța", "Romania", "the Black Sea region", "Bulgaria"),
            V("Narvik", "Norway", "the High North", "Sweden"),
            V("Gdańsk", "Poland", "the Baltic region", "Germany"),
        ),
        headlines=(
            "{country} plans military upgrade of {place} rail corridor",
            "Bridges on {place} route too weak for tanks, survey finds",
            "New loading ramps at {place} cut time to move armour by rail",
            "{country} and {ally} agree faster border checks for military trains",
            "Test train carries armoured brigade through {place}",
            "Funding gap threatens {place} military rail project",
        ),
        ledes=(
            "{country} plans to upgrade the rail corridor through {place} so that "
            "it can carry tanks and heavy equipment quickly in a crisis.",
            "The rail corridor through {place} has become a priority for planners "
            "who worry that reinforcements would arrive too late.",
            "A test run through {place} has shown what the upgraded rail corridor "
            "can do, and where it still falls short.",
        ),
        facts=(
            "A survey found that {num} bridges along the route cannot carry the "
            "weight of loaded tank transporters.",
            "New loading ramps allow an armoured company to be loaded in hours "
            "rather than days.",
            "Differences in rail gauge at the border with {ally} mean equipment must "
            "be transferred between trains.",
            "The project is estimated to cost {amount}, partly funded by allies.",
            "Customs and paperwork at border crossings have added days to past "
            "deployments.",
        ),
        quotes=(
            "Amateurs talk about tactics; professionals talk about logistics",
            "If our allies cannot reach us quickly, their promises are worth less",
            "Every hour we save in loading is an hour gained in a crisis",
        ),
    ),
    StoryTemplate(
        key="debris",
        category="space",
        story="{codename} debris cloud",
        alt={},
        company_kind="space",
        short="satellite debris alert",
        subject="the debris cloud from the destroyed satellite tracked as "
        "{codename}",
        tags=("Space Security", "Satellites", "Arms Control"),
        terms=("debris fragments", "collision warnings", "satellite operators",
               "orbital tracking", "avoidance manoeuvre", "anti-satellite weapons"),
        actors=("the space agency", "the space command", "satellite operators",
                "the foreign ministry"),
        titles=("Space Agency Director", "Space Command Chief"),
        variants=(
            V("Bengaluru", "India", "South Asia", "Japan"),
            V("Toulouse", "France", "Europe", "Germany"),
            V("Tsukuba", "Japan", "East Asia", "Australia"),
            V("Darmstadt", "Germany", "Europe", "Italy"),
        ),
        headlines=(
            "Debris cloud threatens satellites operated from {place}",
            "{country} satellite dodges fragment from {codename} debris cloud",
            "Space agency in {place} issues {num} collision warnings in a week",
            "{country} calls for ban on destructive anti-satellite tests",
            "Tracking data shows {codename} debris will stay in orbit for years",
            "Satellite operators count cost of avoiding {codename} debris",
        ),
        ledes=(
            "Satellite controllers in {place} are tracking a cloud of debris from "
            "a destroyed satellite, catalogued as {codename}, that crosses the "
            "orbits of several {country} spacecraft.",
            "The {codename} debris cloud has turned a distant event in orbit into a "
            "daily problem for satellite operators in {country}.",
            "{country} has used the {codename} debris cloud to press for a ban on "
            "destructive anti-satellite tests.",
        ),
        facts=(
            "Tracking networks have catalogued more than {big} fragments large "
            "enough to damage a satellite.",
            "A {country} Earth observation satellite performed an avoidance "
            "manoeuvre after a warning from the control centre in {place}.",
            "Each manoeuvre uses fuel, which shortens the working life of the "
            "satellite.",
            "Some fragments are expected to remain in orbit for years before "
            "falling back into the atmosphere.",
            "Governments have debated a ban on destructive anti-satellite tests, "
            "but not all major space powers have signed up.",
        ),
        quotes=(
            "Debris does not respect borders or flags",
            "Every destructive test makes space more dangerous for everyone",
            "We can dodge fragments for now, but the risk will not go away",
        ),
    ),
    StoryTemplate(
        key="border-surveillance",
        category="homeland-security",
        story="{place} border surveillance project",
        company_kind="general",
        short="border surveillance project",
        subject="the border surveillance project near {place}",
        tags=("Border Security", "Surveillance", "Drones"),
        terms=("surveillance towers", "thermal cameras", "border guards",
               "patrol drones", "border fence", "data protection"),
        actors=("the border guard", "the interior ministry", "local residents",
                "privacy advocates"),
        titles=("Interior Minister", "Border Guard Commander"),
        variants=(
            V("Narva", "Estonia", "the Baltic region", "Latvia"),
            V("Białystok", "Poland", "Central Europe", "Lithuania"),
            V("Alexandroupoli", "Greece", "the eastern Mediterranean", "Bulgaria"),
            V("Lappeenranta", "Finland", "Northern Europe", "Estonia"),
        ),
        headlines=(
            "{country} to build surveillance towers along border near {place}",
            "{company} wins contract for border cameras near {place}",
            "Border guards near {place} start using patrol drones",
            "Privacy watchdog questions data from {place} border cameras",
            "Surveillance towers near {place} completed ahead of schedule",
            "{country} and {ally} link border surveillance networks",
        ),
        ledes=(
            "{country} plans to build a line of surveillance towers along its "
            "border near {place}, equipped with thermal cameras and radar.",
            "The border surveillance project near {place} has drawn praise from "
            "border guards and criticism from privacy advocates.",
            "The surveillance towers near {place} are now watching the border, and "
            "officials in {country} say crossings have already fallen.",
        ),
        facts=(
            "Each tower carries thermal cameras and radar able to detect movement "
            "several kilometres away.",
            "{company} won the contract to supply cameras and software, worth about "
            "{amount}.",
            "Border guards near {place} have begun flying small drones to check "
            "alerts from the towers.",
            "The privacy watchdog has asked how long footage is kept and who can "
            "see it.",
            "Data from the towers will be shared with {ally}, which is building a "
            "similar system.",
        ),
        quotes=(
            "Technology lets a small number of guards watch a long border",
            "Security and privacy are not opposites, but the rules must be clear",
            "We know what happens on our border now, day and night",
        ),
    ),
    StoryTemplate(
        key="disinformation",
        category="cyber-intelligence",
        story="{codename} disinformation network",
        alt={},
        company_kind="cyber",
        short="disinformation network",
        subject="the disinformation network that researchers have named "
        "{codename}",
        tags=("Disinformation", "Elections", "Cyber Security"),
        terms=("fake accounts", "cloned news sites", "election officials",
               "social media platforms", "coordinated campaign", "fact-checkers"),
        actors=("the election commission", "the platforms", "the researchers",
                "the security service"),
        titles=("Interior Minister", "Election Commission Chair"),
        variants=(
            V("Bucharest", "Romania", "the Black Sea region", "Moldova"),
            V("Chișinău", "Moldova", "Eastern Europe", "Romania"),
            V("Riga", "Latvia", "the Baltic region", "Estonia"),
            V("Taipei", "Taiwan", "East Asia", "Japan"),
        ),
        headlines=(
            "Researchers uncover {codename} disinformation network targeting "
            "{country}",
            "Cloned news sites spread false stories ahead of {country} election",
            "Platforms remove thousands of {codename} accounts",
            "Election officials in {country} warn of fake voting instructions",
            "{country} links {codename} network to foreign intelligence service",
            "How the {codename} network tried to sway voters in {country}",
        ),
        ledes=(
            "Researchers have identified a network of fake accounts and cloned news "
            "sites, which they call {codename}, spreading false stories in "
            "{country}.",
            "The {codename} disinformation network has become an election issue in "
            "{country}, with officials warning voters to check what they read.",
            "Officials in {country} now say the {codename} network was run from "
            "abroad, confirming what researchers suspected for months.",
        ),
        facts=(
            "The network used more than {big} fake accounts and several websites "
            "that copied the design of real news outlets.",
            "Some posts gave voters false information about where and when to "
            "vote.",
            "Social media platforms have removed thousands of accounts linked to "
            "the network.",
            "Researchers traced the accounts through shared hosting, payment "
            "records and posting patterns.",
            "Fact-checkers in {country} say the false stories were often timed to "
            "coincide with real news events.",
        ),
        quotes=(
            "The aim is not to convince people of one lie but to make them doubt "
            "everything",
            "Our elections are decided by our voters, and we will protect that",
            "If you see a story that seems designed to make you angry, check it "
            "twice",
        ),
    ),
    StoryTemplate(
        key="aid-package",
        category="diplomacy-alliances",
        story="{country} military aid package",
        story_ref="{country}'s military aid package",
        story_alt="{codename} aid package",
        alt={},
        short="military aid package",
        subject="{country}'s military aid package for {partner}",
        tags=("Military Aid", "Diplomacy", "Training"),
        terms=("military aid", "patrol boats", "training teams", "spare parts",
               "delivery schedule", "parliamentary approval"),
        actors=("the defence ministry", "the foreign ministry", "parliament",
                "the armed forces"),
        titles=("Defence Minister", "Foreign Minister"),
        variants=(
            V("Oslo", "Norway", "Northern Europe", "Denmark", partner="Ukraine"),
            V("Tokyo", "Japan", "East Asia", "Australia", partner="the Philippines"),
            V("Canberra", "Australia", "the South Pacific", "New Zealand",
              partner="Papua New Guinea"),
            V("Paris", "France", "West Africa", "Belgium", partner="Ghana"),
        ),
        headlines=(
            "{country} announces military aid package for {partner}",
            "Parliament in {country} approves aid to {partner}",
            "First deliveries under {country}'s aid package reach {partner}",
            "{country} to send training teams to {partner}",
            "Critics say {country}'s aid to {partner} arrives too slowly",
            "{country} adds patrol boats to aid for {partner}",
        ),
        ledes=(
            "{country} has announced a military aid package for {partner} worth "
            "{amount}, its largest such commitment in years.",
            "The military aid package from {country} to {partner} is moving from "
            "announcement to delivery, with the first equipment already shipped.",
            "Debate over how quickly {country} can deliver aid to {partner} has "
            "intensified as the first shipments arrive.",
        ),
        facts=(
            "The package includes vehicles, radios, spare parts and training.",
            "Parliament must approve any aid above a set value, which adds weeks to "
            "the process.",
            "Training teams from {country} will spend {num} months working with "
            "units in {partner}.",
            "Some equipment is being taken from {country}'s own stocks and will be "
            "replaced with new orders.",
            "Officials in {partner} have welcomed the aid and asked for more air "
            "defence and patrol boats.",
        ),
        quotes=(
            "Our support for {partner} is long-term and it is not conditional on "
            "headlines",
            "Aid that arrives late is aid that matters less",
            "We are giving what we can, as fast as we can",
        ),
    ),
    StoryTemplate(
        key="dry-dock-fire",
        category="naval-affairs",
        story="{vessel} dry dock fire",
        story_ref="the fire aboard the {vessel}",
        alt={},
        short="warship fire",
        subject="the fire aboard the frigate {vessel} in dry dock at {place}",
        tags=("Readiness", "Shipbuilding", "Frigates"),
        terms=("dry dock", "welding work", "fire crews", "damage assessment",
               "refit", "fleet availability"),
        actors=("the navy", "the dockyard", "fire investigators",
                "the defence ministry"),
        titles=("Chief of Naval Staff", "Defence Minister"),
        variants=(
            V("Portsmouth", "Britain", "Western Europe", "France"),
            V("Toulon", "France", "Southern Europe", "Italy"),
            V("Karachi", "Pakistan", "South Asia", "Türkiye"),
            V("Mumbai", "India", "South Asia", "France"),
        ),
        headlines=(
            "Fire breaks out on frigate {vessel} in {place} dry dock",
            "Fire crews battle for hours to save frigate {vessel}",
            "Navy assesses damage to {vessel} after dry dock fire",
            "Welding work suspected as cause of {vessel} fire",
            "{vessel} refit delayed by at least {num} months after fire",
            "Fire on {vessel} leaves navy short of frigates",
        ),
        ledes=(
            "A fire broke out aboard the frigate {vessel} while it was in dry dock "
            "at {place} for a refit, injuring several dockyard workers.",
            "The fire aboard the {vessel} has reopened questions about safety and "
            "crowding in the dockyard at {place}.",
            "The damage to the frigate {vessel} is worse than first thought, leaving "
            "the navy in {country} with fewer ships at sea.",
        ),
        facts=(
            "The fire started in a machinery space where welding work was being "
            "carried out.",
            "Fire crews fought the blaze for several hours, helped by the ship's "
            "own damage control teams.",
            "The {vessel} was midway through a refit that was due to finish next "
            "year.",
            "Investigators are examining whether fire safety rules were followed in "
            "the dock.",
            "The navy has only {num} frigates available at present, and the loss of "
            "one for longer affects deployments.",
        ),
        quotes=(
            "The quick response of the fire crews prevented something much worse",
            "We will learn every lesson from this, and we will share them",
            "Every ship counts when the fleet is this small",
        ),
    ),
    StoryTemplate(
        key="demining",
        category="land-warfare",
        story="{place} demining programme",
        short="demining programme",
        subject="the programme to clear mines and unexploded ordnance around "
        "{place}",
        tags=("Demining", "Post-conflict Recovery", "Training"),
        terms=("landmines", "unexploded ordnance", "deminers",
               "mine detection dogs", "farmland", "clearance survey"),
        actors=("the national mine action centre", "international donors",
                "local farmers", "the army engineers"),
        titles=("Mine Action Centre Director", "Defence Minister"),
        variants=(
            V("Battambang", "Cambodia", "Southeast Asia", "Japan"),
            V("Huambo", "Angola", "Southern Africa", "Portugal"),
            V("Mostar", "Bosnia and Herzegovina", "the Balkans", "Croatia"),
            V("Jaffna", "Sri Lanka", "South Asia", "India"),
        ),
        headlines=(
            "Donors fund new demining programme around {place}",
            "Deminers near {place} clear {big} hectares of farmland",
            "Mine detection dogs join clearance teams near {place}",
            "Farmers return to fields near {place} cleared of mines",
            "Funding gap threatens {place} demining work",
            "{country} sets target to clear remaining minefields by {year}",
        ),
        ledes=(
            "A new programme to clear landmines and unexploded ordnance around "
            "{place} has received funding from international donors.",
            "Deminers working around {place} are making steady progress, returning "
            "land to farmers field by field.",
            "The demining programme around {place} is running short of money just "
            "as {country} sets out a target for finishing the job.",
        ),
        facts=(
            "Teams have cleared about {big} hectares so far, much of it farmland.",
            "Mine detection dogs can search an area far faster than deminers with "
            "metal detectors.",
            "Records of where mines were laid are incomplete, so each area must be "
            "surveyed before clearance.",
            "Accidents involving old ordnance still injure people around {place} "
            "every year.",
            "The programme employs local people as deminers, many of them women.",
        ),
        quotes=(
            "Every field we clear is a family that can farm again",
            "Mines remain dangerous for decades after the fighting stops",
            "We need a few more years of funding to finish what we started",
        ),
    ),
)  # fmt: skip
TEMPLATE_BY_KEY = {t.key: t for t in TEMPLATES}

# Follow-up headlines any story can get. "analysis" ones are usually filed in
# the Analysis section and come later in a story.
GENERIC_HEADLINES: tuple[tuple[str, str], ...] = (
    ("Analysis: what {the_story} means for {region}", "analysis"),
    ("Explainer: {the_story} in five questions", "analysis"),
    ("Timeline: how {the_story} unfolded", "analysis"),
    ("Opinion: {the_story} is a warning that {region} should heed", "analysis"),
    ("Inside {the_story}: what we know so far", "analysis"),
    ("{title1} {official1} defends handling of {short}", "news"),
    ("Lawmakers in {country} demand answers on {short}", "news"),
    ("{ally} offers support to {country} over {short}", "news"),
    ("{country} briefs allies on {short}", "news"),
    ("Pressure mounts on government in {country} over {short}", "news"),
)
GENERIC_STANDFIRSTS = (
    "Pressure is growing on officials in {country} to explain {subject}.",
    "{Subject} has become a test of how quickly {region} can respond to a problem "
    "of this kind.",
    "The {term1} is at the centre of the latest twist in {the_story}.",
    "New details about the {term1} and the {term2} have emerged as {the_story} "
    "enters another week.",
    "Governments across {region} are watching closely as {country} weighs its "
    "next move.",
    "Officials say the {term1} will shape what happens next, but few are prepared "
    "to predict the outcome.",
    "Behind the official statements, {actor1} and {actor2} are said to disagree on "
    "how to proceed.",
    "Here is what is known about {subject}, and what remains unclear.",
)
CONTEXT = (
    "{Subject} has drawn attention across {region}, where several governments are "
    "reviewing similar risks.",
    "Officials in {country} have declined to say how long their review of the "
    "{term1} will take.",
    "The episode has revived a long-running debate about the {term1} and the {term2}.",
    "Diplomats from {ally} were briefed on {the_story} this week, according to two "
    "people familiar with the meeting.",
    "Analysts say the timing is awkward for {country}, which is midway through a "
    "review of its defence priorities.",
    "{Actor2} has been asked to provide a written account of events by the end of "
    "the month.",
    "None of the officials contacted for this article would say whether the "
    "{term2} had been discussed at cabinet level.",
    "Opposition politicians in {country} have accused the government of being "
    "slow to share information about the {term1}.",
    "{Actor1} said work on the {term1} was continuing.",
    "Officials in {ally} said they were following developments closely and were in "
    "regular contact with counterparts in {country}.",
    "Retired officers interviewed for this article described the {term2} as the "
    "issue most likely to determine the outcome.",
    "Public statements so far have been cautious, reflecting how little has been "
    "independently verified.",
    "Several details remain disputed, including the role of the {term3}.",
    "{Actor2} has not commented publicly, but people close to the discussions say "
    "the {term3} has been raised repeatedly.",
)
BACKGROUND = (
    "Concern about the {term1} is not new in {region}; similar warnings appeared "
    "in parliamentary reports several years ago.",
    "{country} has increased defence spending in each of the past three years, "
    "though much of the money has gone to maintenance rather than new equipment.",
    "Budget documents show that the {term2} was identified as a priority as early "
    "as the last defence review.",
    "Military planners have long argued that the {term1} would be among the first "
    "things tested in any crisis.",
    "Governments in {region} have tended to cooperate closely on the {term3}, "
    "sharing data and holding joint drills.",
    "Experts caution that comparisons with earlier episodes can mislead, because "
    "the {term2} has changed significantly.",
    "The last comparable episode, several years ago, ended without anyone being "
    "held to account.",
)
NEXT = (
    "A fuller statement is expected once {actor1} completes the assessment.",
    "Lawmakers in {country} are due to question officials about the matter next week.",
    "Officials said a decision on the next steps could come within {num} weeks.",
    "Defence ministers from across {region} are expected to discuss the issue at "
    "their next meeting.",
    "The government has promised to publish a summary of its findings, though it "
    "has not set a date.",
    "For now, officials say, the priority is the {term1}.",
    "Further announcements are expected in the coming days.",
)
GENERIC_QUOTES = (
    "We are working closely with our partners and will act on the facts as they "
    "become clear",
    "Nobody should draw conclusions before the facts are established",
    "This is a serious matter, and it is being treated as one",
    "We will not comment on operational details, but we are not standing still",
)
QUOTE_FRAMES = (
    "“{q},” said {title1} {official1}.",
    "“{q},” {title2} {official2} told reporters.",
    "{title1} {official1} said in a statement: “{q}.”",
    "Asked about the {term1}, {title2} {official2} said: “{q}.”",
    "“{q},” {official2}, who speaks for {actor1}, said.",
)
HEADINGS = (
    "What happens next",
    "The wider picture",
    "Background",
    "Why it matters",
    "What we know so far",
    "The questions that remain",
)
STANDFIRST_TAILS = {
    "analysis": (
        "Our correspondents explain the stakes.",
        "Here is what to watch.",
        "The answers matter well beyond {country}.",
    ),
    "news": (
        "Officials say more details will follow.",
        "The stakes extend well beyond {country}.",
        "",
        "",
    ),
}

# ---------------------------------------------------------------------------
# The plan
# ---------------------------------------------------------------------------

NUMBER_WORDS = (
    "zero", "one", "two", "three", "four", "five", "six", "seven", "eight", "nine",
    "ten", "eleven", "twelve",
)  # fmt: skip

# Cluster sizes and how often they occur (mean about 5.7 articles).
CLUSTER_SIZES = (3, 4, 5, 6, 7, 8, 9, 10, 12)
CLUSTER_SIZE_WEIGHTS = (15, 18, 18, 15, 12, 9, 6, 4, 3)


@dataclass
class Cluster:
    key: str  # also the slug of the story tag
    story: str  # the story tag's name
    template: StoryTemplate
    slots: dict[str, str]
    terms: tuple[str, ...]
    actors: tuple[str, ...]
    quotes: tuple[str, ...]
    category: str
    tags: tuple[str, ...]  # three of the template's, then two broad ones
    region_tag: str | None
    lead_author: str
    image: int


@dataclass
class ArticleSpec:
    index: int
    slug: str
    headline: str
    kind: str  # "news" or "analysis"
    cluster: Cluster
    position: int  # 0 opens the story
    category: str
    tags: tuple[str, ...]
    author: str
    coauthor: str | None
    #: How long ago it was published, as a fraction of the seeding window:
    #: 0.5 with --days 120 means 60 days ago. Negative: scheduled in the
    #: future. None: a draft or pending article, not published.
    age: float | None
    status: str
    sticky: bool
    comments_open: bool
    image: int | None
    revised: bool  # updated some hours after publication
    text_seed: int


@dataclass(frozen=True)
class ClusterAssignment:
    slug: str
    cluster_key: str
    story: str
    position: int


def cluster_plan(
    seed: int = DEFAULT_SEED, n_articles: int = DEFAULT_ARTICLES, *, slug_suffix=""
) -> list[ClusterAssignment]:
    """Which article (by slug) belongs to which story cluster, for the articles
    ``seed_demo --articles n_articles --seed seed`` creates. See the module
    docstring."""
    return [
        ClusterAssignment(s.slug, s.cluster.key, s.cluster.story, s.position)
        for s in plan_articles(seed, n_articles, slug_suffix=slug_suffix)
    ]


def plan_articles(
    seed: int = DEFAULT_SEED, n_articles: int = DEFAULT_ARTICLES, *, slug_suffix=""
) -> list[ArticleSpec]:
    """Every article the command will create, oldest first, without text."""
    rng = random.Random(f"newshub-demo:{seed}:plan")
    clusters = _plan_clusters(rng, _cluster_sizes(rng, n_articles))
    specs: list[ArticleSpec] = []
    seen_slugs: dict[str, int] = {}
    live = max(2, len(clusters) // 10)
    for number, (cluster, size) in enumerate(clusters):
        headlines = _pick_headlines(rng, cluster, size)
        ages = _story_ages(rng, size, live=number < live)
        for position, ((text, kind), age) in enumerate(
            zip(headlines, ages, strict=True)
        ):
            headline = _fill(text, cluster.slots)
            headline = headline[:1].upper() + headline[1:]
            base = slugify(headline)[:90].strip("-") or "article"
            count = seen_slugs.get(base, 0) + 1
            seen_slugs[base] = count
            slug = base if count == 1 else f"{base}-{count}"
            if kind == "analysis" and rng.random() < 0.75:
                category = "analysis"
                author = rng.choice(_authors_for("analysis"))
            else:
                category = cluster.category
                author = (
                    cluster.lead_author
                    if rng.random() < 0.65
                    else rng.choice(_authors_for(TOP_CATEGORY[category]))
                )
            coauthor = None
            if rng.random() < 0.08:
                coauthor = rng.choice([a.slug for a in AUTHORS if a.slug != author])
            specs.append(
                ArticleSpec(
                    index=0,
                    slug=slug,
                    headline=headline,
                    kind=kind,
                    cluster=cluster,
                    position=position,
                    category=category,
                    tags=_pick_tags(rng, cluster),
                    author=author,
                    coauthor=coauthor,
                    age=age,
                    status="published",
                    sticky=False,
                    comments_open=rng.random() < 0.92,
                    image=_pick_image(rng, cluster, category),
                    revised=rng.random() < 0.06,
                    text_seed=rng.getrandbits(48),
                )
            )
    # Every age is a number until _assign_statuses() drafts some.
    specs.sort(key=lambda s: (-cast(float, s.age), s.slug))
    _assign_statuses(random.Random(f"newshub-demo:{seed}:status"), specs)
    for index, spec in enumerate(specs):
        spec.index = index
        spec.slug += slug_suffix
    return specs


def _cluster_sizes(rng: random.Random, n: int) -> list[int]:
    sizes: list[int] = []
    remaining = n
    while remaining > 0:
        size = rng.choices(CLUSTER_SIZES, CLUSTER_SIZE_WEIGHTS)[0]
        if remaining - size < 3:
            if remaining <= max(CLUSTER_SIZES) or not sizes:
                size = remaining
            else:
                size = remaining - 3
        sizes.append(size)
        remaining -= size
    return sizes


def _instances(rng: random.Random) -> Iterator[tuple[StoryTemplate, dict, bool]]:
    """Templates with each of their variants first, then endless variations."""
    order = list(TEMPLATES)
    rng.shuffle(order)
    variants = {t.key: rng.sample(t.variants, len(t.variants)) for t in order}
    rounds = max(len(t.variants) for t in TEMPLATES)
    for round_ in range(rounds):
        for template in order:
            if round_ < len(variants[template.key]):
                yield template, variants[template.key][round_], True
    while True:
        for template in order:
            yield template, rng.choice(template.variants), False


def _plan_clusters(rng: random.Random, sizes: list[int]) -> list[tuple[Cluster, int]]:
    used: set[str] = set()
    instances = _instances(rng)
    clusters = []
    for size in sizes:
        template, variant, natural = next(instances)
        for attempt in range(80):
            slots = _cluster_slots(rng, template, variant, natural)
            pattern = (
                template.story if natural else template.story_alt or template.story
            )
            story = _fill(pattern, slots)
            story = story[:1].upper() + story[1:]
            if attempt >= 60:
                story = f"{story} {attempt - 58}"
            key = slugify(story)
            if key not in used:
                break
        used.add(key)
        if natural or not template.story_alt:
            ref = template.story_ref
        else:
            ref = template.story_alt_ref
        slots["story"] = story
        slots["the_story"] = _fill(ref, slots) if ref else f"the {story}"
        slots["The_story"] = _cap(slots["the_story"])
        for name in ("short", "subject"):
            slots[name] = _fill(getattr(template, name), slots)
        slots["Subject"] = _cap(slots["subject"])
        top = TOP_CATEGORY[template.category]
        extra = [t for t in BROAD_TAGS if t not in template.tags]
        clusters.append(
            (
                Cluster(
                    key=key,
                    story=story,
                    template=template,
                    slots=slots,
                    terms=tuple(_fill(t, slots) for t in template.terms),
                    actors=tuple(_fill(a, slots) for a in template.actors),
                    quotes=tuple(_fill(q, slots) for q in template.quotes),
                    category=template.category,
                    tags=(*template.tags, *rng.sample(extra, 2)),
                    region_tag=REGION_TAGS.get(slots["country"]),
                    lead_author=rng.choice(_authors_for(top)),
                    image=POOL_INDEX[top][rng.randrange(POOL_PER_CATEGORY)],
                ),
                size,
            )
        )
    return clusters


def _cluster_slots(
    rng: random.Random, template: StoryTemplate, variant: dict, natural: bool
) -> dict[str, str]:
    slots = dict(variant)
    first, last = NAMES[COUNTRY_CULTURE.get(variant["country"], "english")]
    slots["official1"] = slots["official2"] = f"{rng.choice(first)} {rng.choice(last)}"
    while slots["official2"] == slots["official1"]:
        slots["official2"] = f"{rng.choice(first)} {rng.choice(last)}"
    slots["title1"], slots["title2"] = template.titles
    suffixes = COMPANY_B[template.company_kind]
    firms = rng.sample(COMPANY_A, 2)
    slots["company"] = f"{firms[0]} {rng.choice(suffixes)}"
    slots["company2"] = f"{firms[1]} {rng.choice(suffixes)}"
    slots["vessel"] = f"{rng.choice(VESSEL_A)} {rng.choice(VESSEL_B)}"
    slots["codename"] = f"{rng.choice(CODE_A)} {rng.choice(CODE_B)}"
    slots["town"] = f"{rng.choice(TOWN_A)}{rng.choice(TOWN_B)}"
    slots["num"] = NUMBER_WORDS[rng.randint(3, 12)]
    slots["big"] = str(rng.randrange(120, 960, 10))
    slots["thousands"] = str(rng.randint(4, 30))
    slots["fleet"] = str(rng.choice((12, 14, 16, 18, 20, 24, 32, 36, 48)))
    slots["amount"] = f"${rng.randint(6, 95) / 10:.1f}bn"
    slots["year"] = str(rng.randint(2027, 2033))
    slots["pct"] = str(rng.randint(55, 85))
    if not natural:
        for name, pattern in template.alt.items():
            slots[name] = pattern.format(town=slots["town"])
    return slots


def _pick_headlines(
    rng: random.Random, cluster: Cluster, size: int
) -> list[tuple[str, str]]:
    """The opening headline, then follow-ups in story order: mostly the story's
    own, some generic ones, and up to three analysis pieces towards the end."""
    template = cluster.template
    steps = len(template.headlines)
    own = [(i, (h, "news")) for i, h in enumerate(template.headlines) if i]
    news, analysis = [], []
    for headline, kind in GENERIC_HEADLINES:
        if kind == "analysis":
            analysis.append((rng.uniform(1, steps) + steps / 2, (headline, kind)))
        else:
            news.append((rng.uniform(1, steps), (headline, kind)))
    wanted = size - 1
    n_analysis = min(wanted, rng.choice((0, 1, 1, 2)) + (wanted >= 7))
    n_news = min(len(own) + len(news), wanted - n_analysis)
    n_analysis = wanted - n_news
    n_generic = min(len(news), max(n_news - len(own), rng.choice((0, 1, 1, 2))))
    n_generic = min(n_generic, n_news)
    chosen = [
        *rng.sample(own, n_news - n_generic),
        *rng.sample(news, n_generic),
        *rng.sample(analysis, min(n_analysis, len(analysis))),
    ]
    chosen.sort(key=lambda item: item[0])
    return [(template.headlines[0], "news"), *(h for _, h in chosen)][:size]


def _story_ages(rng: random.Random, size: int, live: bool) -> list[float]:
    """Publication ages (fractions of the window, oldest first) of one story.
    Stories end at random times skewed towards the present; a few "live"
    stories are still running today."""
    if live:
        end = rng.uniform(0.0002, 0.004)
        span = rng.uniform(0.01, 0.05)
    else:
        end = rng.random() ** 1.4 * 0.97
        span = rng.uniform(0.005, 0.11)
    start = min(0.999, end + span)
    middle = sorted((rng.uniform(end, start) for _ in range(size - 2)), reverse=True)
    ages = [start, *middle, end] if size > 1 else [end]
    return ages[:size]


def _assign_statuses(rng: random.Random, specs: list[ArticleSpec]) -> None:
    """~3% drafts or pending review among recent articles, two scheduled for
    the coming days, two sticky lead stories. Specs are oldest first."""
    n = len(specs)
    if n < 10:
        if specs:
            specs[-1].sticky = True
        return
    recent = specs[-max(10, n // 5) :]
    scheduled = [s for s in recent[-8:] if s.position > 0][-2:]
    for spec in scheduled:
        spec.status = "scheduled"
        spec.age = -rng.uniform(0.0005, 0.02)
        spec.sticky = False
    candidates = [s for s in recent if s.status == "published"]
    for spec in rng.sample(candidates, min(len(candidates), round(n * 0.03))):
        spec.status = rng.choice(("draft", "pending"))
        spec.age = None
    stories: set[str] = set()
    for spec in reversed(specs):
        if (
            spec.status == "published"
            and spec.kind == "news"
            and spec.cluster.key not in stories
        ):
            spec.sticky = True
            stories.add(spec.cluster.key)
            if len(stories) == 2:
                break


@functools.cache
def _authors_for(top_category: str) -> list[str]:
    slugs = [a.slug for a in AUTHORS if top_category in a.beats]
    return slugs or [a.slug for a in AUTHORS]


def _pick_tags(rng: random.Random, cluster: Cluster) -> tuple[str, ...]:
    """The story tag, one to three of the story's tags, up to two broad ones:
    between two and six in all."""
    own = rng.sample(cluster.tags[:3], rng.randint(1, 3))
    if rng.random() < 0.5:
        own.append(cluster.tags[3 + rng.randrange(2)])
    broad = rng.sample(BROAD_TAGS, rng.choice((0, 0, 1, 1, 2)))
    if cluster.region_tag and rng.random() < 0.4:
        broad.insert(0, cluster.region_tag)
    tags = [cluster.story]
    for tag in (*own, *broad):
        if tag not in tags and len(tags) < 6:
            tags.append(tag)
    return tuple(tags)


def _pick_image(rng: random.Random, cluster: Cluster, category: str) -> int | None:
    roll = rng.random()
    if roll < 0.03:
        return None
    if roll < 0.72:
        return cluster.image
    return POOL_INDEX[TOP_CATEGORY[category]][rng.randrange(POOL_PER_CATEGORY)]


# ---------------------------------------------------------------------------
# Text
# ---------------------------------------------------------------------------


def _cap(text: str) -> str:
    return text[:1].upper() + text[1:]


def _fill(pattern: str, slots: dict[str, str]) -> str:
    return pattern.format_map(slots)


def write_article(spec: ArticleSpec) -> tuple[str, str]:
    """The standfirst (plain text) and body (clean HTML) of one article."""
    rng = random.Random(spec.text_seed)
    cluster, template = spec.cluster, spec.cluster.template
    terms = rng.sample(cluster.terms, 3)
    actors = rng.sample(cluster.actors, 2)
    ctx = dict(cluster.slots)
    ctx.update(
        term1=terms[0],
        term2=terms[1],
        term3=terms[2],
        actor1=actors[0],
        actor2=actors[1],
        Actor1=_cap(actors[0]),
        Actor2=_cap(actors[1]),
    )

    def fill(pattern: str) -> str:
        return pattern.format_map(ctx)

    ledes = rng.sample(template.ledes, len(template.ledes))
    if rng.random() < 0.5:
        standfirst = fill(ledes[1])
    else:
        standfirst = fill(rng.choice(GENERIC_STANDFIRSTS))
    tail = fill(rng.choice(STANDFIRST_TAILS[spec.kind]))
    if tail:
        standfirst = f"{standfirst} {tail}"

    facts = [fill(f) for f in rng.sample(template.facts, len(template.facts))]
    context = [fill(c) for c in rng.sample(CONTEXT, len(CONTEXT))]
    background = [fill(b) for b in rng.sample(BACKGROUND, len(BACKGROUND))]
    quotes = rng.sample((*cluster.quotes, *GENERIC_QUOTES), 2)
    frames = rng.sample(QUOTE_FRAMES, 2)

    def quote(i: int) -> str:
        ctx["q"] = quotes[i]
        return fill(frames[i])

    n_paragraphs = rng.randint(5, 9)
    paragraphs = [fill(ledes[0])]
    if rng.random() < 0.5:
        paragraphs[0] += " " + facts.pop()
    paragraphs.append(f"{facts.pop()} {context.pop()}")
    paragraphs.append(f"{quote(0)} {context.pop()}")
    while len(paragraphs) < n_paragraphs - 1:
        roll = rng.random()
        if facts and roll < 0.4:
            paragraphs.append(f"{facts.pop()} {context.pop()}")
        elif roll < 0.55 and len(paragraphs) > 3 and len(quotes) > 1:
            paragraphs.append(f"{quote(1)} {background.pop()}")
            quotes.pop()
        elif roll < 0.8:
            paragraphs.append(f"{background.pop()} {context.pop()}")
        else:
            paragraphs.append(f"{context.pop()} {context.pop()}")
    paragraphs.append(fill(rng.choice(NEXT)))

    parts = [f"<p>{html.escape(p, quote=False)}</p>" for p in paragraphs]
    if rng.random() < 0.3:
        pull = html.escape(f"“{quotes[0]}.”", quote=False)
        parts.insert(3, f"<blockquote>{pull}</blockquote>")
    if rng.random() < 0.45:
        heading = html.escape(rng.choice(HEADINGS), quote=False)
        parts.insert(len(parts) - 2, f"<h2>{heading}</h2>")
    return standfirst, "\n".join(parts)


def image_caption(spec: ArticleSpec) -> str:
    story = spec.cluster.slots["the_story"]
    return f"An abstract illustration for our coverage of {story}."


# ---------------------------------------------------------------------------
# Images
# ---------------------------------------------------------------------------

# Colour schemes per main section: a description for alt text, then colours
# (two for the background gradient, the rest for shapes).
PALETTES: dict[str, tuple[str, tuple[tuple[int, int, int], ...]]] = {
    "land-warfare": ("olive, khaki and sand",
                     ((58, 66, 38), (128, 122, 78), (196, 178, 128), (226, 214, 176),
                      (92, 84, 52))),
    "naval-affairs": ("navy blue and steel grey",
                      ((12, 30, 58), (40, 78, 112), (118, 142, 160), (198, 210, 218),
                       (26, 98, 120))),
    "air-space": ("sky blue, indigo and white",
                  ((28, 36, 92), (74, 130, 196), (164, 206, 236), (240, 244, 250),
                   (96, 84, 170))),
    "cyber-intelligence": ("charcoal, violet and electric green",
                           ((18, 20, 26), (44, 40, 70), (70, 220, 130),
                            (130, 96, 220), (200, 240, 210))),
    "defence-industry": ("graphite and orange",
                         ((36, 38, 42), (84, 88, 94), (236, 128, 40),
                          (250, 190, 120), (160, 164, 170))),
    "diplomacy-alliances": ("burgundy, gold and cream",
                            ((82, 20, 36), (136, 44, 60), (212, 170, 80),
                             (244, 232, 204), (170, 96, 80))),
    "nuclear-strategic": ("charcoal, amber and red",
                          ((24, 22, 22), (70, 60, 56), (240, 170, 40), (200, 60, 40),
                           (250, 220, 150))),
    "homeland-security": ("slate blue and yellow",
                          ((40, 52, 68), (86, 104, 124), (240, 200, 60),
                           (210, 220, 228), (140, 156, 170))),
    "analysis": ("plum, grey and ivory",
                 ((62, 36, 70), (110, 92, 120), (190, 180, 196), (246, 240, 228),
                  (150, 100, 140))),
}  # fmt: skip
COMPOSITIONS = (
    "overlapping translucent circles",
    "diagonal bands",
    "concentric rings",
    "layered ridges like a distant horizon",
    "a scatter of triangles",
    "a grid of tilted squares",
)
POOL_PER_CATEGORY = 3
POOL: tuple[tuple[str, int], ...] = tuple(
    (slug, n) for slug in TOP_LEVEL_SLUGS for n in range(POOL_PER_CATEGORY)
)
POOL_INDEX = {
    slug: [i for i, (s, _) in enumerate(POOL) if s == slug] for slug in TOP_LEVEL_SLUGS
}


def pool_image_name(index: int) -> str:
    slug, n = POOL[index]
    return f"articles/demo/{slug}-{n + 1}.jpg"


def _composition(index: int) -> str:
    slug, n = POOL[index]
    return COMPOSITIONS[(TOP_LEVEL_SLUGS.index(slug) + n * 2) % len(COMPOSITIONS)]


def pool_image_alt(index: int) -> str:
    slug, _ = POOL[index]
    return (
        f"Abstract illustration of {_composition(index)} in {PALETTES[slug][0]} tones"
    )


def pool_image_caption(index: int) -> str:
    slug, _ = POOL[index]
    return f"An abstract illustration in {PALETTES[slug][0]} tones."


@functools.cache
def render_pool_image(index: int) -> bytes:
    """A 1200x675 JPEG: a gradient with one of the COMPOSITIONS on top."""
    slug, _ = POOL[index]
    colours = PALETTES[slug][1]
    composition = _composition(index)
    rng = random.Random(f"pool:{index}")
    width, height = IMAGE_SIZE
    mask = (
        Image.linear_gradient("L")
        .rotate(rng.choice((0, 45, 90, 135)))
        .resize(IMAGE_SIZE)
    )
    image = Image.composite(
        Image.new("RGB", IMAGE_SIZE, colours[0]),
        Image.new("RGB", IMAGE_SIZE, colours[1]),
        mask,
    ).convert("RGBA")
    overlay = Image.new("RGBA", IMAGE_SIZE, (0, 0, 0, 0))
    draw = ImageDraw.Draw(overlay)

    def colour(alpha: int) -> tuple[int, int, int, int]:
        return (*rng.choice(colours[2:]), alpha)

    if composition.startswith("overlapping"):
        for _ in range(14):
            r = rng.randint(60, 260)
            x, y = rng.randint(0, width), rng.randint(0, height)
            draw.ellipse(
                (x - r, y - r, x + r, y + r), fill=colour(rng.randint(50, 120))
            )
    elif composition == "diagonal bands":
        step = rng.randint(90, 150)
        for i, x in enumerate(range(-height, width + height, step)):
            if i % 2:
                draw.polygon(
                    [(x, 0), (x + step, 0), (x + step - height, height),
                     (x - height, height)],
                    fill=colour(rng.randint(60, 140)),
                )  # fmt: skip
    elif composition == "concentric rings":
        cx, cy = rng.randint(width // 4, 3 * width // 4), rng.randint(0, height)
        for r in range(900, 40, -55):
            draw.ellipse(
                (cx - r, cy - r, cx + r, cy + r),
                outline=colour(rng.randint(90, 180)),
                width=rng.randint(6, 22),
            )
    elif composition.startswith("layered ridges"):
        for layer in range(5):
            base = int(height * (0.35 + layer * 0.13))
            points = [(0, height)]
            for x in range(0, width + 100, 100):
                points.append((x, base + rng.randint(-70, 40)))
            points.append((width, height))
            draw.polygon(points, fill=colour(110 + layer * 25))
    elif composition == "a scatter of triangles":
        for _ in range(26):
            x, y, s = (
                rng.randint(0, width),
                rng.randint(0, height),
                rng.randint(40, 190),
            )
            draw.polygon(
                [(x, y - s), (x + s, y + s), (x - s, y + s // 2)],
                fill=colour(rng.randint(60, 150)),
            )
    else:  # a grid of tilted squares
        tile = Image.new("RGBA", (120, 120), (0, 0, 0, 0))
        for gx in range(0, width, 110):
            for gy in range(0, height, 110):
                tile_draw = ImageDraw.Draw(tile)
                tile_draw.rectangle((0, 0, 120, 120), fill=(0, 0, 0, 0))
                tile_draw.rectangle(
                    (20, 20, 100, 100), fill=colour(rng.randint(40, 150))
                )
                rotated = tile.rotate(
                    rng.randint(0, 40), resample=Image.Resampling.BICUBIC
                )
                overlay.alpha_composite(rotated, (gx - 5, gy - 5))
    image = Image.alpha_composite(image, overlay).convert("RGB")
    out = io.BytesIO()
    image.save(out, "JPEG", quality=82, optimize=True)
    return out.getvalue()


PORTRAIT_BACKGROUNDS = (
    (214, 226, 236), (236, 222, 210), (222, 234, 218), (232, 220, 236),
    (240, 232, 206), (212, 230, 230), (236, 214, 218), (224, 224, 238),
    (226, 236, 222), (238, 226, 214), (216, 224, 240), (234, 230, 222),
)  # fmt: skip


def _shade(rgb: tuple[int, int, int], factor: float) -> tuple[int, int, int]:
    red, green, blue = (max(0, min(255, int(c * factor))) for c in rgb)
    return red, green, blue


@functools.cache
def render_portrait(display_name: str, index: int) -> bytes:
    """A 400x400 PNG: a head-and-shoulders silhouette on a soft background,
    with the author's initials on the chest."""
    scale = 2
    size = PORTRAIT_SIZE * scale
    background = PORTRAIT_BACKGROUNDS[index % len(PORTRAIT_BACKGROUNDS)]
    figure = _shade(background, 0.55)
    image = Image.new("RGB", (size, size), background)
    draw = ImageDraw.Draw(image)
    glow = _shade(background, 1.06)
    draw.ellipse((-size // 4, -size // 3, size, size * 2 // 3), fill=glow)
    draw.ellipse((100, 500, 700, 1000), fill=figure)  # shoulders
    draw.rounded_rectangle((335, 380, 465, 560), radius=50, fill=figure)  # neck
    draw.ellipse((255, 130, 545, 450), fill=figure)  # head
    initials = "".join(part[0] for part in display_name.split()[:2]).upper()
    font = ImageFont.load_default(size=112)
    light = _shade(background, 1.1)
    draw.text((size // 2, 700), initials, fill=light, font=font, anchor="mm")
    image = image.resize((PORTRAIT_SIZE, PORTRAIT_SIZE), Image.Resampling.LANCZOS)
    out = io.BytesIO()
    image.save(out, "PNG", optimize=True)
    return out.getvalue()
