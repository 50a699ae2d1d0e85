"""Small word lists and facts the detector's rules use, beside the data files.

The data files in ``safety/data/`` hold the lexicons (reactions, cue phrases, medicine
variants). What lives here is grammar (pronouns, intensifiers, question openers,
causal words), a short list of everyday causes people blame instead of a medicine,
and, in ``indications.py``, which reaction concepts each medicine is taken *for*.
Words are written as people write them; the
lexicon folds them (å/ä → a, ö → o, lower case) like the posts.

``EXTRA_CUES`` are cue phrases missing from the cue files (inflections of listed cues
and a few common wordings); they belong in those files in the end.
"""

from __future__ import annotations

from .text import normalise


def _words(text: str) -> frozenset[str]:
    """The words of ``text`` folded as posts are (lower case, å/ä → a, ö → o)."""
    return frozenset(normalise(text).split())


# Tokens allowed inside a reaction phrase: "mår så illa", "kunde jag inte sova",
# "felt really sick" (safety/data/README.md, "Swedish word order").
PHRASE_SKIP = _words(
    "jag man du han hon vi ni de dom i you he she we they "
    "så jätte sjukt skit väldigt otroligt riktigt helt extremt fruktansvärt hemskt "
    "mega super typ asså lite ganska verkligen mycket ju "
    "so really very extremely totally pretty quite constantly badly terribly awfully "
    "kinda just"
)
# Also inside a phrase: approximations before a number ("gained ABOUT 9 kg") and
# auxiliaries ("my heart IS racing", "hair HAS BEEN falling out").
PHRASE_SKIP = PHRASE_SKIP | _words(
    "ungefär runt nästan drygt över cirka ca about around almost nearly over like "
    "is was are were has have had been keeps kept är var har hade"
)
# Numbers written as words count as numbers in a phrase ("gick upp nio kilo").
NUMBER_WORDS = _words(
    "två tre fyra fem sex sju åtta nio tio elva tolv tretton fjorton femton tjugo "
    "trettio några flera massa two three four five six seven eight nine ten eleven "
    "twelve fifteen twenty thirty several few couple"
)
# Intensifiers written together with the word: "jätteyr", "skittrött", "superdizzy".
GLUED_INTENSIFIERS = ("jatte", "skit", "super", "mega")
WEIGHT_UNITS = _words("kg kilo kilos kilogram lbs lb pounds pund stone")

# Words that may stand between a cue and what it governs without breaking the link:
# "mot MIN huvudvärk", "for THE itching", "ingen SOM HELST trötthet".
FILLERS = _words(
    "min mitt mina din ditt dina sin sitt sina hans hennes deras vår vårt våra "
    "den det de en ett denna detta dessa någon något några nån nåt alls all "
    "the a an my his her their our your this that these those some any "
    "lite mycket så sån sånt sådan sådana such really so very"
)
SUBJECT_PRONOUNS = _words(
    "man du ni jag det den de dom han hon vi denna detta dessa "
    "you i it this that these they he she we there anyone anybody"
)
# A clause opening with one of these and ending in "?" asks rather than tells.
QUESTION_WORDS = _words("hur vad vilken vilket vilka varför how what which why who")
# ... and so does one opening with one of these followed by a pronoun, a medicine or
# the reaction ("kan man få…?", "does wegovy cause…?", "is hair loss common…?"). A
# Swedish post often drops the subject ("är så trött", "har fått utslag?"): then the
# verb is followed by neither, and it is a report.
QUESTION_VERBS = _words(
    "kan kunde är var blir blev brukar får fick ger gav gör har hade ska skulle måste bör "
    "borde tar finns stämmer påverkar orsakar leder "
    "can could does do did is are was were will would should has have had may might "
    "must"
)
# Words a clause may start with before its real opening ("men kan man…?").
CLAUSE_LEAD = _words("men och så asså btw ok okej hej hejsan but and so also ok hi")

