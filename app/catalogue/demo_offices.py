"""The demo city's offices: eight district Bürgerämter and the virtual one.

Addresses are plausible but made up; phone numbers start with 0 after the area code,
which no German line does, and e-mail uses the reserved `.example` domain, so no demo
value can reach a real person. Hours are (weekday, opens, closes), Monday = 0.
"""

# ruff: noqa: E501 — a sentence per line reads better than a sentence cut in pieces

from __future__ import annotations

from typing import Any

Hours = list[tuple[int, str, str]]

# Typical Bürgeramt hours: long Monday/Tuesday, short Wednesday, late Thursday, short Friday.
STANDARD: Hours = [
    (0, "08:00", "16:00"),
    (1, "08:00", "16:00"),
    (2, "08:00", "12:00"),
    (3, "08:00", "18:00"),
    (4, "08:00", "12:00"),
]
# The central office opens earlier and on Saturday mornings.
CENTRAL: Hours = [
    (0, "07:30", "16:00"),
    (1, "07:30", "16:00"),
    (2, "07:30", "16:00"),
    (3, "07:30", "18:00"),
    (4, "07:30", "13:00"),
    (5, "09:00", "12:00"),
]
# Small offices close over lunch and on Wednesdays.
SMALL: Hours = [
    (0, "08:00", "12:00"),
    (0, "13:30", "16:00"),
    (1, "08:00", "12:00"),
    (3, "08:00", "12:00"),
    (3, "14:00", "18:00"),
    (4, "08:00", "12:00"),
]
VIRTUAL: Hours = [(day, "08:00", "18:00") for day in range(5)] + [(5, "09:00", "13:00")]

STEP_FREE = {
    "de": "Stufenloser Zugang, Aufzug, barrierefreies WC.",
    "en": "Step-free access, lift, accessible toilet.",
    "tr": "Basamaksız giriş, asansör, engelli tuvaleti.",
    "uk": "Вхід без сходинок, ліфт, туалет для людей з інвалідністю.",
    "ar": "مدخل بدون درج، مصعد، دورة مياه مهيأة لذوي الإعاقة.",
    "ru": "Вход без ступенек, лифт, туалет для людей с инвалидностью.",
    "pl": "Wejście bez schodów, winda, toaleta dla osób z niepełnosprawnościami.",
    "ro": "Acces fără trepte, lift, toaletă accesibilă.",
    "fa": "ورودی بدون پله، آسانسور، سرویس بهداشتی مناسب افراد دارای معلولیت.",
}
HEARING_LOOP = {
    "de": "Stufenloser Zugang, Induktionsschleife für Hörgeräte an Schalter 1, barrierefreies WC.",
    "en": "Step-free access, hearing loop at desk 1, accessible toilet.",
    "tr": "Basamaksız giriş, 1 numaralı gişede işitme cihazları için indüksiyon döngüsü, engelli tuvaleti.",
    "uk": "Вхід без сходинок, індукційна петля для слухових апаратів біля віконця 1, туалет для людей з інвалідністю.",
    "ar": "مدخل بدون درج، حلقة حثية للمعينات السمعية عند الشباك 1، دورة مياه مهيأة لذوي الإعاقة.",
    "ru": "Вход без ступенек, индукционная петля для слуховых аппаратов у окна 1, туалет для людей с инвалидностью.",
    "pl": "Wejście bez schodów, pętla indukcyjna dla aparatów słuchowych przy stanowisku 1, toaleta dla osób z niepełnosprawnościami.",
    "ro": "Acces fără trepte, buclă inductivă pentru aparate auditive la ghișeul 1, toaletă accesibilă.",
    "fa": "ورودی بدون پله، حلقه القایی برای سمعک در باجه ۱، سرویس بهداشتی مناسب افراد دارای معلولیت.",
}
STEPS = {
    "de": "Eingang mit drei Stufen. Bitte klingeln Sie: Wir bedienen Sie im Erdgeschoss.",
    "en": "Entrance with three steps. Please ring the bell: we will serve you on the ground floor.",
    "tr": "Girişte üç basamak var. Lütfen zili çalın: sizi zemin katta karşılarız.",
    "uk": "Вхід має три сходинки. Будь ласка, подзвоніть: ми обслужимо вас на першому поверсі.",
    "ar": "المدخل فيه ثلاث درجات. يرجى قرع الجرس: سنخدمك في الطابق الأرضي.",
    "ru": "У входа три ступеньки. Пожалуйста, позвоните: мы обслужим вас на первом этаже.",
    "pl": "Wejście z trzema stopniami. Prosimy zadzwonić: obsłużymy Państwa na parterze.",
    "ro": "Intrare cu trei trepte. Vă rugăm să sunați: vă servim la parter.",
    "fa": "ورودی سه پله دارد. لطفاً زنگ بزنید: در طبقه همکف به شما خدمت می‌کنیم.",
}
ONLINE = {
    "de": "Sie brauchen ein Smartphone oder einen Computer mit Kamera und Mikrofon. Es muss nichts installiert werden.",
    "en": "You need a smartphone or computer with a camera and microphone. Nothing to install.",
    "tr": "Kameralı ve mikrofonlu bir akıllı telefon veya bilgisayar yeterlidir. Hiçbir şey yüklemeniz gerekmez.",
    "uk": "Потрібен смартфон або комп'ютер з камерою та мікрофоном. Нічого встановлювати не потрібно.",
    "ar": "تحتاج إلى هاتف ذكي أو حاسوب مزوّد بكاميرا وميكروفون. لا حاجة لتثبيت أي برنامج.",
    "ru": "Нужен смартфон или компьютер с камерой и микрофоном. Ничего устанавливать не нужно.",
    "pl": "Potrzebny jest smartfon lub komputer z kamerą i mikrofonem. Nie trzeba niczego instalować.",
    "ro": "Aveți nevoie de un smartphone sau un computer cu cameră și microfon. Nu trebuie instalat nimic.",
    "fa": "به یک گوشی هوشمند یا رایانه با دوربین و میکروفون نیاز دارید. نصب هیچ برنامه‌ای لازم نیست.",
}

