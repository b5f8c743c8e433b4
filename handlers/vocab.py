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

# A gift that no longer exists (food eaten, a voucher used): no compensation question then.
OBJECT_LOCATIONS["habis"] = "Sudah terpakai/habis"

# --- what people type for each option ---------------------------------------------------------
# By field, then by code: words and phrases matched as whole words, the longest first, so
# "orang tua murid" (masyarakat) wins over "orang tua" (keluarga). The code "" marks words
# that mean nothing for the field but must not be read as something else ("terima kasih" is no
# "terima" for the report type). Shared by the declaration and "Cek wajib lapor".

WordTable = dict[str, tuple[str, ...]]


def _words(text: str) -> tuple[str, ...]:
    """The phrases of a comma-separated list, as typed (one place to read a table from)."""
    return tuple(word.strip() for word in text.split(",") if word.strip())


REPORT_TYPE_WORDS: WordTable = {
    "penerimaan": _words(
        "terima, menerima, diterima, nerima, trima, dapat, dapet, dpt, dpat, mendapat,"
        "dapat kiriman, dkasih, dksh, dapet kiriman, kebagian,"
        # Javanese and Sundanese: "diparingi", "diwenehi", "dibere", "dipasihan".
        "diparingi, dipun paringi, diwenehi, diwenehke, dikei, entuk, dibere, dipasihan,"
        "dipasihkeun, kenging, nampi, nampa,"
        "mendapatkan, dikasih, dikasi, dikasi, dikirimi, dikirim, diberi,"
        "diberikan, memberi, memberikan, kasih, ngasih, ngasi, nitip,"
        "menitipkan, dititipi, sudah terima, udah terima, saya terima,"
        "saya menerima, penerimaan, nganter, nganterin, antar, mengantar, mengantarkan,"
        "diantar, diantarkan, diantarin, kirim, ngirim, mengirim, mengirimkan, dikirimin,"
        "dibawakan, dibawain, membawakan, titip, menitip, dititipkan ke saya"
    ),
    "penolakan": _words(
        "tolak, menolak, ditolak, nolak, saya tolak, sudah saya tolak,"
        "tidak saya terima, tdk saya terima, gak saya terima, ga saya terima,"
        "tidak diterima, saya kembalikan saat itu, langsung saya kembalikan, ditampik,"
        # Handed back on the spot is a refusal ("sy kembalikan saat itu jg").
        "sy kembalikan saat itu, saya kembalikan saat itu juga, sy kembalikan saat itu juga,"
        "sy kembalikan saat itu jg, langsung sy kembalikan, lgsg sy kembalikan,"
        "lgsg saya kembalikan, langsung sy balikin, lgsg sy balikin, saat itu juga sy kembalikan,"
        "saat itu juga saya kembalikan, di tempat sy kembalikan,"
        "tak tolak, kula tolak, mboten kula tampi, ora tak tampa, teu ditampi,"
        "tidak saya ambil, gak saya ambil, penolakan, menolaknya"
    ),
    "": _words("terima kasih, terimakasih, makasih, tanda terima"),
}

