"""Declaration statuses along the legal process, with the labels reporters and officers see.

The allowed transitions live in bot/workflow.py; this module only names the states.
"""

from __future__ import annotations

DITERIMA = "diterima"  # received by the UPPG (the status at submission)
DIVERIFIKASI = "diverifikasi"
PERLU_DILENGKAPI = "perlu_dilengkapi"
DITERUSKAN_KPK = "diteruskan_kpk"
MILIK_PENERIMA = "milik_penerima"
MILIK_NEGARA = "milik_negara"
TIDAK_DITINDAKLANJUTI = "tidak_ditindaklanjuti"
SELESAI = "selesai"
DICATAT = "dicatat"  # a refusal report, recorded

LABELS: dict[str, str] = {
    DITERIMA: "Diterima UPPG",
    DIVERIFIKASI: "Diverifikasi",
    PERLU_DILENGKAPI: "Perlu dilengkapi",
    DITERUSKAN_KPK: "Diteruskan ke KPK",
    MILIK_PENERIMA: "Keputusan KPK: milik penerima",
    MILIK_NEGARA: "Keputusan KPK: milik negara",
    TIDAK_DITINDAKLANJUTI: "Keputusan KPK: tidak dapat ditindaklanjuti",
    SELESAI: "Selesai",
    DICATAT: "Dicatat",
}


def label(status: str) -> str:
    return LABELS.get(status, status)