OFFICES: list[dict[str, Any]] = [
    {
        "slug": "altstadt",
        "name": "Bürgeramt Altstadt",
        "street": "Marktplatz 10",
        "postcode": "69117",
        "desks": 4,
        "languages": ["de", "en", "fr"],
        "accessibility": HEARING_LOOP,
        "hours": STANDARD,
    },
    {
        "slug": "bergheim",
        "name": "Bürgeramt Bergheim",
        "street": "Bergheimer Straße 101",
        "postcode": "69115",
        "desks": 5,
        "languages": ["de", "en", "tr", "ar"],
        "accessibility": STEP_FREE,
        "hours": CENTRAL,
    },
    {
        "slug": "neuenheim",
        "name": "Bürgeramt Neuenheim",
        "street": "Lutherstraße 18",
        "postcode": "69120",
        "desks": 3,
        "languages": ["de", "en", "uk", "ru"],
        "accessibility": STEP_FREE,
        "hours": STANDARD,
    },
    {
        "slug": "handschuhsheim",
        "name": "Bürgeramt Handschuhsheim",
        "street": "Dossenheimer Landstraße 13",
        "postcode": "69121",
        "desks": 2,
        "languages": ["de", "en"],
        "accessibility": STEPS,
        "hours": SMALL,
    },
    {
        "slug": "kirchheim",
        "name": "Bürgeramt Kirchheim",
        "street": "Schmitthennerstraße 30",
        "postcode": "69124",
        "desks": 3,
        "languages": ["de", "en", "tr", "ro"],
        "accessibility": STEP_FREE,
        "hours": STANDARD,
    },
    {
        "slug": "rohrbach",
        "name": "Bürgeramt Rohrbach",
        "street": "Rathausstraße 41",
        "postcode": "69126",
        "desks": 3,
        "languages": ["de", "en", "pl", "ru"],
        "accessibility": HEARING_LOOP,
        "hours": STANDARD,
    },
    {
        "slug": "wieblingen",
        "name": "Bürgeramt Wieblingen",
        "street": "Mannheimer Straße 250",
        "postcode": "69123",
        "desks": 2,
        "languages": ["de", "en", "ar", "fa"],
        "accessibility": STEPS,
        "hours": SMALL,
    },
    {
        "slug": "ziegelhausen",
        "name": "Bürgeramt Ziegelhausen",
        "street": "Kleingemünder Straße 18",
        "postcode": "69118",
        "desks": 2,
        "languages": ["de", "en"],
        "accessibility": STEP_FREE,
        "hours": SMALL,
    },
]