# Words that tie a reaction to a medicine near it: "utslag AV lamotrigin", "dizzy ON
# escitalopram", "Cipralex GÖR att jag mår illa", "lyrica MADE me put on weight".
CAUSAL_LINKS = _words(
    "av från efter pga på med sen sedan ger gav gett gjort gör gjorde orsakar orsakade "
    "orsakat fått fick = "
    "from after on with since by gives gave given makes made causes caused has had "
    "left kills killed got"
)
# Verbs whose subject is the cause of what follows: "influensan GAV mig feber",
# "asthma MAKES me wheezy", "RA MEANS joint pain".
CAUSAL_VERBS = _words(
    "ger gav gett gör gjorde gjort orsakar orsakade betyder innebär leder "
    "gives give gave makes make made causes cause caused means meant leads"
)
# Words before a cause: "feber pga förkylning", "diarré efter thaimaten", "fever from a
# cold", "poor sleep because the neighbours had a party".
# Words a cue phrase may hold where a medicine stands: "kan DET ge" reads also as "kan
# Sertralin ge"; after one of the modals a medicine may stand inside any cue.
STANDINS = _words("det den de dem it this they them")
MODALS = _words("kan can could may might will does do brukar får ger sägs lär ska is")
# After these a negation belongs to another clause: "yr SÅ ATT jag inte vågar köra",
# "näsblod SOM inte slutar", "headache THAT won't quit".
SUBORDINATORS = _words("som att och så när för eftersom that which and so when because")
# Before "May" the month, not the verb: "in May I got gallstones".
BEFORE_MONTH = _words("in since from until by last next early late mid of")
CAUSE_PREPOSITIONS = _words("av efter pga från för eftersom from after because due since")
# Everyday causes a writer blames instead of a medicine. Swedish compounds end in the
# head word ("thaimaten", "nattpasset", "bilresan"), so Swedish ones also match at the
# end of a word.
EVERYDAY_CAUSES_SV = _words(
    """förkylning influensa magsjuka virus infektion halsfluss gym gymmet träning
    träningspass pass löpning alkohol vin öl fylla bakfylla mat måltid middag frukost kaffe koffein
    fest konsert resa flyg flygplan jobb arbete skift stress sömnbrist värme hetta kyla
    sol pollen graviditet förlossning mens ägglossning klimakteriet olycka handskar
    trädgård flytt sömn ätit"""
)
EVERYDAY_CAUSES_EN = _words(
    """cold flu virus infection strep bug gym workout exercise training running hike
    alcohol wine beer drinking drinks hangover food meal dinner lunch breakfast coffee
    coffees caffeine party concert trip flight ride drive travel shift work job stress
    heat sun pollen pregnancy birth period menopause accident gloves gardening move
    lifting rollercoaster sleep eating ate eaten"""
)
# Condition abbreviations that are also everyday words.
NOT_CAUSES = _words("add all as at am")
# Words after which a resolution ("försvann", "went away") is a dechallenge, pointing
# at the medicine, rather than the medicine's effect.
STOP_WORDS = _words(
    "slutade sluta slutat avbröt satte ut trappade trappat bytte byta uppehåll "
    "stopped stop quit tapered tapering weaned discontinued switched"
)
# Words that make a medicine's own indication a reaction: "MORE anxiety on fluoxetine
# not less", "depressionen blev VÄRRE".
WORSENING = _words(
    "mer mera värre sämre ökad ökade ökat förvärrad förvärrades förvärrats "
    "more worse worsened worsening increased"
)
# Concepts that are not a reaction by themselves (README: hospitalisation is a
# seriousness criterion). Overdose, intolerance and unspecified side effects stay:
# each is worth a look, and the last two ask for a follow-up.
NOT_REACTIONS = frozenset({"hospitalisation"})
UNSPECIFIED = frozenset({"adverse_reaction_unspecified", "drug_intolerance"})
# Concepts named by a place ("vid injektionsstället", "at the injection site"): a short
# preposition before them is not an indication cue.
PLACES = frozenset({"injection_site_reaction"})

