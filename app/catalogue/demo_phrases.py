"""Phrases the demo services share (documents to bring, why in person), in all 9 languages.

Data, not code: one language per line, so a translator reads each phrase top to bottom.
"""

# ruff: noqa: E501 — a sentence per line reads better than a sentence cut in pieces

from __future__ import annotations

Text = dict[str, str]

BIOMETRICS: Text = {
    "de": "Fingerabdrücke und Lichtbild müssen vor Ort aufgenommen werden (Biometrie), und Sie unterschreiben persönlich. Per Video können Sie den Antrag vorbereiten.",
    "en": "Fingerprints and photo must be taken in person (biometrics), and you sign in person. A video call can prepare the application.",
    "tr": "Parmak izleri ve fotoğraf şahsen alınmalıdır (biyometri) ve başvuruyu şahsen imzalarsınız. Başvuruyu görüntülü görüşmeyle hazırlayabilirsiniz.",
    "uk": "Відбитки пальців і фото потрібно зробити особисто на місці (біометрія), і ви особисто ставите підпис. Відеодзвінок допоможе підготувати заяву.",
    "ar": "يجب أخذ بصمات الأصابع والصورة حضورياً (القياسات الحيوية)، وتوقّع بنفسك. يمكن تحضير الطلب عبر مكالمة فيديو.",
    "ru": "Отпечатки пальцев и фотография снимаются только лично (биометрия), и вы лично ставите подпись. Видеозвонок поможет подготовить заявление.",
    "pl": "Odciski palców i zdjęcie muszą zostać wykonane osobiście (biometria), a wniosek podpisują Państwo osobiście. Wniosek można przygotować podczas rozmowy wideo.",
    "ro": "Amprentele și fotografia trebuie luate personal (biometrie), iar cererea o semnați personal. Cererea poate fi pregătită printr-un apel video.",
    "fa": "اثر انگشت و عکس باید حضوری گرفته شود (بیومتریک) و شما شخصاً امضا می‌کنید. درخواست را می‌توانید با تماس تصویری آماده کنید.",
}

CHILD_BIOMETRICS: Text = {
    "de": "Das Kind muss anwesend sein: Lichtbild und ab 6 Jahren Fingerabdrücke werden vor Ort aufgenommen (Biometrie). Per Video können Sie den Antrag vorbereiten.",
    "en": "The child must be present: the photo and, from age 6, fingerprints are taken in person (biometrics). A video call can prepare the application.",
    "tr": "Çocuğun bizzat bulunması gerekir: fotoğraf ve 6 yaşından itibaren parmak izleri yerinde alınır (biyometri). Başvuruyu görüntülü görüşmeyle hazırlayabilirsiniz.",
    "uk": "Дитина має бути присутня: фото і, з 6 років, відбитки пальців знімають на місці (біометрія). Відеодзвінок допоможе підготувати заяву.",
    "ar": "يجب حضور الطفل: تؤخذ الصورة، وابتداءً من عمر 6 سنوات البصمات، حضورياً (القياسات الحيوية). يمكن تحضير الطلب عبر مكالمة فيديو.",
    "ru": "Ребёнок должен присутствовать: фото и, с 6 лет, отпечатки пальцев снимаются на месте (биометрия). Видеозвонок поможет подготовить заявление.",
    "pl": "Dziecko musi być obecne: zdjęcie oraz, od 6. roku życia, odciski palców wykonuje się na miejscu (biometria). Wniosek można przygotować podczas rozmowy wideo.",
    "ro": "Copilul trebuie să fie prezent: fotografia și, de la 6 ani, amprentele se iau pe loc (biometrie). Cererea poate fi pregătită printr-un apel video.",
    "fa": "حضور کودک لازم است: عکس و از ۶ سالگی اثر انگشت به‌صورت حضوری گرفته می‌شود (بیومتریک). درخواست را می‌توانید با تماس تصویری آماده کنید.",
}

# Since 1 May 2025 passport and ID photos are accepted only in digital form.
PHOTO: Text = {
    "de": "Biometrisches Lichtbild, digital: Code vom Fotostudio oder Aufnahme im Bürgeramt",
    "en": "Biometric photo, digital: code from a photo studio, or taken at the office",
    "tr": "Dijital biyometrik fotoğraf: fotoğraf stüdyosundan alınan kod veya ofiste çekim",
    "uk": "Біометричне фото в цифровому вигляді: код від фотостудії або фото, зроблене в бюро",
    "ar": "صورة بيومترية رقمية: رمز من استوديو التصوير أو التصوير في المكتب",
    "ru": "Биометрическое фото в цифровом виде: код из фотостудии или съёмка в бюро",
    "pl": "Zdjęcie biometryczne w formie cyfrowej: kod z zakładu fotograficznego lub zdjęcie wykonane w urzędzie",
    "ro": "Fotografie biometrică digitală: cod de la studioul foto sau fotografiere la birou",
    "fa": "عکس بیومتریک دیجیتال: کد از آتلیه عکاسی یا عکس‌برداری در دفتر",
}

