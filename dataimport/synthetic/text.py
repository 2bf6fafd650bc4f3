"""Swedish-looking text for synthetic data, built from word lists.

The sentences are made of real Swedish words from the audit domain, so that
full-text search (the "swedish" configuration) has real stems to find:
"internkontroll", "upphandling", "försörjningsstöd" and so on.
"""

import random

# Areas an audit can be about; each is a noun phrase that reads after "granskning av".
AUDIT_TOPICS = [
    "arbetsmarknadsinsatser",
    "den interna kontrollen",
    "upphandling och avtalstrohet",
    "ekonomisk styrning och uppföljning",
    "försörjningsstöd",
    "hemtjänstens kvalitet",
    "skolans likvärdighet",
    "elevhälsans arbete",
    "placeringar av barn och unga",
    "extratjänster",
    "kompetensförsörjning",
    "informationssäkerhet",
    "fastighetsunderhåll",
    "investeringsprocessen",
    "bisysslor och jäv",
    "hantering av synpunkter och klagomål",
    "det systematiska arbetsmiljöarbetet",
    "samverkan med Arbetsförmedlingen",
    "målstyrning",
    "lokalförsörjning",
    "bygglovshandläggning",
    "tillsyn av livsmedel",
    "föreningsbidrag",
    "vuxenutbildningen",
    "digitalisering av ärendehanteringen",
    "krisberedskap",
    "mottagandet av nyanlända",
    "personalkontinuiteten i äldreomsorgen",
    "budgetföljsamhet",
    "dokumenthantering och arkivering",
]

VERBS = [
    "säkerställa",
    "utveckla",
    "förtydliga",
    "dokumentera",
    "följa upp",
    "analysera",
    "se över",
    "stärka",
    "införa",
    "tydliggöra",
    "systematisera",
    "utvärdera",
]

OBJECTS = [
    "rutinerna för internkontroll",
    "uppföljningen av insatsernas resultat",
    "riskanalysen",
    "styrningen av verksamheten",
    "ansvarsfördelningen mellan förvaltningarna",
    "rapporteringen till nämnden",
    "avtalsuppföljningen",
    "dokumentationen av beslut",
    "samverkan med externa aktörer",
    "handläggningen av ärenden",
    "kompetensutvecklingen för medarbetarna",
    "målen för verksamheten",
    "underlaget för budgetarbetet",
    "kvalitetsledningssystemet",
    "statistiken över deltagarna",
    "anvisningarna till insatserna",
    "delegationsordningen",
    "uppföljningen av avvikelser",
]

PURPOSES = [
    "så att nämnden kan bedöma om insatserna är ändamålsenliga",
    "för att minska risken för felaktiga utbetalningar",
    "i syfte att uppnå en budget i balans",
    "så att resultaten blir jämförbara över tid",
    "för att stärka den interna kontrollen",
    "så att invånarna får en likvärdig service",
    "för att tydliggöra vem som ansvarar för vad",
    "i enlighet med kommunallagens krav",
]

MEASURE_TITLES = [
    "Ta fram en rutin för",
    "Genomföra en utbildning om",
    "Revidera riktlinjen för",
    "Införa kvartalsvis uppföljning av",
    "Upprätta en handlingsplan för",
    "Inrätta en arbetsgrupp för",
    "Göra en kartläggning av",
    "Utveckla ett digitalt stöd för",
]

MEASURE_SUBJECTS = [
    "internkontroll",
    "avtalsuppföljning",
    "ekonomiskt bistånd",
    "dokumentation i verksamhetssystemet",
    "riskbedömning",
    "uppföljning av deltagare",
    "samverkan med skolan",
    "rapportering till nämnden",
    "hantering av avvikelser",
    "introduktion av nyanställda",
    "lokalplanering",
    "statistikuttag",
]

RESPONSIBLES = [
    "Avdelningschef",
    "Ekonomichef",
    "Kvalitetsstrateg",
    "Enhetschef",
    "Förvaltningsdirektör",
    "Controller",
    "Verksamhetsutvecklare",
    "HR-strateg",
]

