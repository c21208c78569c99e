"""A text that exercises a byte-level tokenizer where plain English does not: source code, accented and CJK
text, emoji (with skin tones, ZWJ sequences and flags), combining marks, right-to-left scripts, unusual
whitespace (tabs, CRLF, NBSP, ideographic space, line and paragraph separators, vertical tab, form feed, runs of
spaces), contractions in all cases, numbers, and the BOS token's text itself. Deterministic (seeded), so the
fixtures made from it are reproducible. Used by make_fixtures.py and compare.py."""
import random

FIXED = [
    "public static int[] encode(String text) {\n\tint n = text.length(); // 42 tokens?\n\treturn ids;\n}\n",
    "def f(x):\n    return {'a': [1, 2.5e-3, None], \"b\": x ** 2}  # comment\r\n",
    "if (a != b && c <= d) { x += 0x1F; y >>>= 3; }\n",
    "Crème brûlée, naïve café, Straße, Ærøskøbing, Łódź, Dvořák, São Paulo.\n",
    "Tiếng Việt có dấu: Người ta nói rằng.\n",
    "日本語のテキスト、中文文本，한국어 텍스트。漢字とかな。\n",
    "Emoji: 🙂😀👍🏽 👩‍👩‍👧‍👦 🇫🇷🇯🇵 ❤️ 1️⃣ 🏳️‍🌈\n",
    "Combining: e\u0301 a\u0300\u0323 n\u0303 Z\u0335\u0327\u0301 \u0915\u094d\u0937 \u05e9\u05c1\u05b8\n",
    "Right to left: العربية עברית فارسی\n",
    "Odd spaces:\u00a0nbsp\u3000ideographic\u2003em\u2028line\u2029para\u000bvt\u000cff  two   three\t\ttabs \n",
    "Contractions: don't DON'T it's IT'S we've we'LL I'm they'd ''s 'S\n",
    "Numbers: 3.14159 1,000,000 ½ ⅓ ² ⑦ Ⅻ ١٢٣ ๓\n",
    "Trailing spaces   \n\n\n   leading spaces\n \n",
    "The BOS text <|bos|> inside a line, and <|bos|><|bos|> twice, and <|bos| broken.\n",
    "Greek: Καλημέρα κόσμε. Cyrillic: Съешь же ещё этих мягких французских булок.\n",
    "Math: ∀x∈ℝ, ∃y: x² + y² ≤ 1 ⇒ |x| ≤ 1; ∑ᵢ aᵢ ≠ ∫ f(t) dt.\n",
]

# (first, last) code point ranges to draw random characters from
RANGES = [
    (0x20, 0x7E), (0xA0, 0x24F), (0x370, 0x3FF), (0x400, 0x4FF), (0x590, 0x5FF), (0x600, 0x6FF),
    (0x900, 0x97F), (0xE00, 0xE7F), (0x1100, 0x11FF), (0x2000, 0x206F), (0x3000, 0x30FF), (0x4E00, 0x4FFF),
    (0xAC00, 0xAD00), (0x1F300, 0x1F6FF), (0x1F900, 0x1F9FF), (0x0300, 0x036F),
]


def mixed_text(seed=20260521, random_lines=60):
    rng = random.Random(seed)
    lines = list(FIXED)
    for _ in range(random_lines):
        chars = []
        for _ in range(rng.randint(1, 40)):
            if rng.random() < 0.25:
                chars.append(rng.choice([" ", "  ", "\t", "\n", "'s", "'ll", "\u00a0", "\r\n"]))
            else:
                lo, hi = rng.choice(RANGES)
                chars.append(chr(rng.randint(lo, hi)))
        lines.append("".join(chars) + "\n")
    return "".join(lines)


if __name__ == "__main__":
    import sys
    sys.stdout.write(mixed_text())
