"""Demo services of queue group B: registering an address (Bundesmeldegesetz).

Registering and deregistering are free by law; the fee for a registration certificate
is set by each municipality (10,00 € is a common level in Baden-Württemberg).
Registration can also be done online elsewhere, with the eID, at the federal
"Digitale Wohnsitzanmeldung" portal: a link out, never loaded by us.
"""

# ruff: noqa: E501 — a sentence per line reads better than a sentence cut in pieces

from __future__ import annotations

from typing import Any

from app.catalogue.demo_phrases import ID_OR_PASSPORT

SERVICES: list[dict[str, Any]] = [
    {
        "slug": "anmeldung",
        "leika": None,
        "ticket_letter": "B",
        "duration_minutes": 15,
        "fee_cents": 0,
        "allows_in_person": True,
        "allows_video": True,
        "in_person_reason": None,
        "online_url": "https://www.wohnsitzanmeldung.gov.de",
        "online_note": {
            "de": "Online mit der Online-Ausweisfunktion (eID) und Ihrer PIN, wenn Sie innerhalb Deutschlands umziehen.",
            "en": "Online with the online ID function (eID) and your PIN, if you move within Germany.",
            "tr": "Almanya içinde taşınıyorsanız, çevrimiçi kimlik işlevi (eID) ve PIN'inizle internetten.",
            "uk": "Онлайн з функцією онлайн-ідентифікації (eID) та вашим PIN, якщо ви переїжджаєте в межах Німеччини.",
            "ar": "عبر الإنترنت باستخدام وظيفة الهوية الإلكترونية (eID) ورقمك السري PIN، إذا انتقلت داخل ألمانيا.",
            "ru": "Онлайн с функцией онлайн-идентификации (eID) и вашим PIN, если вы переезжаете в пределах Германии.",
            "pl": "Online za pomocą funkcji identyfikacji online (eID) i swojego PIN-u, jeśli przeprowadzają się Państwo w obrębie Niemiec.",
            "ro": "Online, cu funcția de identificare online (eID) și PIN-ul dvs., dacă vă mutați în interiorul Germaniei.",
            "fa": "به‌صورت آنلاین با قابلیت شناسایی آنلاین (eID) و PIN خودتان، اگر داخل آلمان نقل مکان می‌کنید.",
        },
        "name": {
            "de": "Wohnsitz anmelden oder ummelden",
            "en": "Register or change your address",
            "tr": "İkamet kaydı veya adres değişikliği",
            "uk": "Зареєструвати або змінити місце проживання",
            "ar": "تسجيل السكن أو تغيير العنوان",
            "ru": "Регистрация или смена места жительства",
            "pl": "Zameldowanie lub zmiana adresu",
            "ro": "Înregistrarea domiciliului sau schimbarea adresei",
            "fa": "ثبت یا تغییر محل سکونت",
        },
        "description": {
            "de": "Nach einem Umzug melden Sie sich innerhalb von zwei Wochen an. Die Anmeldung ist gebührenfrei. Sie geht hier vor Ort, per Video oder online mit der Online-Ausweisfunktion.",
            "en": "After moving, register within two weeks. Registration is free of charge. You can do it here in person, by video, or online with the online ID function.",
            "tr": "Taşındıktan sonra iki hafta içinde kayıt yaptırın. Kayıt ücretsizdir. Burada şahsen, görüntülü görüşmeyle veya çevrimiçi kimlik işleviyle internetten yapılabilir.",
            "uk": "Після переїзду зареєструйтеся протягом двох тижнів. Реєстрація безкоштовна. Її можна оформити тут особисто, через відеодзвінок або онлайн з функцією онлайн-ідентифікації.",
            "ar": "بعد الانتقال، سجّل سكنك خلال أسبوعين. التسجيل مجاني. يمكنك القيام به هنا حضورياً أو عبر مكالمة فيديو أو عبر الإنترنت باستخدام وظيفة الهوية الإلكترونية.",
            "ru": "После переезда зарегистрируйтесь в течение двух недель. Регистрация бесплатна. Её можно оформить здесь лично, по видеосвязи или онлайн с функцией онлайн-идентификации.",
            "pl": "Po przeprowadzce należy się zameldować w ciągu dwóch tygodni. Zameldowanie jest bezpłatne. Można je załatwić tutaj osobiście, przez wideo lub online za pomocą funkcji identyfikacji online.",
            "ro": "După mutare, înregistrați-vă în cel mult două săptămâni. Înregistrarea este gratuită. O puteți face aici personal, prin apel video sau online cu funcția de identificare online.",
            "fa": "پس از اسباب‌کشی، ظرف دو هفته ثبت‌نام کنید. ثبت‌نام رایگان است. می‌توانید آن را اینجا حضوری، با تماس تصویری یا آنلاین با قابلیت شناسایی آنلاین انجام دهید.",
        },
        "documents": [
            {
                "de": "Personalausweis oder Reisepass aller Personen, die umziehen",
                "en": "ID card or passport of everyone who is moving",
                "tr": "Taşınan herkesin kimlik kartı veya pasaportu",
                "uk": "Посвідчення особи або паспорт усіх, хто переїжджає",
                "ar": "بطاقة الهوية أو جواز السفر لكل من ينتقل",
                "ru": "Удостоверение личности или паспорт всех, кто переезжает",
                "pl": "Dowód osobisty lub paszport wszystkich osób, które się przeprowadzają",
                "ro": "Cartea de identitate sau pașaportul tuturor persoanelor care se mută",
                "fa": "کارت شناسایی یا گذرنامه همه کسانی که نقل مکان می‌کنند",
            },
            {
                "de": "Wohnungsgeberbestätigung (vom Vermieter oder von der Vermieterin)",
                "en": "Landlord's confirmation of moving in (Wohnungsgeberbestätigung)",
                "tr": "Ev sahibinden taşınma onayı (Wohnungsgeberbestätigung)",
                "uk": "Підтвердження від орендодавця (Wohnungsgeberbestätigung)",
                "ar": "تأكيد المؤجر على السكن (Wohnungsgeberbestätigung)",
                "ru": "Подтверждение арендодателя о заселении (Wohnungsgeberbestätigung)",
                "pl": "Potwierdzenie od wynajmującego (Wohnungsgeberbestätigung)",
                "ro": "Confirmarea proprietarului (Wohnungsgeberbestätigung)",
                "fa": "تأییدیه صاحبخانه (Wohnungsgeberbestätigung)",
            },
        ],
    },
    {
        "slug": "abmeldung",
        "leika": None,
        "ticket_letter": "B",
        "duration_minutes": 10,
        "fee_cents": 0,
        "allows_in_person": True,
        "allows_video": True,
        "in_person_reason": None,
        "name": {
            "de": "Wohnsitz abmelden (Wegzug ins Ausland)",
            "en": "Deregister your address (moving abroad)",
            "tr": "İkamet kaydını sildirme (yurt dışına taşınma)",
            "uk": "Зняття з реєстрації (переїзд за кордон)",
            "ar": "إلغاء تسجيل السكن (الانتقال إلى الخارج)",
            "ru": "Снятие с регистрации (переезд за границу)",
            "pl": "Wymeldowanie (wyjazd za granicę)",
            "ro": "Radierea domiciliului (mutare în străinătate)",
            "fa": "لغو ثبت محل سکونت (مهاجرت به خارج از کشور)",
        },
        "description": {
            "de": "Abmelden müssen Sie sich nur, wenn Sie ins Ausland ziehen oder eine Nebenwohnung aufgeben: frühestens eine Woche vor und spätestens zwei Wochen nach dem Auszug. Gebührenfrei.",
            "en": "You only need to deregister if you move abroad or give up a second home: at the earliest one week before and at the latest two weeks after moving out. Free of charge.",
            "tr": "Yalnızca yurt dışına taşınıyorsanız veya ikinci konutunuzu bırakıyorsanız kaydınızı sildirmeniz gerekir: en erken taşınmadan bir hafta önce, en geç iki hafta sonra. Ücretsizdir.",
            "uk": "Зніматися з реєстрації потрібно лише при переїзді за кордон або відмові від другого житла: не раніше ніж за тиждень до виїзду і не пізніше ніж через два тижні після нього. Безкоштовно.",
            "ar": "يلزم إلغاء التسجيل فقط عند الانتقال إلى الخارج أو التخلي عن سكن ثانوي: في أقرب تقدير قبل أسبوع من المغادرة وفي موعد أقصاه أسبوعان بعدها. مجاناً.",
            "ru": "Сниматься с регистрации нужно только при переезде за границу или отказе от второго жилья: не раньше чем за неделю до выезда и не позже чем через две недели после него. Бесплатно.",
            "pl": "Wymeldować się trzeba tylko przy wyjeździe za granicę lub rezygnacji z drugiego mieszkania: najwcześniej tydzień przed, a najpóźniej dwa tygodnie po wyprowadzce. Bezpłatnie.",
            "ro": "Trebuie să vă radiați doar dacă vă mutați în străinătate sau renunțați la o a doua locuință: cel mai devreme cu o săptămână înainte și cel târziu la două săptămâni după mutare. Gratuit.",
            "fa": "لغو ثبت فقط زمانی لازم است که به خارج از کشور می‌روید یا محل سکونت دوم را رها می‌کنید: زودتر از یک هفته پیش و دیرتر از دو هفته پس از نقل مکان نباشد. رایگان.",
        },
        "documents": [
            ID_OR_PASSPORT,
            {
                "de": "Datum des Auszugs und die neue Anschrift",
                "en": "Your moving-out date and new address",
                "tr": "Taşınma tarihi ve yeni adres",
                "uk": "Дата виїзду та нова адреса",
                "ar": "تاريخ المغادرة والعنوان الجديد",
                "ru": "Дата выезда и новый адрес",
                "pl": "Data wyprowadzki i nowy adres",
                "ro": "Data mutării și noua adresă",
                "fa": "تاریخ نقل مکان و نشانی جدید",
            },
        ],
    },
    {
        "slug": "meldebescheinigung",
        "leika": "99115003012000",  # Meldebescheinigung ausstellen
        "ticket_letter": "B",
        "duration_minutes": 5,
        "fee_cents": 1000,
        "allows_in_person": True,
        "allows_video": True,
        "in_person_reason": None,
        "name": {
            "de": "Meldebescheinigung beantragen",
            "en": "Get a certificate of registration",
            "tr": "İkamet belgesi (Meldebescheinigung) alma",
            "uk": "Отримати довідку про реєстрацію",
            "ar": "الحصول على شهادة تسجيل السكن",
            "ru": "Получить справку о регистрации",
            "pl": "Zaświadczenie o zameldowaniu",
            "ro": "Certificat de înregistrare a domiciliului",
            "fa": "دریافت گواهی ثبت محل سکونت",
        },
        "description": {
            "de": "Bestätigt, wo Sie gemeldet sind, z. B. für Arbeitgeber, Bank oder Behörden. Sie erhalten sie sofort.",
            "en": "Confirms where you are registered, e.g. for an employer, a bank or an authority. You get it straight away.",
            "tr": "Nerede kayıtlı olduğunuzu gösterir; örneğin işveren, banka veya resmi kurumlar için. Hemen verilir.",
            "uk": "Підтверджує, де ви зареєстровані, наприклад для роботодавця, банку чи установ. Видається одразу.",
            "ar": "تثبت مكان تسجيل سكنك، مثلاً لصاحب العمل أو البنك أو الجهات الرسمية. تحصل عليها فوراً.",
            "ru": "Подтверждает, где вы зарегистрированы, например для работодателя, банка или ведомств. Выдаётся сразу.",
            "pl": "Potwierdza, gdzie są Państwo zameldowani, np. dla pracodawcy, banku lub urzędu. Wydawane od ręki.",
            "ro": "Confirmă unde aveți domiciliul înregistrat, de ex. pentru angajator, bancă sau autorități. O primiți imediat.",
            "fa": "نشان می‌دهد کجا ثبت سکونت کرده‌اید، مثلاً برای کارفرما، بانک یا ادارات. فوراً صادر می‌شود.",
        },
        "documents": [ID_OR_PASSPORT],
    },
]
