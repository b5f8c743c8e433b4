"""Indonesian texts shared by several flows and by the runtime."""

# What is encrypted at rest, as the privacy notice, the privacy answer and the FAQ say it: the
# Sealed and *_enc columns of bot/store/models.py (the reporter's replies in a thread are
# ThreadMessage.text), the WhatsApp chat id (bot/channels/whatsapp/ids.py) and the attachment
# files (bot/store/sealed_files.py). Jabatan, unit kerja and the giver's name, position and
# instansi are kept in clear; tests/bot/knowledge/test_legal_content.py checks this list
# against the models.
ENCRYPTED_DATA = (
    "nama, NIK, NIP, alamat, nomor HP dan WhatsApp, e-mail, alamat pemberi, cerita "
    "pemberian, lampiran, dan balasan Anda ke UPPG"
)
NOT_ENCRYPTED_DATA = "jabatan, unit kerja, serta nama, jabatan dan instansi pemberi"

GANGGUAN = "Maaf, sedang ada gangguan. Silakan coba lagi sebentar lagi."
ERROR = "Maaf, terjadi kesalahan di sisi kami. Silakan coba lagi, atau ketik /batal."
BUSY = "Pesan Anda sebelumnya masih diproses. Mohon tunggu sebentar, lalu kirim lagi."
FLOOD = "Pesan Anda terlalu banyak dalam waktu singkat. Mohon tunggu sebentar."
TOO_LONG = (
    "Maaf, pesan Anda terlalu panjang (lebih dari 4.096 karakter) dan tidak kami simpan.\n"
    "Mohon kirim lagi dengan lebih singkat."
)

GREETING = (
    "Selamat datang di gratibot, layanan UPPG Inspektorat.\n"
    "Di sini Anda dapat melaporkan gratifikasi dan bertanya tentang aturannya.\n"
    "Silakan pilih menu:"
)
THANKS = "Sama-sama. Ada lagi yang bisa dibantu? Silakan pilih menu:"
MENU_AGAIN = "Ada lagi yang bisa dibantu? Silakan pilih menu:"
ACKNOWLEDGED = "Baik. Ada lagi yang bisa dibantu? Pilih menu, atau ketik pertanyaan Anda:"
OOPS = "Tidak apa-apa. Ada yang bisa dibantu? Pilih menu, atau ketik pertanyaan Anda:"
BYE = "Terima kasih telah menghubungi UPPG. Sampai jumpa lagi."
COMPLAINT = (
    "Mohon maaf, jawaban kami belum membantu.\n"
    "Coba tulis pertanyaan Anda dengan kata lain, atau hubungi UPPG langsung:\n"
    "{contact}"
)
COMPLAINT_IN_FORM = (
    "Mohon maaf bila ada yang kurang jelas.\n"
    "Bila perlu bantuan, hubungi UPPG:\n{contact}\n"
    "Kita lanjutkan dari pertanyaan ini; ketik /batal bila ingin berhenti."
)
HUMAN = (
    "Saya gratibot, asisten otomatis UPPG untuk melapor gratifikasi dan bertanya aturannya.\n"
    "Untuk berbicara dengan petugas UPPG:\n"
    "{contact}"
)
PICK_NUMBER = "Silakan pilih nomor 1–{last}, atau ketik pertanyaan Anda:"

HELP = (
    "Panduan singkat gratibot:\n"
    "• Lapor gratifikasi: laporkan hadiah yang Anda terima atau tolak.\n"
    "• Cek wajib lapor: cek apakah suatu pemberian wajib dilaporkan.\n"
    "• Tanya aturan: tanyakan aturan gratifikasi dengan bahasa sehari-hari.\n"
    "• Lapor dugaan suap: sampaikan dugaan suap, boleh tanpa identitas.\n"
    "• Status laporan: lihat status laporan Anda.\n"
    "\n"
    "Perintah:\n"
    "/start atau /menu: menu utama\n"
    "/lapor: mulai laporan\n"
    "/status: status laporan\n"
    "/cek: cek wajib lapor\n"
    "/jawab: jawab pertanyaan UPPG tentang laporan Anda\n"
    "/aduan: lapor dugaan suap, atau lihat tanggapannya dengan kode\n"
    "/batal: batalkan proses yang sedang berjalan\n"
    "/bantuan: panduan ini\n"
    "\n"
    "Anda juga bisa langsung mengetik pertanyaan, misalnya:\n"
    '"parsel lebaran wajib lapor?"'
)

CANCEL_CONFIRM = "Draf laporan Anda akan dihapus. Yakin ingin membatalkan?"
CANCELLED = "Baik, proses dibatalkan."
NOT_CANCELLED = "Baik, kita lanjutkan."
DRAFT_PARKED = "Draf laporan Anda kami simpan. Ketik /lapor untuk melanjutkannya nanti."
NOTHING_TO_CANCEL = "Tidak ada proses yang sedang berjalan."

FAQ_UNKNOWN = (
    "Maaf, saya belum bisa menjawab pertanyaan itu.\n"
    "Silakan hubungi UPPG Inspektorat secara langsung, atau pilih menu di bawah."
)
UNSUPPORTED_CHOICE = "Tombol itu sudah tidak berlaku. Silakan pilih dari menu terbaru."
# A press on the buttons of an earlier question (shown above the chat, nothing else happens).
STALE_BUTTON = "Tombol ini sudah tidak berlaku."
