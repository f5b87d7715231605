"""Names, affiliations and titles in every writing system a conference meets, for the engine tests.

Written for booklet's tests (real-style names, not real people's records): each entry is
(script, name, affiliation). Latin covers the letters pdfLaTeX can only stack (Vietnamese horn and
hook above, Yoruba tone marks over dots below, IAST macrons, Azerbaijani schwa, the Hawaiian ʻokina,
Maltese, Romanian comma below, Latvian and Lithuanian); the others are whole scripts.
"""

from __future__ import annotations

PEOPLE = [
    ("vietnamese", "Nguyễn Thị Minh Khai", "Đại học Bách khoa Hà Nội"),
    ("vietnamese", "Đặng Văn Bội", "Trường Đại học Công nghệ"),
    ("yoruba", "Adébáyọ̀ Ògúnlẹ̀sì", "Ọbáfẹ́mi Awólọ́wọ̀ University"),
    ("iast", "Rāmānuja Śrīnivāsan", "Śrīperumbudūr Institute"),
    ("azerbaijani", "Rəşad Əliyev", "Bakı Dövlət Universiteti"),
    ("hawaiian", "Kaʻiulani Kawānanakoa", "Ke Kulanui o Hawaiʻi"),
    ("maltese", "Ġużè Ħabib", "L-Università ta' Malta"),
    ("romanian", "Ștefan Țiriac", "Universitatea Politehnica din București"),
    ("latvian", "Līga Ozoliņa", "Latvijas Universitāte"),
    ("lithuanian", "Jūratė Čiurlionienė", "Vilniaus universitetas, Ąžuolų g."),
    ("greek", "Γιώργος Παπαδόπουλος", "Εθνικό Μετσόβιο Πολυτεχνείο"),
    ("greek", "Άννα Κωνσταντίνου", "Πανεπιστήμιο Θεσσαλίας"),
    ("russian", "Ирина Смирнова", "Московский государственный университет"),
    ("ukrainian", "Олександр Іваненко", "Київський політехнічний інститут"),
    ("serbian", "Ђорђе Јовановић", "Универзитет у Београду"),
    ("bulgarian", "Цветана Щерева", "Софийски университет"),
    ("chinese", "王小明", "清华大学"),
    ("chinese", "陳美玲", "國立臺灣大學"),
    ("japanese", "山田 太郎", "東京大学"),
    ("japanese", "さくら ひなた", "京都大学"),
    ("korean", "김민준", "서울대학교"),
    ("arabic", "محمد علي", "جامعة القاهرة"),
    ("arabic", "فاطمة الزهراء", "جامعة الملك سعود"),
    ("hebrew", "דוד כהן", "אוניברסיטת תל אביב"),
    ("hebrew", "שרה לוי", "הטכניון"),
    ("devanagari", "अनिल कुमार", "भारतीय प्रौद्योगिकी संस्थान"),
    ("devanagari", "क्षितिज त्रिपाठी", "दिल्ली विश्वविद्यालय"),
    ("thai", "สมชาย ใจดี", "จุฬาลงกรณ์มหาวิทยาลัย"),
]

# Vietnamese names put the family name first; a program says so with `family:`.
FAMILY = {"Nguyễn Thị Minh Khai": "Nguyễn", "Đặng Văn Bội": "Đặng"}

TITLES = [
    "Ανάλυση δικτύων για την τεχνητή νοημοσύνη",
    "Сети для искусственного интеллекта",
    "面向人工智能的数据中心网络",
    "인공지능을 위한 네트워크",
    "شبكات الذكاء الاصطناعي",
    "רשתות לבינה מלאכותית",
    "कृत्रिम बुद्धिमत्ता के लिए नेटवर्क",
    "เครือข่ายสำหรับปัญญาประดิษฐ์",
]


def program() -> dict:
    """A one-day program whose papers carry every name, affiliation and title above."""
    papers, talks = [], []
    minute = 9 * 60
    for index, (_, name, affiliation) in enumerate(PEOPLE):
        title = TITLES[index % len(TITLES)] if index < len(TITLES) else f"Networks for AI, part {index}"
        author = {"name": name, "affiliation": affiliation, **({"family": FAMILY[name]} if name in FAMILY else {})}
        papers.append({"id": f"p{index}", "title": title, "authors": [author]})
        talks.append({"paper": f"p{index}", "start": f"{minute // 60:02d}:{minute % 60:02d}",
                      "end": f"{(minute + 10) // 60:02d}:{(minute + 10) % 60:02d}"})
        minute += 10
    half = len(talks) // 2
    sessions = [
        {"kind": "session", "number": 1, "title": "Names of the world", "chairs": [PEOPLE[0][1]],
         "start": talks[0]["start"], "end": talks[half - 1]["end"], "talks": talks[:half]},
        {"kind": "session", "number": 2, "title": "Ονόματα του κόσμου · 世界の名前 · أسماء العالم",
         "chairs": [PEOPLE[21][1], PEOPLE[16][1]], "start": talks[half]["start"], "end": talks[-1]["end"],
         "talks": talks[half:]},
    ]
    return {
        "name": "International Workshop on Networks for AI", "acronym": "IWNA", "year": "2026",
        "venue": "Αθήνα · Київ · 서울 · תל אביב · Hà Nội", "timezone": "Europe/Athens",
        "rooms": [{"id": "main", "name": "Αίθουσα Α"}],
        "papers": papers,
        "days": [{"date": "2026-06-01", "slots": sessions}],
        "committees": [{"title": "General chairs", "role": "general",
                        "members": [{"name": PEOPLE[10][1], "affiliation": PEOPLE[10][2]},
                                    {"name": PEOPLE[19][1], "affiliation": PEOPLE[19][2]}]}],
    }