PROGRESS_SENTENCES = [
    "Nämnden har under perioden genomfört dialogmöten med berörda avdelningar.",
    "Förvaltningen har tagit fram en ny rutin som har beslutats av ledningsgruppen.",
    "Arbetet har försenats på grund av omorganisation men pågår enligt plan.",
    "En utbildning för samtliga chefer har genomförts under hösten.",
    "Uppföljningen visar att andelen deltagare som går vidare till arbete eller studier har ökat.",
    "Riktlinjen har reviderats och kommunicerats till medarbetarna.",
    "Nämnden bedömer att åtgärden har gett avsedd effekt.",
    "Resultatet redovisas i nämndens internkontrollplan för nästa år.",
    "Samverkan med Arbetsförmedlingen sker inom ramen för den lokala överenskommelsen.",
    "Förvaltningen avser att återkomma med en fördjupad analys i nästa uppföljning.",
    "Ett nytt verksamhetssystem har upphandlats och införs stegvis.",
    "Avtalsuppföljningen har stärkts genom en central funktion.",
]

EFFECTS = [
    "Handläggningstiderna har minskat.",
    "Avvikelserna har halverats jämfört med föregående år.",
    "Nämnden får nu kvartalsvisa rapporter om resultaten.",
    "Kostnaderna för ekonomiskt bistånd har minskat.",
    "Medarbetarna upplever tydligare ansvarsfördelning.",
]

FIRST_NAMES = [
    "Anna",
    "Erik",
    "Maria",
    "Lars",
    "Karin",
    "Johan",
    "Eva",
    "Anders",
    "Sara",
    "Per",
    "Lena",
    "Mikael",
    "Sofia",
    "Fredrik",
    "Rose-Marie",
    "Britt-Marie",
    "Ahmed",
    "Fatima",
    "Nils",
    "Ingrid",
]

LAST_NAMES = [
    "Andersson",
    "Johansson",
    "Karlsson",
    "Nilsson",
    "Eriksson",
    "Larsson",
    "Olsson",
    "Persson",
    "Svensson",
    "Gustafsson",
    "Pettersson",
    "Carlsson",
    "Lindberg",
    "Holm",
    "Berg",
    "Hassan",
]

# Parts of invented place names: "Bergvik", "Sjöby", "Ekköping"... Clearly not a real list
# of municipalities, and enough combinations (24 × 18) for all 290.
PLACE_STARTS = [
    "Berg",
    "Sjö",
    "Ek",
    "Lind",
    "Al",
    "Björk",
    "Gran",
    "Ny",
    "Öster",
    "Väster",
    "Norr",
    "Söder",
    "Hav",
    "Sten",
    "Ås",
    "Dal",
    "Holm",
    "Fors",
    "Mark",
    "Lund",
    "Hed",
    "Bro",
    "Å",
    "Strand",
]
PLACE_ENDS = [
    "vik",
    "by",
    "köping",
    "hamn",
    "ås",
    "torp",
    "sund",
    "näs",
    "berga",
    "mo",
    "fors",
    "holm",
    "dal",
    "lunda",
    "ryd",
    "hult",
    "stad",
    "inge",
]

# (name, short code, kind) of the boards every synthetic municipality has.
BOARDS = [
    ("Kommunstyrelsen", "KS", "executive_board"),
    ("Revisionen", "REV", "auditors"),
    ("Kommunledningskontoret", "KLK", "office"),
    ("Arbetsmarknads- och socialnämnden", "ASN", "board"),
    ("Barn- och utbildningsnämnden", "BUN", "board"),
    ("Gymnasie- och vuxenutbildningsnämnden", "GVN", "board"),
    ("Vård- och omsorgsnämnden", "VON", "board"),
    ("Tekniska nämnden", "TN", "board"),
    ("Kultur- och fritidsnämnden", "KFN", "board"),
    ("Miljö- och byggnadsnämnden", "MBN", "board"),
    ("Servicenämnden", "SEN", "board"),
]


def place_names() -> list[str]:
    """Every invented place name, in a fixed order."""
    return [start + end for start in PLACE_STARTS for end in PLACE_ENDS]


def recommendation_text(rng: random.Random) -> str:
    verb = rng.choice(VERBS)
    sentence = f"Nämnden bör {verb} {rng.choice(OBJECTS)} {rng.choice(PURPOSES)}."
    if rng.random() < 0.4:
        sentence += f" Revisionen rekommenderar även att {rng.choice(OBJECTS)} dokumenteras."
    return sentence


def narrative(rng: random.Random, sentences: int) -> str:
    return " ".join(rng.sample(PROGRESS_SENTENCES, sentences))


def measure_title(rng: random.Random) -> str:
    return f"{rng.choice(MEASURE_TITLES)} {rng.choice(MEASURE_SUBJECTS)}"


def person(rng: random.Random) -> str:
    return f"{rng.choice(FIRST_NAMES)} {rng.choice(LAST_NAMES)}"