GIVER_RELATION_WORDS: WordTable = {
    "rekanan": _words(
        "rekanan, vendor, kontraktor, penyedia, penyedia jasa, penyedia barang,"
        "supplier, suplier, mitra, mitra kerja, pihak ketiga, konsultan, contractor, kontraktornya,"
        "pemborong, developer, pengembang, rekanan kantor, rekanan proyek,"
        "distributor, agen distributor, penyalur barang, pemasok,"
        "perusahaan rekanan, calon rekanan, peserta lelang, peserta tender,"
        "pemenang tender, pemenang lelang, calon pemenang tender, calon penyedia,"
        "penyedia katering, pt, cv,"
        # The bank that pays the salaries (and holds the regency's cash) is the instansi's
        # partner: its THR or parcels come through a working relationship (FAQ bank-gaji).
        # A bank alone stays "Lainnya": its promotional items open to every customer may be
        # exempt (letters e, h), so the check asks about a conflict of interest then.
        "bank tempat gajian, bank tempat gaji, tempat gajian, bank gaji, bank gajian,"
        "bank penyalur gaji, penyalur gaji, bank pembayar gaji, bank payroll, payroll,"
        "bank mitra, bank rekanan, bank pemda, bank daerah, bank pembangunan daerah, bpd,"
        "bank bpd, bjb, bank bjb, bank jabar, bank jateng, bank jatim, bank dki, bank nagari,"
        "bank sumut, bank sumsel babel, bank kalbar, bank kalsel, bank kalteng, bank kaltimtara,"
        "bank sulselbar, bank sulutgo, bank sultra, bank sulteng, bank ntb, bank ntb syariah,"
        "bank ntt, bank bali, bank bpd bali, bank bpd diy, bank diy, bank papua, bank riau kepri,"
        "bank jambi, bank bengkulu, bank lampung, bank banten, bank aceh, bank maluku"
    ),
    "atasan": _words(
        "atasan, atasan saya, atasan langsung, bos, boss, pimpinan,"
        "pimpinan saya, kepala kantor, kadis, kepala dinas, kabag, kabid, sekda,"
        "kepala badan, kepala"
    ),
    "bawahan": _words("bawahan, bawahan saya, anak buah, staf saya, staff saya, anak buahnya"),
    "rekan_kerja": _words(
        "rekan kerja, rekan, teman kantor, temen kantor, tmn kantor, teman sekantor,"
        "temen sekantor, teman satu kantor, kolega, teman kerja, temen kerja,"
        "rekan sejawat, sejawat, sesama pegawai, rekan sekantor,"
        "teman seruangan, temen seruangan, tmn seruangan, tmn sekantor, tmn satu kantor,"
        "teman satu ruangan, temen satu ruangan, tmn satu ruangan, coworker, co worker,"
        "colleague,"
        # Chat abbreviations, and Javanese/Sundanese: "kanca/konco kantor", "rerencangan".
        "tmn kantor, tmn ktr, temen ktr, teman ktr, rekan ktr, tmn kerja, temen sekerja,"
        "kanca kantor, konco kantor, kanca kerja, konco kerja, rencang kantor,"
        "rerencangan kantor, batur kantor, babaturan kantor"
    ),
    "keluarga": _words(
        "keluarga, ortu, orang tua, orangtua, mertua, saudara, sodara, sepupu,"
        "paman, bibi, kakak, adik, ipar, keponakan, ponakan, istri, suami,"
        "kakek, nenek, anak saya, kerabat, famili,"
        # Parents and kin as typed on a phone ("bapak sy", "nyokap", "pakde"); "bapak"/"ibu"
        # alone are honorifics (a boss, a stranger), so only with "saya/sy/aku".
        "bapak saya, bapak sy, bapak aku, bapakku, ibu saya, ibu sy, ibu aku, ibuku, ayah,"
        "ayahku, ayahanda, ibunda, mama, mamah, mamaku, papa, papah, papaku, papi, mami,"
        "bokap, nyokap, emak, simbok, anak sy, anak aku, anakku, adik sy, adek sy, adik aku,"
        "adikku, kakak sy, kakakku, abang sy, om saya, om sy, tante saya, tante sy,"
        "pakde, pakdhe, bude, budhe, paklik, bulik, mbah, simbah, eyang, cucu, menantu, besan,"
        # Javanese "bapak/ibu kula", Sundanese "bapa abdi", "ema", "indung".
        "bapak kula, ibu kula, bapa abdi, ema abdi, indung abdi, pun bapa, bunda, bundaku"
    ),
    "masyarakat": _words(
        "masyarakat, warga, pemohon, pemohon izin, pemohon layanan,"
        "pengguna layanan, wali murid, orang tua murid, orang tua siswa,"
        "ortu murid, ortu siswa, pasien, keluarga pasien, nasabah, wajib pajak,"
        "pelanggan, penduduk, peserta, orang yang saya layani, yang saya layani,"
        "pamohon, pamohon izin, murid, siswa, murid saya, siswa saya, wali siswa,"
        "orang tua pasien, keluarga pasien, penunggu pasien, warga binaan,"
        # A patient's husband or mother is the patient's side, no family of the reporter's.
        "suami pasien, istri pasien, anak pasien, ibu pasien, bapak pasien, ayah pasien,"
        "mama pasien, mamah pasien, papa pasien, emak pasien, mama murid, mama siswa,"
        "komite sekolah, komite"
    ),
    "instansi_lain": _words(
        "instansi lain, instansi lainnya, dinas lain, opd lain, kantor lain,"
        "pemda, pemkab, pemkot, pemprov, kementerian, panitia, penyelenggara,"
        "auditee, obrik, objek audit, obyek audit, opd yang diaudit, unit yang diaudit,"
        "dinas sebelah, opd sebelah, instansi sebelah"
    ),
    # A neighbour, a friend or an acquaintance is no service user unless said so: a personal
    # giver ("Lainnya"); the check then asks whether they have business with the reporter's
    # work. A shop, a bank or a dealer alone is a seller, its promotional items judged apart.
    "lainnya": _words(
        "lainnya, lain, lain lain, kenalan, kenalan saya, bank, toko, dealer, tetangga,"
        "tetangga saya, tetangga sebelah, tetangga rumah, sahabat, sahabat saya, sahabat lama,"
        "teman sekolah, temen sekolah, teman sekolah saya, teman sma, temen sma, teman smp,"
        "temen smp, teman sd, temen sd, teman kuliah, temen kuliah, teman kampus, temen kampus,"
        "tmn kuliah, tmn sekolah, tmn sma, tmn smp, tmn sd, tmn lama, tmn kampus,"
        "teman lama, temen lama, kawan lama, teman dekat, temen deket,"
        "teman seangkatan sekolah, temen seangkatan sekolah, teman seangkatan kuliah,"
        "temen seangkatan kuliah, teman pribadi, temen pribadi, teman masa kecil"
    ),
    # Said with no more, these may be the giver's boss or a service user or another office:
    # "kepala desa" is the boss of a village official, a service user to a regency's civil
    # servant; "temen seangkatan" is often the same CPNS intake (a colleague, maybe elsewhere).
    # Never read as "kepala" (Atasan): the relation is asked.
    "": _words(
        "kepala desa, kades, pak kades, bu kades, kepala dusun, kadus, kepala kampung,"
        "kepala lingkungan, kaling, lurah, pak lurah, bu lurah, kepala kelurahan, camat,"
        "pak camat, bu camat, kepala cabang, kacab, kepala adat, kepala suku, kepala keluarga,"
        "kepala rumah tangga, kepala proyek, kepala tukang, kepala gudang, teman seangkatan,"
        "temen seangkatan, seangkatan, teman satu angkatan, temen satu angkatan,"
        # The reporter as a bank's customer ("acara nasabah prioritas"): the bank gave.
        "nasabah prioritas, acara nasabah, gathering nasabah"
    ),
}

