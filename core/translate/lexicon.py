"""The built-in English -> Korean lexicon: (English, Korean) forms of each word class.

Verbs carry (English 3rd person, English base, Korean sentence-final, Korean adnominal) forms:
the adnominal form ("읽는") is the one a relative clause puts before its noun.
"""

from __future__ import annotations

PEOPLE = (
    ("student", "학생"),
    ("teacher", "선생님"),
    ("friend", "친구"),
    ("child", "아이"),
    ("doctor", "의사"),
    ("farmer", "농부"),
    ("singer", "가수"),
    ("king", "왕"),
    ("man", "남자"),
    ("woman", "여자"),
    ("baby", "아기"),
    ("cook", "요리사"),
    ("dog", "개"),
    ("cat", "고양이"),
    ("bird", "새"),
    ("horse", "말"),
)
THINGS = (
    ("book", "책"),
    ("apple", "사과"),
    ("letter", "편지"),
    ("bread", "빵"),
    ("water", "물"),
    ("song", "노래"),
    ("car", "자동차"),
    ("house", "집"),
    ("picture", "그림"),
    ("cake", "케이크"),
    ("newspaper", "신문"),
    ("door", "문"),
    ("flower", "꽃"),
    ("ball", "공"),
    ("milk", "우유"),
    ("movie", "영화"),
    ("window", "창문"),
    ("bag", "가방"),
    ("hat", "모자"),
    ("phone", "전화기"),
)
PRONOUNS = (
    ("I", "나", "base"),
    ("you", "너", "base"),
    ("he", "그", "third"),
    ("she", "그녀", "third"),
    ("we", "우리", "base"),
    ("they", "그들", "base"),
)
TRANSITIVE = (
    ("reads", "read", "읽는다", "읽는"),
    ("eats", "eat", "먹는다", "먹는"),
    ("writes", "write", "쓴다", "쓰는"),
    ("sees", "see", "본다", "보는"),
    ("likes", "like", "좋아한다", "좋아하는"),
    ("makes", "make", "만든다", "만드는"),
    ("buys", "buy", "산다", "사는"),
    ("finds", "find", "찾는다", "찾는"),
    ("opens", "open", "연다", "여는"),
    ("drinks", "drink", "마신다", "마시는"),
    ("draws", "draw", "그린다", "그리는"),
    ("loves", "love", "사랑한다", "사랑하는"),
    ("washes", "wash", "씻는다", "씻는"),
    ("sells", "sell", "판다", "파는"),
    ("carries", "carry", "나른다", "나르는"),
    ("wants", "want", "원한다", "원하는"),
)
INTRANSITIVE = (
    ("runs", "run", "달린다", "달리는"),
    ("sleeps", "sleep", "잔다", "자는"),
    ("laughs", "laugh", "웃는다", "웃는"),
    ("walks", "walk", "걷는다", "걷는"),
    ("cries", "cry", "운다", "우는"),
    ("swims", "swim", "수영한다", "수영하는"),
    ("dances", "dance", "춤춘다", "춤추는"),
    ("sings", "sing", "노래한다", "노래하는"),
)
ADJECTIVES = (
    ("big", "큰"),
    ("small", "작은"),
    ("red", "빨간"),
    ("new", "새로운"),
    ("happy", "행복한"),
    ("kind", "친절한"),
    ("young", "젊은"),
    ("pretty", "예쁜"),
    ("smart", "똑똑한"),
    ("old", "오래된"),
    ("blue", "파란"),
    ("good", "좋은"),
    ("lazy", "게으른"),
    ("hungry", "배고픈"),
)
ADVERBS = (
    ("quickly", "빨리"),
    ("slowly", "천천히"),
    ("quietly", "조용히"),
    ("happily", "행복하게"),
    ("often", "자주"),
    ("carefully", "조심스럽게"),
)
PLACES = (
    ("in the park", "공원에서"),
    ("at school", "학교에서"),
    ("in the garden", "정원에서"),
    ("at home", "집에서"),
    ("in the kitchen", "부엌에서"),
    ("at the library", "도서관에서"),
    ("in the city", "도시에서"),
    ("at the station", "역에서"),
)
TIMES = (
    ("today", "오늘"),
    ("every day", "매일"),
    ("in the morning", "아침에"),
    ("at night", "밤에"),
    ("on sunday", "일요일에"),
)
