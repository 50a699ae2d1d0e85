"""A phrase bank in Swedish and English: titles, posts and review texts about illness,
medicines and care, put together from sentence templates (no network, no model).

Slots: ``{med}`` a medicine, ``{cond}`` a condition, ``{sym}`` a symptom, ``{n}`` a
small number, ``{who}`` a person in care, ``{time}`` a time of day or span.
"""

from __future__ import annotations

import random
from collections.abc import Sequence
from dataclasses import dataclass

SV_OPENERS = [
    "Hej alla!",
    "Hej!",
    "Tack för att ni finns.",
    "Jag är ny här.",
    "Behöver råd.",
    "Länge sedan jag skrev.",
    "Hoppas det är okej att jag frågar.",
]
EN_OPENERS = [
    "Hi everyone!",
    "Hello all.",
    "Thanks for being here.",
    "New here.",
    "I need some advice.",
    "Long time since I posted.",
    "Hope it's fine to ask.",
]
SV_SENTENCES = [
    "Jag har haft {cond} i {n} år och det går upp och ner.",
    "Sedan jag började med {med} har jag fått mer {sym}.",
    "Läkaren på vårdcentralen ville höja dosen av {med} till {n} mg.",
    "Har någon annan fått {sym} av {med}?",
    "Det tog ungefär {n} veckor innan jag märkte någon skillnad.",
    "Min {who} följde med till mottagningen och det hjälpte mycket.",
    "Jag är så trött på att ingen tar {sym} på allvar.",
    "Sjuksköterskan gav mig bra tips om kosten.",
    "{sym} är värst på {time} och då orkar jag inte jobba.",
    "Jag fick vänta {n} timmar på akuten innan någon såg mig.",
    "Prova att skriva dagbok över {sym}, det hjälpte mig att se ett mönster.",
    "Jag tar {med} på {time} och det fungerar bättre nu.",
    "Biverkningarna gick över efter några veckor.",
    "Jag har ångest inför nästa besök hos läkaren.",
    "Min {who} har också {cond}, så vi stöttar varandra.",
    "Det känns skönt att läsa att jag inte är ensam.",
    "Fråga gärna apoteket om du är osäker på dosen.",
    "Proverna visade att värdena var bättre än förra gången.",
    "Jag slutade med {med} eftersom {sym} blev för jobbigt.",
    "Kram till dig, det låter tufft.",
    "Har du pratat med din läkare om att byta medicin?",
    "Träning i lagom takt har hjälpt mig mer än jag trodde.",
    "Jag sover dåligt och vaknar flera gånger varje natt.",
    "Remissen till specialistmottagningen tog {n} månader.",
    "Vilken tur att du fick hjälp till slut!",
    "Jag känner igen mig i allt du skriver.",
]
EN_SENTENCES = [
    "I have had {cond} for {n} years and it comes and goes.",
    "Since I started {med} I get more {sym}.",
    "My doctor wants to raise the dose of {med} to {n} mg.",
    "Has anyone else had {sym} on {med}?",
    "It took about {n} weeks before I noticed any difference.",
    "My {who} came with me to the appointment and that helped a lot.",
    "I am so tired of nobody taking {sym} seriously.",
    "The nurse gave me good advice about my diet.",
    "The {sym} is worst in the {time} and then I cannot work.",
    "I waited {n} hours in the emergency room before anyone saw me.",
    "Try keeping a diary of your {sym}, it helped me see a pattern.",
    "I take {med} in the {time} and it works better now.",
    "The side effects went away after a few weeks.",
    "I feel anxious before my next visit to the doctor.",
    "My {who} has {cond} too, so we support each other.",
    "It is good to read that I am not alone.",
    "Ask the pharmacist if you are unsure about the dose.",
    "My blood tests were better than last time.",
    "I stopped {med} because the {sym} got too hard.",
    "Sending you a hug, that sounds tough.",
    "Have you talked to your doctor about switching medicine?",
    "Gentle exercise has helped me more than I expected.",
    "I sleep badly and wake up several times every night.",
    "The referral to the specialist clinic took {n} months.",
    "So glad you finally got help!",
    "I recognise myself in everything you write.",
]
SV_TITLES = [
    "Någon som tagit {med}?",
    "Biverkningar av {med}",
    "Ny diagnos: {cond}",
    "Tips mot {sym}?",
    "Hur orkar ni jobba med {cond}?",
    "Byta från {med}?",
    "Väntetider till specialist",
    "Att leva med {cond}",
    "Frågor inför läkarbesöket",
    "{sym} på {time}",
    "Anhörig till någon med {cond}",
    "Dosen av {med}",
]
EN_TITLES = [
    "Anyone taken {med}?",
    "Side effects of {med}",
    "Newly diagnosed: {cond}",
    "Tips for {sym}?",
    "Working with {cond}",
    "Switching from {med}?",
    "Waiting times for specialists",
    "Living with {cond}",
    "Questions before my appointment",
    "{sym} in the {time}",
    "Caring for someone with {cond}",
    "The dose of {med}",
]
SV_SYMPTOMS = [
    "huvudvärk",
    "illamående",
    "yrsel",
    "trötthet",
    "smärta",
    "sömnproblem",
    "ont i magen",
    "hjärtklappning",
    "klåda",
    "muntorrhet",
    "ledvärk",
    "oro",
]
EN_SYMPTOMS = [
    "headache",
    "nausea",
    "dizziness",
    "fatigue",
    "pain",
    "insomnia",
    "stomach ache",
    "palpitations",
    "itching",
    "dry mouth",
    "joint pain",
    "worry",
]
SV_WHO = ["man", "fru", "mamma", "pappa", "dotter", "son", "sambo", "syster"]
EN_WHO = ["husband", "wife", "mother", "father", "daughter", "son", "partner", "sister"]
SV_TIME = ["morgonen", "kvällen", "natten", "helgerna"]
EN_TIME = ["morning", "evening", "night", "weekends"]
SV_REVIEW = [
    "Hjälpte mig mycket mot {sym}.",
    "Fungerade inte alls för mig.",
    "Bra bemötande och tydlig information.",
    "Lång väntetid men kunnig personal.",
    "Fick {sym} de första veckorna, sedan blev det bättre.",
    "Rekommenderar varmt.",
    "Kändes som att ingen lyssnade.",
    "Enkel att ta, en tablett på {time}.",
]
EN_REVIEW = [
    "Helped me a lot with {sym}.",
    "Did not work for me at all.",
    "Kind staff and clear information.",
    "Long wait but knowledgeable staff.",
    "Had {sym} the first weeks, then it got better.",
    "Highly recommend.",
    "Felt like nobody listened.",
    "Easy to take, one tablet in the {time}.",
]
# Held posts carry what the pipeline holds them for (core.textchecks.personal_data).
SV_PHONE = "Ring mig gärna på 070-123 45 67 så pratar vi mer."
EN_PHONE = "Call me on 070-123 45 67 and we can talk more."


