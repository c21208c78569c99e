package io.microgpt.core.tokenizer;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.microgpt.core.MicrogptException;
import io.microgpt.core.data.Dataset;
import java.util.List;
import org.junit.jupiter.api.Test;

class TokenizerTest {

    @Test
    void sortedUniqueCharactersGetIdsAndBosComesLast() {
        Tokenizer t = Tokenizer.fromDocuments(List.of("emma", "ava", "zoe"));
        assertEquals("aemovz", t.symbols());
        assertEquals(6, t.bos());
        assertEquals(7, t.vocabSize());
        assertArrayEquals(new int[] {6, 1, 2, 2, 0, 6}, t.encodeDocument("emma"));
    }

    @Test
    void encodeDecodeRoundTrip() {
        Tokenizer t = Tokenizer.fromDocuments(Dataset.bundledNames().documents());
        assertEquals(27, t.vocabSize());
        for (String name : List.of("emma", "xavier", "zzyzx", "a")) assertEquals(name, t.decode(t.encode(name)));
    }

    @Test
    void codePointsAreSingleTokens() {
        String text = "日本😀é";
        Tokenizer t = Tokenizer.fromDocuments(List.of(text));
        assertEquals(5, t.vocabSize(), "4 code points + BOS, though the emoji is 2 UTF-16 chars");
        assertEquals(text, t.decode(t.encode(text)));
        assertEquals(t, t);
        assertEquals(text.codePoints().sorted().collect(StringBuilder::new, StringBuilder::appendCodePoint,
                StringBuilder::append).toString(), t.symbols());
    }

    @Test
    void unknownCharacterIsAClearError() {
        Tokenizer t = Tokenizer.fromDocuments(List.of("abc"));
        MicrogptException e = assertThrows(MicrogptException.class, () -> t.encode("abd"));
        assertTrue(e.getMessage().contains("'d'") && e.getMessage().contains("U+0064"), e.getMessage());
        assertThrows(MicrogptException.class, () -> t.symbol(t.bos()));
    }

    @Test
    void symbolsRoundTripThroughOfSymbols() {
        Tokenizer t = Tokenizer.fromDocuments(List.of("hello", "wörld😀"));
        Tokenizer u = Tokenizer.ofSymbols(t.symbols());
        assertEquals(t.symbols(), u.symbols());
        assertThrows(MicrogptException.class, () -> Tokenizer.ofSymbols("ba"));
        assertThrows(MicrogptException.class, () -> Tokenizer.ofSymbols("aa"));
    }
}
