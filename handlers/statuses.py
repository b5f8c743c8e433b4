"""Declaration statuses along the legal process, with the labels reporters and officers see.

The allowed transitions live in bot/backoffice/workflow.py; this module only names the states.
"""

from __future__ import annotations

DITERIMA = "diterima"  # received by the UPPG (the status at submission)
DIVERIFIKASI = "diverifikasi"
PERLU_DILENGKAPI = "perlu_dilengkapi"
DITERUSKAN_KPK = "diteruskan_kpk"
# KPK's four outcomes (reference 2.6 and 6b).
MILIK_PENERIMA = "milik_penerima"
MILIK_NEGARA = "milik_negara"
MILIK_NEGARA_KOMPENSASI = "milik_negara_kompensasi"  # state property, may be paid for
TIDAK_DITINDAKLANJUTI = "tidak_ditindaklanjuti"
SELESAI = "selesai"
DICATAT = "dicatat"  # a refusal report, recorded
# Closed by the UPPG without going to KPK one by one.
DISALURKAN = "disalurkan"  # perishable food given as social aid; in the recap to KPK
DIKEMBALIKAN = "dikembalikan"  # returned to the giver
TIDAK_DILENGKAPI = "tidak_dilengkapi"  # not completed within the completion deadline
DUPLIKAT = "duplikat"
DITARIK = "ditarik"  # withdrawn at the reporter's request

LABELS: dict[str, str] = {
    DITERIMA: "Diterima UPPG",
    DIVERIFIKASI: "Diverifikasi",
    PERLU_DILENGKAPI: "Perlu dilengkapi",
    DITERUSKAN_KPK: "Diteruskan ke KPK",
    MILIK_PENERIMA: "Keputusan KPK: milik penerima",
    MILIK_NEGARA: "Keputusan KPK: milik negara",
    MILIK_NEGARA_KOMPENSASI: "Keputusan KPK: milik negara, dapat diganti uang",
    TIDAK_DITINDAKLANJUTI: "Keputusan KPK: tidak dapat ditindaklanjuti",
    SELESAI: "Selesai",
    DICATAT: "Dicatat",
    DISALURKAN: "Disalurkan sebagai bantuan sosial",
    DIKEMBALIKAN: "Dikembalikan ke pemberi",
    TIDAK_DILENGKAPI: "Ditutup: tidak dapat ditindaklanjuti (tidak dilengkapi)",
    DUPLIKAT: "Ditutup: laporan ganda",
    DITARIK: "Ditutup: ditarik pelapor",
}

# KPK's decisions, each recorded with its SK.
DECISIONS = (MILIK_PENERIMA, MILIK_NEGARA, MILIK_NEGARA_KOMPENSASI, TIDAK_DITINDAKLANJUTI)
# Decisions that make the object state property: closing needs the hand-over or payment proof.
STATE_PROPERTY = (MILIK_NEGARA, MILIK_NEGARA_KOMPENSASI)
# Statuses with no further step: the record is closed (and counts for retention).
CLOSED = (SELESAI, DICATAT, DISALURKAN, DIKEMBALIKAN, TIDAK_DILENGKAPI, DUPLIKAT, DITARIK)


def label(status: str) -> str:
    return LABELS.get(status, status)
