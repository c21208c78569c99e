package io.microgpt.core.tokenizer;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.microgpt.core.MicrogptException;
import io.microgpt.core.data.Dataset;
import java.util.List;
import org.junit.jupiter.api.Test;

class CharTokenizerTest {

    @Test
    void sortedUniqueCharactersGetIdsAndBosComesLast() {
        CharTokenizer t = CharTokenizer.fromDocuments(List.of("emma", "ava", "zoe"));
        assertEquals("aemovz", t.symbols());
        assertEquals(6, t.bos());
        assertEquals(7, t.vocabSize());
        assertArrayEquals(new int[] {6, 1, 2, 2, 0, 6}, t.encodeDocument("emma"));
    }

    @Test
    void encodeDecodeRoundTrip() {
        CharTokenizer t = CharTokenizer.fromDocuments(Dataset.bundledNames().documents());
        assertEquals(27, t.vocabSize());
        for (String name : List.of("emma", "xavier", "zzyzx", "a")) assertEquals(name, t.decode(t.encode(name)));
    }

    @Test
    void codePointsAreSingleTokens() {
        String text = "日本😀é";
        CharTokenizer t = CharTokenizer.fromDocuments(List.of(text));
        assertEquals(5, t.vocabSize(), "4 code points + BOS, though the emoji is 2 UTF-16 chars");
        assertEquals(text, t.decode(t.encode(text)));
        assertEquals(t, t);
        assertEquals(text.codePoints().sorted().collect(StringBuilder::new, StringBuilder::appendCodePoint,
                StringBuilder::append).toString(), t.symbols());
    }

    @Test
    void unknownCharacterIsAClearError() {
        CharTokenizer t = CharTokenizer.fromDocuments(List.of("abc"));
        MicrogptException e = assertThrows(MicrogptException.class, () -> t.encode("abd"));
        assertTrue(e.getMessage().contains("'d'") && e.getMessage().contains("U+0064"), e.getMessage());
        assertThrows(MicrogptException.class, () -> t.symbol(t.bos()));
    }

    @Test
    void symbolsRoundTripThroughOfSymbols() {
        CharTokenizer t = CharTokenizer.fromDocuments(List.of("hello", "wörld😀"));
        CharTokenizer u = CharTokenizer.ofSymbols(t.symbols());
        assertEquals(t.symbols(), u.symbols());
        assertThrows(MicrogptException.class, () -> CharTokenizer.ofSymbols("ba"));
        assertThrows(MicrogptException.class, () -> CharTokenizer.ofSymbols("aa"));
    }

    @Test
    void theDecoderGivesEachCharacterAsItsTokenComes() {
        CharTokenizer t = CharTokenizer.fromDocuments(List.of("hé😀"));
        Tokenizer.Decoder d = t.decoder();
        StringBuilder out = new StringBuilder();
        for (int id : t.encode("😀hé")) out.append(d.next(id));
        assertEquals("😀hé", out.append(d.finish()).toString());
        assertEquals("", t.decoder().finish(), "a character tokenizer holds nothing back");
        assertThrows(MicrogptException.class, () -> t.decoder().next(t.bos()), "BOS is not text");
    }

    @Test
    void aCheckpointRecordsItAsItsCharactersAndRestoresIt() {
        CharTokenizer t = CharTokenizer.fromDocuments(List.of("hello", "wörld😀"));
        assertEquals("char", t.kind());
        assertEquals(t.symbols(), t.serialized(), "the serialised form is the characters in id order, as metadata 'vocab' has them");
        Tokenizer u = Tokenizer.restore(t.kind(), t.serialized());
        assertEquals(t.symbols(), ((CharTokenizer) u).symbols());
        MicrogptException e = assertThrows(MicrogptException.class, () -> Tokenizer.restore("wordpiece", "x"));
        assertEquals("unknown tokenizer kind 'wordpiece' (this microgpt knows 'char' and 'bpe')", e.getMessage());
    }
}
