package io.microgpt.core.tokenizer;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** decode(encode(t)) == t on random Unicode, for a tokenizer with GPT-2's pattern and one without. */
class RoundTripTest {
    private static final BpeTokenizer SPLITTING = Fixtures.tokenizer("shakespeare-1024.json");
    private static final BpeTokenizer WHOLE = Fixtures.tokenizer("mixed-bytes-320.json");

    @Test
    void decodingAnEncodedTextGivesItBack() {
        for (long seed = 1; seed <= 3000; seed++) {
            String text = RandomText.of(new Random(seed), 80);
            for (BpeTokenizer t : List.of(SPLITTING, WHOLE)) {
                assertEquals(text, t.decode(t.encode(text)), RandomText.describe(seed, text));
            }
        }
    }

    @Test
    void unpairedSurrogatesComeBackAsReplacementCharacters() {
        for (long seed = 1; seed <= 1000; seed++) {
            Random random = new Random(seed);
            String text = RandomText.of(random, 40);
            int at = random.nextInt(text.length() + 1);
            if (at > 0 && at < text.length() && Character.isLowSurrogate(text.charAt(at))) at--;   // pairs stay whole
            char surrogate = (char) (Character.MIN_SURROGATE + random.nextInt(0x800));
            if (Character.isHighSurrogate(surrogate) && at < text.length()
                    && Character.isLowSurrogate(text.charAt(at))) {
                continue;   // it would pair up
            }
            if (Character.isLowSurrogate(surrogate) && at > 0 && Character.isHighSurrogate(text.charAt(at - 1))) {
                continue;
            }
            String broken = text.substring(0, at) + surrogate + text.substring(at);
            String repaired = text.substring(0, at) + '\uFFFD' + text.substring(at);
            for (BpeTokenizer t : List.of(SPLITTING, WHOLE)) {
                assertEquals(repaired, t.decode(t.encode(broken)), RandomText.describe(seed, broken));
            }
        }
    }

    @Test
    void theIncrementalDecoderMatchesDecodingAtOnce() {
        for (long seed = 1; seed <= 2000; seed++) {
            Random random = new Random(seed);
            int[] ids = new int[random.nextInt(31)];
            for (int i = 0; i < ids.length; i++) ids[i] = random.nextInt(SPLITTING.vocabSize());
            IncrementalDecoder decoder = SPLITTING.decoder();
            StringBuilder sb = new StringBuilder();
            for (int id : ids) sb.append(decoder.next(id));
            sb.append(decoder.finish());
            assertEquals(SPLITTING.decode(ids), sb.toString(), "seed " + seed + ", ids " + java.util.Arrays.toString(ids));
        }
    }
}