@dataclass(frozen=True)
class Bank:
    openers: Sequence[str]
    sentences: Sequence[str]
    titles: Sequence[str]
    symptoms: Sequence[str]
    who: Sequence[str]
    time: Sequence[str]
    review: Sequence[str]
    phone: str


BANKS = {
    "sv": Bank(SV_OPENERS, SV_SENTENCES, SV_TITLES, SV_SYMPTOMS, SV_WHO, SV_TIME, SV_REVIEW,
               SV_PHONE),
    "en": Bank(EN_OPENERS, EN_SENTENCES, EN_TITLES, EN_SYMPTOMS, EN_WHO, EN_TIME, EN_REVIEW,
               EN_PHONE),
}  # fmt: skip


class Writer:
    """Writes texts in one language from the bank. ``medicines`` are names in Zipf
    order (the first ones are written about often, the tail rarely); ``conditions``
    are names in that language."""

    def __init__(
        self, rng: random.Random, medicines: Sequence[str], conditions: Sequence[str]
    ) -> None:
        self.rng = rng
        self.medicines = list(medicines)
        self.conditions = list(conditions) or ["diabetes"]
        total = 0.0
        self._med_weights = []
        for rank in range(len(self.medicines)):
            total += 1.0 / (rank + 1) ** 1.05
            self._med_weights.append(total)

    def medicine(self) -> str:
        return self.rng.choices(self.medicines, cum_weights=self._med_weights)[0]

    def _fill(self, template: str, bank: Bank) -> str:
        rng = self.rng
        if "{" not in template:
            return template
        return template.format(
            med=self.medicine() if "{med}" in template else "",
            cond=rng.choice(self.conditions) if "{cond}" in template else "",
            sym=rng.choice(bank.symptoms),
            n=rng.randint(2, 12),
            who=rng.choice(bank.who),
            time=rng.choice(bank.time),
        )

    def title(self, language: str) -> str:
        bank = BANKS[language]
        text = self._fill(self.rng.choice(bank.titles), bank)
        return text[:1].upper() + text[1:]

    def post(self, language: str, *, opening: bool = False, held: bool = False) -> str:
        """One to three paragraphs of one to four sentences each."""
        rng, bank = self.rng, BANKS[language]
        paragraphs = []
        for p in range(1 + (rng.random() < 0.45) + (rng.random() < 0.15)):
            count = rng.randint(1, 4)
            sentences = [self._fill(rng.choice(bank.sentences), bank) for _ in range(count)]
            if p == 0 and opening:
                sentences.insert(0, rng.choice(bank.openers))
            paragraphs.append(" ".join(s[:1].upper() + s[1:] for s in sentences))
        if held:
            paragraphs.append(bank.phone)
        return "\n\n".join(paragraphs)

    def review(self, language: str) -> str:
        rng, bank = self.rng, BANKS[language]
        parts = [self._fill(rng.choice(bank.review), bank) for _ in range(rng.randint(1, 3))]
        return " ".join(parts)