# "Lainnya" words that a story does not read as the giver's relation: "lain" names no one,
# and a shop, a bank or a dealer may be the office's vendor ("toko ATK langganan kantor") or
# a seller to anyone; the relation is asked (at its question, typed alone, they are Lainnya).
NO_RELATION_IN_STORY = frozenset({"lain", "lainnya", "lain lain", "bank", "toko", "dealer"})

OCCASION_WORDS: WordTable = {
    "hari_raya": _words(
        "hari raya, lebaran, idul fitri, idulfitri, natal, imlek, thr,"
        "tahun baru, idul adha, iduladha, nyepi, waisak, ramadan, ramadhan,"
        "puasa, mudik, christmas, lebaran haji, hari besar,"
        # The sacrifice is the feast of Idul Adha ("kambing buat kurban").
        "kurban, qurban, hewan kurban, hewan qurban, lebaran kurban,"
        # Javanese "riyadin/riyaya/bakdan", Sundanese "boboran": Lebaran.
        "riyadin, riyaya, bakdan, bakda lebaran, boboran, rayaan"
    ),
    "pernikahan": _words(
        "pernikahan, nikah, nikahan, menikah, kawinan, kawin, kondangan,"
        "resepsi, sunatan, khitanan, sunat, akikah, aqiqah, tunangan, lamaran,"
        "ngunduh mantu, baptis, upacara adat, upacara agama, walimah, hajatan,"
        # Rites of birth (a Javanese "mitoni" at seven months of pregnancy, "akikah"): the
        # upacara adat atau agama of letter l.
        "tujuh bulanan, 7 bulanan, mitoni, tingkeban, nujuh bulan, selapanan, aqiqahan,"
        "akikahan, khitan, potong gigi, mepandes"
    ),
    "musibah": _words(
        "musibah, duka, berduka, meninggal, wafat, melayat, takziah, bencana,"
        "sakit, opname, dirawat, kecelakaan, kebakaran, banjir, kemalangan"
    ),
    "ulang_tahun": _words(
        "ulang tahun, ultah, ulangtahun, birthday, milad, hut, ultahnya, ulang tahunnya,"
        "ulang taun, ulang thn, ulangtaun, ulang tahun ke, ulang taunnya, ulth"
    ),
    "pisah_sambut": _words(
        "pisah sambut, lepas sambut, perpisahan, pensiun, purna tugas,"
        "purnatugas, purna bakti, mutasi, pindah tugas, promosi jabatan,"
        "naik jabatan, kenaikan jabatan, acara perpisahan, perpisahan kantor, pindah kerja,"
        "pindah kantor, lepas jabatan"
    ),
    "kegiatan_resmi": _words(
        "seminar, webinar, workshop, lokakarya, pelatihan, diklat, bimtek,"
        "rapat, konferensi, fgd, narsum, pembicara, pemateri, moderator,"
        "fasilitator, acara resmi, narasumber, nara sumber, jadi narasumber, jd narasumber,"
        "jadi narsum, jd narsum, jadi pembicara, jd pembicara, honor narasumber, penyuluhan,"
        # A judge's fee is pay for work at the event, never the prize of a contest entered.
        "juri, jadi juri, jd juri, dewan juri, juri lomba, jadi juri lomba, jd juri lomba,"
        "penilai lomba, tim penilai, honor juri"
    ),
    "kunjungan_dinas": _words(
        "kunjungan dinas, kunjungan, kunker, tugas dinas, dinas luar,"
        "perjalanan dinas, monev, monitoring, pemeriksaan, audit, inspeksi,"
        "sidak, rakor, studi banding, peninjauan, survei lapangan, visitasi,"
        "akreditasi, dinas, kunjungan kerja"
    ),
    "terima_kasih": _words(
        "terima kasih, terimakasih, makasih, tanda terima kasih,"
        "ucapan terima kasih, balas budi, sudah dibantu, karena dibantu,"
        "dibantu, membantu,"
        # A teacher's gift from parents on Teacher's Day or at the end of a school year: a thank
        # you from the people served (no exemption; the verdict is the same as for thanks).
        "hari guru, hari guru nasional, kenaikan kelas, naik kelas, penerimaan rapor,"
        "terima rapor, ambil rapor, bagi rapor, kelulusan siswa, pembagian rapor, pembagian raport,"
        "terima raport, ambil raport, bagi raport, raportan, rapotan, pembagian rapot, bagi rapot,"
        "ambil rapot, terima rapot, penerimaan rapot"
    ),
    "lomba": _words("juara, kompetisi, turnamen, sayembara, lomba, hadiah lomba, perlombaan"),
    "penghargaan": _words("satyalancana, prestasi, teladan"),
    "promosi": _words("promo, logo, berlogo, merchandise"),
    "undian": _words("doorprize, door prize, lucky draw, giveaway, kuis, cashback"),
    "investasi": _words(
        "deposito, bunga bank, bunga deposito, bunga tabungan, saham, reksadana,obligasi"
    ),
    "koperasi": _words("shu, korpri"),
    "profesi": _words("mengajar, ngajar, dosen, praktik, praktek, sampingan"),
    # No occasion at all ("ga ada acara apa2, tiba2 dikasih") is "Lainnya", the text kept.
    "lainnya": _words(
        "lainnya, lain, lain lain, tidak ada acara, tdk ada acara, ga ada acara, gak ada acara,"
        "gk ada acara, nggak ada acara, tanpa acara, bukan acara apa apa, tidak dalam rangka,"
        "ga dalam rangka, gak dalam rangka, tidak ada, ga ada, gak ada, nggak ada, gk ada,"
        "tidak ada apa apa, ga ada apa apa, biasa saja, biasa aja"
    ),
    # Read as no occasion, never guessed: a "syukuran" may be a birth rite, a new house or a
    # promotion; "wisuda" the reporter's child's or a student's. The occasion is asked.
    "": _words(
        "ruang rapat, ruangan rapat, ruang dinas, rumah dinas, mobil dinas, syukuran,"
        "tasyakuran, selamatan, wisuda, wisudaan,"
        # A national or a regency's day is no one's birthday ("HUT RI", "hari jadi kabupaten").
        "hut ri, hut kemerdekaan, hut ke, hari jadi, agustusan, 17an, 17 agustus"
    ),
}

