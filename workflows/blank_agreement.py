"""The structure a new agreement starts from when nothing else is chosen: the
sections a samverkansöverenskommelse usually has, each with a short guidance in the
spirit of Brå's and the Police's handbooks. The drafters replace the guidance."""

from __future__ import annotations

from typing import Any

SECTIONS = (
    (
        "Syfte och mål",
        "Beskriv vad kommunen och Polisen vill uppnå tillsammans: minskad brottslighet "
        "och ökad trygghet, och vilka långsiktiga mål samverkan ska bidra till.",
    ),
    (
        "Lägesbild",
        "Sammanfatta den gemensamma lägesbilden: statistik, trygghetsundersökningar och "
        "det medarbetarna ser. Lägesbilden är grunden för de områden som väljs nedan.",
    ),
    (
        "Samverkansområden",
        "Välj några få områden ur lägesbilden. Skriv för varje område en rubrik (### "
        "Rubrik), vad som ska göras, ett effektmål (Effektmål: …) och vem som ansvarar "
        "(Ansvarig: …).",
    ),
    (
        "Organisation och ansvar",
        "Beskriv hur samverkan leds och genomförs: styrgrupp, arbetsgrupp, lokalt "
        "brottsförebyggande råd och vilka funktioner hos parterna som ansvarar.",
    ),
    (
        "Uppföljning",
        "Beskriv hur och när överenskommelsen följs upp, till exempel varje tertial i "
        "arbetsgruppen och en gång om året i styrgruppen.",
    ),
    (
        "Giltighetstid",
        "Ange perioden och hur överenskommelsen revideras, förnyas och kan sägas upp.",
    ),
)


def blank_content() -> dict[str, Any]:
    return {"sections": [{"heading": heading, "text": text} for heading, text in SECTIONS]}