CURRENT_ID: Text = {
    "de": "Bisheriger Personalausweis oder Reisepass (auch abgelaufen)",
    "en": "Your current ID card or passport (even if expired)",
    "tr": "Mevcut kimlik kartınız veya pasaportunuz (süresi dolmuş olsa bile)",
    "uk": "Ваше попереднє посвідчення особи або паспорт (навіть прострочені)",
    "ar": "بطاقة الهوية أو جواز السفر الحالي (حتى لو انتهت صلاحيته)",
    "ru": "Прежнее удостоверение личности или паспорт (даже с истёкшим сроком)",
    "pl": "Dotychczasowy dowód osobisty lub paszport (także nieważny)",
    "ro": "Actul de identitate sau pașaportul actual (chiar dacă a expirat)",
    "fa": "کارت شناسایی یا گذرنامه فعلی (حتی اگر منقضی شده باشد)",
}

BIRTH_CERTIFICATE: Text = {
    "de": "Geburtsurkunde, wenn Sie erstmals einen Ausweis beantragen",
    "en": "Birth certificate if this is your first ID document",
    "tr": "İlk kez kimlik belgesi alıyorsanız doğum belgesi",
    "uk": "Свідоцтво про народження, якщо ви вперше отримуєте документ",
    "ar": "شهادة الميلاد إذا كانت هذه أول وثيقة هوية لك",
    "ru": "Свидетельство о рождении, если документ оформляется впервые",
    "pl": "Akt urodzenia, jeśli wnioskują Państwo o dokument po raz pierwszy",
    "ro": "Certificat de naștere, dacă solicitați un act pentru prima dată",
    "fa": "گواهی تولد، اگر برای نخستین بار مدرک شناسایی می‌گیرید",
}

CONSENT_UNDER_16: Text = {
    "de": "Bei Kindern unter 16: schriftliche Zustimmung aller Sorgeberechtigten und deren Ausweise",
    "en": "For children under 16: written consent of everyone with parental custody, and their ID documents",
    "tr": "16 yaşından küçük çocuklar için: tüm velayet sahiplerinin yazılı onayı ve kimlik belgeleri",
    "uk": "Для дітей до 16 років: письмова згода всіх, хто має батьківські права, та їхні документи",
    "ar": "للأطفال دون 16 سنة: موافقة خطية من جميع أصحاب الحضانة ووثائق هويتهم",
    "ru": "Для детей до 16 лет: письменное согласие всех законных представителей и их документы",
    "pl": "W przypadku dzieci poniżej 16 lat: pisemna zgoda wszystkich osób sprawujących władzę rodzicielską i ich dokumenty tożsamości",
    "ro": "Pentru copiii sub 16 ani: acordul scris al tuturor celor care au autoritate părintească și actele lor de identitate",
    "fa": "برای کودکان زیر ۱۶ سال: رضایت کتبی همه دارندگان حق حضانت و مدارک شناسایی آنان",
}

CONSENT: Text = {
    "de": "Schriftliche Zustimmung aller Sorgeberechtigten und deren Ausweise",
    "en": "Written consent of everyone with parental custody, and their ID documents",
    "tr": "Tüm velayet sahiplerinin yazılı onayı ve kimlik belgeleri",
    "uk": "Письмова згода всіх, хто має батьківські права, та їхні документи",
    "ar": "موافقة خطية من جميع أصحاب الحضانة ووثائق هويتهم",
    "ru": "Письменное согласие всех законных представителей и их документы",
    "pl": "Pisemna zgoda wszystkich osób sprawujących władzę rodzicielską i ich dokumenty tożsamości",
    "ro": "Acordul scris al tuturor celor care au autoritate părintească și actele lor de identitate",
    "fa": "رضایت کتبی همه دارندگان حق حضانت و مدارک شناسایی آنان",
}

ID_OR_PASSPORT: Text = {
    "de": "Personalausweis oder Reisepass",
    "en": "ID card or passport",
    "tr": "Kimlik kartı veya pasaport",
    "uk": "Посвідчення особи або паспорт",
    "ar": "بطاقة الهوية أو جواز السفر",
    "ru": "Удостоверение личности или паспорт",
    "pl": "Dowód osobisty lub paszport",
    "ro": "Cartea de identitate sau pașaportul",
    "fa": "کارت شناسایی یا گذرنامه",
}