OBJECT_TYPE_WORDS: WordTable = {
    "uang": _words(
        "thr, uang thr, uang, uang tunai, amplop, duit, tunai, cash, transfer, ditransfer,"
        "transferan, di transfer, ditf, transfer uang,"
        "angpao, angpau, salam tempel, uang saku, uang transport, fee, komisi,"
        "honor, honorarium, tip, uang tip, honornya, honorariumnya,"
        # Money named after what it is meant to buy is money ("uang rokok 100rb").
        "uang rokok, uang bensin, uang pulsa, uang makan, uang jajan, uang lelah, uang bbm,"
        "uang kopi, uang terima kasih, uang duka, uang pisah,"
        # Sundanese and Javanese krama for money.
        "artos, yatra, arta,"
        # Interest and dividends are paid as money, no flowers ("bunga deposito 2jt").
        "bunga deposito, bunga bank, bunga tabungan, bunga simpanan, bunga giro, dividen, deviden"
    ),
    "voucher_tiket": _words(
        "voucher, vocher, voucer, kupon, gift card, kartu hadiah, saldo,"
        "e money, emoney, pulsa, token listrik, voucher belanja, voucher hotel,"
        "vocer, e wallet, gopay, ovo, shopeepay, kuota, top up,"
        # Phone data and fuel coupons are credit too ("paket data 50rb", "voucher bensin").
        "paket data, paket internet, kuota internet, kuota data, voucher bensin, voucher bbm,"
        "kupon bensin, kupon bbm, kartu bbm, kartu bensin, voucher pertamina, fuel card,"
        "isi pulsa, voucher pulsa, voucher game"
    ),
    "barang": _words(
        "barang, hp, handphone, ponsel, smartphone, laptop, jam, jam tangan,"
        "tas, batik, baju, kain, sarung, sepatu, emas, logam mulia, perhiasan,"
        "cincin, kalung, gelang, lukisan, kado, elektronik, tv, televisi,"
        "kulkas, sepeda, motor, mobil, kamera, tablet, jaket, parfum, blender,"
        "kompor, perabot, furnitur, mebel, barang elektronik,"
        # Everyday goods typed as the whole answer ("mainan", "rice cooker"): a thing.
        "mainan, boneka, rice cooker, magic com, magicom, dispenser, kipas angin, setrika,"
        "mesin cuci, panci, wajan, piring, gelas, mug, tumbler, dompet, ikat pinggang, kemeja,"
        "kaos, mukena, sajadah, jilbab, kerudung, hijab, peci, songket, tenun, kacamata,"
        "headset, earphone, speaker, powerbank, power bank, smartwatch, jam dinding, guci,"
        "sprei, seprai, selimut, handuk, kosmetik, skincare, helm, buku, tas kulit, koper,"
        "kaus, kopiah, songkok, topi, payung, flashdisk,"
        # Cigarettes, livestock (a goat or a cow for the Idul Adha sacrifice) and fuel itself
        # are goods, no food: "rokok 2 slop", "kambing kurban", "bensin full tank".
        "rokok, cerutu, slop rokok, kretek, kambing, sapi, domba, kerbau, hewan kurban,"
        "hewan qurban, kambing kurban, sapi kurban, bensin, bbm, solar, pertalite, pertamax"
    ),
    "makanan": _words(
        # A parcel is food unless its content says otherwise ("parsel isi sarung": barang).
        "parsel, parcel, parsel lebaran, parsel natal, parsel makanan,"
        "makanan, makan, minuman, kue, kue kering, hampers, buah, buah buahan,"
        "kurma, sembako, beras, kopi, teh, sirup, snack, nasi, nasi kotak,"
        "catering, katering, oleh oleh, bolu, roti, cokelat, coklat, madu,"
        "daging, martabak, martabak manis, terang bulan, kue lapis, lapis legit, brownies, donat,"
        "pizza, nasi box, nasi boks, snack box, snack, snek, kotak snack, kue basah, jajanan,"
        "gorengan, tumpeng, nasi tumpeng, nasi kuning, nasi bungkus, nasi padang, bakso, sate,"
        "pempek, dodol, jenang, wajik, lemper, keripik, kripik, kerupuk, rendang, ayam goreng,"
        "makanan ringan, air mineral, aqua, susu, gula, minyak goreng, telur, jeruk, durian,"
        "rambutan, salak, pisang, anggur, black forest, cake, tart, bolu gulung, telor, bakpia,"
        "pie susu, pia, oleh2, oleh2nya, ayam, ayam kampung, hayam,"
        # Meat and milk of livestock are food ("daging kambing", "susu sapi").
        "daging kambing, daging sapi, daging kurban, sate kambing, gulai kambing, susu sapi,"
        "paket sembako, bahan pokok, bahan makanan, mie instan, indomie, beras 1 karung"
    ),
    "fasilitas": _words(
        "fasilitas, hotel, penginapan, menginap, nginap, akomodasi, perjalanan,"
        "liburan, tour, wisata, tiket pesawat dan hotel, tiket dan hotel,"
        "pesawat dan hotel, tiket pesawat hotel, tiket pesawat plus hotel,"
        "karaoke, golf, spa, jamuan, dijamu, makan malam, traktir, ditraktir,"
        "umroh, umrah, tiket, pesawat, tiket pesawat, tiket konser,"
        "tiket kereta, tiket bus, tiket kapal, dinner, lunch,"
        "tiket travel, tiket bioskop, tiket nonton, tiket masuk, tiket pertandingan,"
        "tiket bola, tiket pp, tiket pulang pergi, tiket kereta api"
    ),
    "diskon_pinjaman": _words(
        "diskon, potongan harga, cashback, pinjaman, utang, hutang, kredit, cicilan,"
        "pinjam, dipinjami, dipinjamkan, harga khusus,"
        # An interest-free loan is no flower ("pinjaman tanpa bunga").
        "tanpa bunga, bunga 0, bunga nol, pinjaman tanpa bunga, harga miring"
    ),
    "plakat": _words("plakat, cenderamata, cinderamata, suvenir, souvenir, kenang kenangan"),
    "karangan_bunga": _words("karangan bunga, papan bunga, bunga papan, buket, bunga"),
    "lainnya": _words("lainnya, lain, lain lain"),
    # A souvenir said as "buah tangan" is no fruit: its kind is asked. A phone's number is
    # where credit was sent ("pulsa 100rb ke no hp sy"), no phone given.
    "": _words(
        "buah tangan, buah hati, no hp, nomor hp, nomer hp, no wa, nomor wa, nomer wa,"
        # Where credit was sent ("kirim pulsa 200rb ke hp sy"), no phone given.
        "ke hp, ke hp saya, ke hp sy, ke hape, ke nomor saya, ke nomor sy, ke no sy, ke wa sy"
    ),
}

