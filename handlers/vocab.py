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
    "instansi_lain": "Instansi lain/panitia",
    "lainnya": "Lainnya",
}

OCCASIONS: dict[str, str] = {
    "hari_raya": "Hari raya",
    "pernikahan": "Pernikahan/upacara adat atau agama",
    "musibah": "Musibah/duka",
    "ulang_tahun": "Ulang tahun",
    "pisah_sambut": "Pisah sambut/pensiun/mutasi",
    "kegiatan_resmi": "Kegiatan resmi/narasumber",
    "kunjungan_dinas": "Kunjungan/tugas dinas",
    "terima_kasih": "Ucapan terima kasih",
    # The less common occasions (a second page of buttons in the check): each one is the
    # occasion of an exemption letter of Pasal 2 ayat (3) PerKPK 2/2019.
    "lomba": "Lomba/kejuaraan",
    "penghargaan": "Penghargaan pemerintah",
    "promosi": "Promosi/sosialisasi",
    "undian": "Undian/doorprize/diskon",
    "investasi": "Bunga/dividen/investasi",
    "koperasi": "Koperasi (SHU, manfaat)",
    "profesi": "Profesi di luar dinas",
    "lainnya": "Lainnya",
}
# The occasions that fit on a second page of buttons, after the common ones.
MORE_OCCASIONS = (
    "lomba",
    "penghargaan",
    "promosi",
    "undian",
    "investasi",
    "koperasi",
    "profesi",
    "lainnya",
)

OBJECT_TYPES: dict[str, str] = {
    "uang": "Uang",
    # Vouchers, e-money balance and phone credit count as money ("alat tukar lainnya"); the
    # code keeps its old name, tickets now go with travel under "fasilitas".
    "voucher_tiket": "Voucher/saldo/pulsa",
    "barang": "Barang",
    "makanan": "Makanan/minuman",
    "fasilitas": "Tiket/hotel/perjalanan",
    "diskon_pinjaman": "Diskon/pinjaman",
    "plakat": "Plakat/cenderamata",
    "karangan_bunga": "Karangan bunga",
    "lainnya": "Lainnya",
}

OBJECT_LOCATIONS: dict[str, str] = {
    "disimpan_pelapor": "Disimpan pelapor",
    "dititipkan_uppg": "Dititipkan ke UPPG",
    "bantuan_sosial": "Disalurkan sebagai bantuan sosial",
    "dikembalikan": "Dikembalikan ke pemberi",
}
