"""Codes and Indonesian labels shared by the flows, the database and the dashboard.

Codes are stored; labels are shown. Keep codes stable: the database and old buttons hold them.
"""

from __future__ import annotations

REPORT_TYPES: dict[str, str] = {
    "penerimaan": "Penerimaan (saya menerima)",
    "penolakan": "Penolakan (saya menolak)",
}

GIVER_RELATIONS: dict[str, str] = {
    "rekanan": "Rekanan/vendor",
    "atasan": "Atasan",
    "bawahan": "Bawahan",
    "rekan_kerja": "Rekan kerja",
    "keluarga": "Keluarga",
    "masyarakat": "Masyarakat/pengguna layanan",
    "lainnya": "Lainnya",
}

OCCASIONS: dict[str, str] = {
    "hari_raya": "Hari raya",
    "pernikahan": "Pernikahan/upacara adat atau agama",
    "ulang_tahun": "Ulang tahun",
    "musibah": "Musibah/duka",
    "kunjungan_dinas": "Kunjungan/tugas dinas",
    "terima_kasih": "Ucapan terima kasih",
    "lainnya": "Lainnya",
}

OBJECT_TYPES: dict[str, str] = {
    "uang": "Uang",
    "barang": "Barang",
    "makanan": "Makanan/minuman",
    "voucher_tiket": "Voucher/tiket",
    "fasilitas": "Fasilitas (hotel/perjalanan)",
    "diskon_pinjaman": "Diskon/pinjaman",
    "lainnya": "Lainnya",
}

OBJECT_LOCATIONS: dict[str, str] = {
    "disimpan_pelapor": "Disimpan pelapor",
    "dititipkan_uppg": "Dititipkan ke UPPG",
    "bantuan_sosial": "Disalurkan sebagai bantuan sosial",
    "dikembalikan": "Dikembalikan ke pemberi",
}