VIRTUAL_OFFICE: dict[str, Any] = {
    "slug": "virtuell",
    "name": "Bürgeramt Virtuell",
    "street": "",
    "postcode": "69117",
    "desks": 3,
    "languages": ["de", "en", "tr", "uk", "ar", "fa"],
    "accessibility": ONLINE,
    "hours": VIRTUAL,
}

# Offices with this many desks or more keep their last desk for quick services,
# so that a ten-minute certificate does not wait behind a passport application.
EXPRESS_FROM_DESKS = 4
EXPRESS_MAX_MINUTES = 10

CHRISTMAS_EVE = {
    "de": "Heiligabend: Alle Bürgerämter sind geschlossen.",
    "en": "Christmas Eve: all citizens' offices are closed.",
    "tr": "Noel arifesi: tüm vatandaş hizmet büroları kapalıdır.",
    "uk": "Святвечір: усі бюро обслуговування громадян зачинені.",
    "ar": "ليلة عيد الميلاد: جميع مكاتب خدمة المواطنين مغلقة.",
    "ru": "Рождественский сочельник: все бюро обслуживания граждан закрыты.",
    "pl": "Wigilia: wszystkie biura obsługi mieszkańców są zamknięte.",
    "ro": "Ajunul Crăciunului: toate birourile pentru cetățeni sunt închise.",
    "fa": "شب کریسمس: همه دفاتر خدمات شهروندی تعطیل هستند.",
}
NEW_YEARS_EVE = {
    "de": "Silvester: Alle Bürgerämter sind geschlossen.",
    "en": "New Year's Eve: all citizens' offices are closed.",
    "tr": "Yılbaşı gecesi: tüm vatandaş hizmet büroları kapalıdır.",
    "uk": "Переддень Нового року: усі бюро обслуговування громадян зачинені.",
    "ar": "ليلة رأس السنة: جميع مكاتب خدمة المواطنين مغلقة.",
    "ru": "Канун Нового года: все бюро обслуживания граждан закрыты.",
    "pl": "Sylwester: wszystkie biura obsługi mieszkańców są zamknięte.",
    "ro": "Ajunul Anului Nou: toate birourile pentru cetățeni sunt închise.",
    "fa": "شب سال نو: همه دفاتر خدمات شهروندی تعطیل هستند.",
}
RENOVATION = {
    "de": "Umbau: Bitte nutzen Sie das Bürgeramt Neuenheim oder das Bürgeramt Virtuell.",
    "en": "Renovation: please use the Neuenheim office or the virtual office.",
    "tr": "Tadilat: lütfen Neuenheim bürosunu veya sanal büroyu kullanın.",
    "uk": "Ремонт: будь ласка, зверніться до бюро Нойенгайм або до віртуального бюро.",
    "ar": "أعمال تجديد: يرجى التوجه إلى مكتب نوينهايم أو المكتب الافتراضي.",
    "ru": "Ремонт: пожалуйста, обращайтесь в бюро Нойенхайм или в виртуальное бюро.",
    "pl": "Remont: prosimy skorzystać z biura Neuenheim lub biura wirtualnego.",
    "ro": "Renovare: vă rugăm să mergeți la biroul Neuenheim sau la biroul virtual.",
    "fa": "بازسازی: لطفاً به دفتر نوین‌هایم یا دفتر مجازی مراجعه کنید.",
}
TRAINING = {
    "de": "Fortbildung des Teams.",
    "en": "Staff training.",
    "tr": "Personel eğitimi.",
    "uk": "Навчання працівників.",
    "ar": "تدريب الموظفين.",
    "ru": "Обучение сотрудников.",
    "pl": "Szkolenie zespołu.",
    "ro": "Instruirea personalului.",
    "fa": "آموزش کارکنان.",
}
