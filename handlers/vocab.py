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

# Everyday words people type instead of pressing a button, by the code they mean. Matched as
# whole words in the typed answer, and only against the codes the current question offers.
TYPED_WORDS: dict[str, str] = {
    # giver relation
    "vendor": "rekanan",
    "kontraktor": "rekanan",
    "penyedia": "rekanan",
    "mitra": "rekanan",
    "pt": "rekanan",
    "cv": "rekanan",
    "bos": "atasan",
    "pimpinan": "atasan",
    "kepala": "atasan",
    "kadis": "atasan",
    "anak buah": "bawahan",
    "staf saya": "bawahan",
    "teman kantor": "rekan_kerja",
    "temen kantor": "rekan_kerja",
    "kolega": "rekan_kerja",
    "rekan": "rekan_kerja",
    "ortu": "keluarga",
    "orang tua": "keluarga",
    "mertua": "keluarga",
    "saudara": "keluarga",
    "sodara": "keluarga",
    "warga": "masyarakat",
    "pemohon": "masyarakat",
    # occasion
    "lebaran": "hari_raya",
    "idul fitri": "hari_raya",
    "idulfitri": "hari_raya",
    "natal": "hari_raya",
    "imlek": "hari_raya",
    "thr": "hari_raya",
    "tahun baru": "hari_raya",
    "nikah": "pernikahan",
    "nikahan": "pernikahan",
    "kawinan": "pernikahan",
    "kondangan": "pernikahan",
    "resepsi": "pernikahan",
    "sunatan": "pernikahan",
    "khitanan": "pernikahan",
    "akikah": "pernikahan",
    "aqiqah": "pernikahan",
    "ultah": "ulang_tahun",
    "duka": "musibah",
    "meninggal": "musibah",
    "melayat": "musibah",
    "bencana": "musibah",
    "sakit": "musibah",
    "kunker": "kunjungan_dinas",
    "dinas": "kunjungan_dinas",
    "makasih": "terima_kasih",
    "terimakasih": "terima_kasih",
    # object type
    "amplop": "uang",
    "duit": "uang",
    "tunai": "uang",
    "cash": "uang",
    "transfer": "uang",
    "makanan": "makanan",
    "makan": "makanan",
    "minuman": "makanan",
    "kue": "makanan",
    "hampers": "makanan",
    "voucher": "voucher_tiket",
    "tiket": "voucher_tiket",
    "hotel": "fasilitas",
    "diskon": "diskon_pinjaman",
    "pinjaman": "diskon_pinjaman",
    # where the object is now
    "simpan": "disimpan_pelapor",
    "saya simpan": "disimpan_pelapor",
    "titip": "dititipkan_uppg",
    "titipkan": "dititipkan_uppg",
    "panti": "bantuan_sosial",
    "dibagikan": "bantuan_sosial",
    "kembalikan": "dikembalikan",
    "balikin": "dikembalikan",
    "dibalikin": "dikembalikan",
}