# Cue phrases missing from the cue files: (family, language, cue, kind, scope).
# ``not_started``, ``pre_existing`` and ``exoneration`` are the detector's own
# families: the writer has not started the medicine; the reaction was there before
# it; the writer clears the medicine ("inte atorvastatinet den här gången").
EXTRA_CUES: tuple[tuple[str, str, str, str, str], ...] = (
    ("indication", "sv", "hjälpt mot", "indication", "before"),
    ("indication", "sv", "tagit bort", "indication", "before"),
    ("indication", "sv", "hjälper", "indication", "before"),
    ("indication", "sv", "hjälpte", "indication", "before"),
    ("indication", "sv", "tagit udden av", "indication", "before"),
    ("indication", "en", "helps", "indication", "before"),
    ("indication", "en", "helped", "indication", "before"),
    ("indication", "en", "cleared up", "indication", "before"),
    ("indication", "en", "clears up", "indication", "before"),
    ("indication", "en", "stopped the", "indication", "before"),
    ("indication", "en", "keeps away", "indication", "after"),
    ("hypothetical", "sv", "rädd för", "hypothetical", "before"),
    ("hypothetical", "sv", "oroade mig för", "hypothetical", "before"),
    ("hypothetical", "sv", "trodde jag skulle", "hypothetical", "before"),
    ("hypothetical", "sv", "kan ge", "hypothetical", "before"),
    ("hypothetical", "en", "can cause", "hypothetical", "before"),
    ("hypothetical", "en", "can give", "hypothetical", "before"),
    ("hypothetical", "en", "afraid of", "hypothetical", "before"),
    ("hypothetical", "en", "scared of", "hypothetical", "before"),
    ("hypothetical", "en", "warning about", "hypothetical", "before"),
    ("hypothetical", "en", "chances of", "hypothetical", "before"),
    ("hypothetical", "en", "thought i would", "hypothetical", "before"),
    ("negation", "en", "none of", "negation", "before"),
    # Hearsay: what others say a medicine does ("sägs att champix ger mardrömmar").
    ("hypothetical", "sv", "sägs att", "hypothetical", "before"),
    ("hypothetical", "sv", "läste att", "hypothetical", "before"),
    ("hypothetical", "sv", "har läst att", "hypothetical", "before"),
    ("hypothetical", "sv", "har hört att", "hypothetical", "before"),
    ("hypothetical", "sv", "hörde att", "hypothetical", "before"),
    ("hypothetical", "en", "i heard", "hypothetical", "before"),
    ("hypothetical", "en", "i've heard", "hypothetical", "before"),
    ("hypothetical", "en", "i read that", "hypothetical", "before"),
    ("hypothetical", "en", "people say", "hypothetical", "before"),
    ("not_started", "sv", "innan jag börjar", "not_started", "before"),
    ("not_started", "sv", "ska börja", "not_started", "before"),
    ("not_started", "sv", "funderar på att börja", "not_started", "before"),
    ("not_started", "sv", "har inte börjat", "not_started", "before"),
    ("not_started", "sv", "börjar imorgon", "not_started", "before"),
    ("not_started", "en", "before i start", "not_started", "before"),
    ("not_started", "en", "thinking of starting", "not_started", "before"),
    ("not_started", "en", "about to start", "not_started", "before"),
    ("not_started", "en", "haven't started", "not_started", "before"),
    ("not_started", "en", "starting next", "not_started", "before"),
    ("not_started", "en", "starting tomorrow", "not_started", "before"),
    ("not_started", "en", "starting monday", "not_started", "before"),
    ("pre_existing", "sv", "likadant innan", "pre_existing", "after"),
    ("pre_existing", "sv", "samma innan", "pre_existing", "after"),
    ("pre_existing", "sv", "redan innan", "pre_existing", "after"),
    ("pre_existing", "en", "the same before", "pre_existing", "after"),
    ("pre_existing", "en", "even before", "pre_existing", "after"),
    ("pre_existing", "en", "had it before", "pre_existing", "after"),
    ("exoneration", "sv", "inget med", "exoneration", "before"),
    ("exoneration", "sv", "inte pga", "exoneration", "before"),
    ("exoneration", "sv", "inte på grund av", "exoneration", "before"),
    ("exoneration", "en", "nothing to do with", "exoneration", "before"),
    ("exoneration", "en", "not because of", "exoneration", "before"),
    ("exoneration", "en", "not due to", "exoneration", "before"),
)