OBJECT_LOCATION_WORDS: WordTable = {
    "disimpan_pelapor": _words(
        "disimpan, simpan, saya simpan, masih saya simpan, masih disimpan,"
        "pegang, dipegang, saya pegang, masih saya pegang, masih sy pegang, masih dipegang,"
        "belum dibuka, blm dibuka, masih utuh, ada di saya, ada sama saya,"
        "di rumah, masih di rumah, ada di rumah, di kantor, masih di kantor,"
        "ada di kantor, masih ada, ada di saya, di saya, saya pegang,"
        "masih saya pegang, sama saya, di lemari, masih utuh, belum dipakai,"
        "belum diapa apakan, disimpan pelapor, simpen, disimpen, saya simpen, sy simpen,"
        "masih saya simpen, masih sy simpen, masih simpen, masih sy simpan, sy simpan,"
        "di rekening, masih di rekening, ada di rekening, masih di rekening saya,"
        "belum saya pakai, belum sy pakai, belum saya gunakan, belum saya buka, di laci,"
        "masih di laci, ditaruh, ditaruh di kantor, saya taruh, sy taruh, taruh di kantor,"
        "ditaro, ditaro di kantor, naruh di kantor, ada di meja, di meja saya, di ruangan"
    ),
    "dititipkan_uppg": _words(
        "serahin, diserahin, saya serahin, serahkan ke inspektorat, ke inspektorat,"
        "titip, dititip, dititipkan, titipkan, sudah dititipkan, ke uppg,"
        "di uppg, diserahkan ke uppg, sudah diserahkan, diserahkan, serahkan,"
        "dititipkan ke uppg, dikasih ke uppg, diserahkan ke inspektorat,"
        "di inspektorat, titipke, tak titipke, dititipke, dititipke uppg"
    ),
    "bantuan_sosial": _words(
        "bagikan, saya bagikan, bagiin, dibagiin, saya bagiin, salurkan, saya salurkan,"
        "saya sumbangkan, panti,"
        "panti asuhan, dibagikan, dibagi, dibagi bagikan, disumbangkan,"
        "sumbangkan, disumbang, bantuan sosial, disalurkan, sedekah, yatim,"
        "anak yatim, fakir miskin, dhuafa, dibagi ke, masjid"
    ),
    "dikembalikan": _words(
        "kembalikan, dikembalikan, saya kembalikan, sudah dikembalikan, balikin,"
        "dibalikin, sudah dibalikin, kembali ke pemberi, dipulangkan,"
        "dikembaliin, kembaliin"
    ),
    "habis": _words(
        "habis, sudah habis, udah habis, terpakai, sudah terpakai, kepake,"
        "kepakai, udah kepake, dimakan, sudah dimakan, dimakan bersama, diminum,"
        "dipakai, sudah dipakai, udah dipakai, dikonsumsi, basi, busuk, rusak,"
        "sudah digunakan, digunakan, dipake, udah dipake, tidak ada lagi,"
        "sudah tidak ada,"
        "dibagi ke staf, dibagi ke semua staf, dibagikan ke staf, dibagikan ke semua staf,"
        "dibagi ke semua, dibagikan ke semua, dibagi ke pegawai, dibagikan ke pegawai,"
        "dibagi ke teman, dibagi ke teman teman, dibagikan ke teman teman, dibagi ke rekan,"
        "dibagi ke guru, dibagikan ke guru, dibagi ke perawat, dibagi bareng, dimakan bareng,"
        "dimakan rame rame, dimakan bersama sama, sy bagi ke staf, saya bagi ke staf,"
        "bagi ke teman, bagi ke temen, bagi ke teman teman, bagi ke temen temen, bagi ke staf"
    ),
}

