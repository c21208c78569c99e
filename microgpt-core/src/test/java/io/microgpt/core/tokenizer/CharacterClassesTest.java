package io.microgpt.core.tokenizer;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.fail;

import org.junit.jupiter.api.Test;

class CharacterClassesTest {
    /** White_Space, which Oniguruma's \s is: 25 code points. */
    private static final int[] WHITESPACE = {0x09, 0x0A, 0x0B, 0x0C, 0x0D, 0x20, 0x85, 0xA0, 0x1680, 0x2000, 0x2001,
        0x2002, 0x2003, 0x2004, 0x2005, 0x2006, 0x2007, 0x2008, 0x2009, 0x200A, 0x2028, 0x2029, 0x202F, 0x205F, 0x3000};

    @Test
    void theTableAgreesWithTheJdkWhereverTheJdkDefinesTheCodePoint() {
        // Java 17 knows Unicode 13, Java 25 Unicode 16 (the table's): on 25 every code point agrees
        int checked = 0;
        for (int cp = 0; cp <= Character.MAX_CODE_POINT; cp++) {
            if (!Character.isDefined(cp)) continue;
            checked++;
            byte expected = jdkClass(cp);
            if (CharacterClasses.of(cp) != expected) {
                fail(String.format("U+%04X: table says %d, the JDK's type %d says %d", cp, CharacterClasses.of(cp),
                        Character.getType(cp), expected));
            }
        }
        if (checked < 200_000) fail("only " + checked + " code points defined?");
    }

    @Test
    void whitespaceIsExactlyWhiteSpace() {
        int count = 0;
        for (int cp = 0; cp <= Character.MAX_CODE_POINT; cp++) {
            if (CharacterClasses.of(cp) == CharacterClasses.SPACE) count++;
        }
        assertEquals(WHITESPACE.length, count);
        for (int cp : WHITESPACE) assertEquals(CharacterClasses.SPACE, CharacterClasses.of(cp), Integer.toHexString(cp));
    }

    @Test
    void surrogatesAndUnassignedAreOther() {
        assertEquals(CharacterClasses.OTHER, CharacterClasses.of(0xD800));
        assertEquals(CharacterClasses.OTHER, CharacterClasses.of(0xDFFF));
        assertEquals(CharacterClasses.OTHER, CharacterClasses.of(0x10FFFF));
    }

    private static byte jdkClass(int cp) {
        for (int w : WHITESPACE) if (w == cp) return CharacterClasses.SPACE;
        switch (Character.getType(cp)) {
            case Character.UPPERCASE_LETTER, Character.LOWERCASE_LETTER, Character.TITLECASE_LETTER,
                    Character.MODIFIER_LETTER, Character.OTHER_LETTER:
                return CharacterClasses.LETTER;
            case Character.DECIMAL_DIGIT_NUMBER, Character.LETTER_NUMBER, Character.OTHER_NUMBER:
                return CharacterClasses.NUMBER;
            default:
                return CharacterClasses.OTHER;
        }
    }
}