# Yes/no questions with words of their own, by field ("rahasiakan", "mau menebus").
CONFIDENTIAL_WORDS: WordTable = {
    "ya": _words(
        "rahasiakan, dirahasiakan, dirahasiain, rahasia, rahasiakan saja,"
        "tolong dirahasiakan, sembunyikan, disembunyikan, samarkan,"
        "jangan dibuka, jangan disebut, tutup, jangan disebar, jangan disebarkan,"
        "jangan diumumkan, jangan sampai tahu, jangan sampai tau"
    ),
    "tidak": _words(
        "tidak perlu, tdk perlu, gak perlu, ga perlu, nggak perlu, tidak usah,"
        "tdk usah, ga usah, gak usah, nggak usah, gausah, gaperlu,"
        "tidak dirahasiakan, tidak perlu dirahasiakan, gak perlu dirahasiakan,"
        "ga usah dirahasiakan, terbuka, dibuka, boleh dibuka, biasa saja,"
        "tidak masalah, gpp, tidak apa apa, ga apa apa, gak apa apa,"
        "nggak apa apa"
    ),
}

COMPENSATION_WORDS: WordTable = {
    "ya": _words(
        "kompensasi, mau kompensasi, ingin kompensasi, bayar, mau bayar,"
        "membayar, menebus, tebus, ditebus, mau menebus, menebusnya,"
        "tetap memiliki, ingin memiliki, mau memiliki, beli, membeli, mengganti,"
        "ganti uang"
    ),
    "tidak": _words(
        "tidak mau, ga mau, gak mau, nggak mau, tidak ingin, serahkan,"
        "diserahkan, serahkan saja, untuk negara, buat negara, tidak usah,"
        "ga usah, gak usah, nggak usah, tidak perlu, gak perlu, ga perlu,"
        "tidak kompensasi"
    ),
}

OPTION_WORDS: dict[str, WordTable] = {
    "report_type": REPORT_TYPE_WORDS,
    "giver_relation": GIVER_RELATION_WORDS,
    "occasion": OCCASION_WORDS,
    "object_type": OBJECT_TYPE_WORDS,
    "object_location": OBJECT_LOCATION_WORDS,
    "confidential": CONFIDENTIAL_WORDS,
    "compensation": COMPENSATION_WORDS,
}
