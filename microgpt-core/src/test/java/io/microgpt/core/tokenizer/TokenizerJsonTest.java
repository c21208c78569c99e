package io.microgpt.core.tokenizer;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.microgpt.core.MicrogptException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Files that are not a byte-level BPE we can encode exactly as Python does are refused in one line. */
class TokenizerJsonTest {
    private static final String GOOD = Fixtures.resource("mixed-bytes-320.json");
    private static final String NAME = "tokenizer file 'bad.json'";

    @Test
    void aFileSavedAndReadBackIsTheSameTokenizer(@TempDir Path dir) throws Exception {
        BpeTokenizer t = Fixtures.tokenizer("mixed-bytes-320.json");
        Path file = dir.resolve("tokenizer.json");
        Files.writeString(file, t.toJson());
        BpeTokenizer back = BpeTokenizer.read(file);
        assertEquals(t.toJson(), back.toJson());
        assertArrayEquals(t.encode(Fixtures.mixed()), back.encode(Fixtures.mixed()));
    }

    @Test
    void mergesWrittenAsSpaceSeparatedStringsReadTheSame() {
        // the format before tokenizers 0.20: "a b" instead of ["a", "b"]
        String old = GOOD.replaceAll("\\[\\n\\s+\"([^\"]+)\",\\n\\s+\"([^\"]+)\"\\n\\s+\\]", "\"$1 $2\"");
        assertTrue(old.contains("\"ð Ł\""), "the rewrite worked");
        BpeTokenizer t = BpeTokenizer.fromJson(old, "old.json");
        assertArrayEquals(Fixtures.tokenizer("mixed-bytes-320.json").encode(Fixtures.mixed()), t.encode(Fixtures.mixed()));
    }

    @Test
    void aBosListedInTheVocabularyTooIsAccepted() {
        // GPT-2's own file lists <|endoftext|> in the model's vocabulary as well as among the added tokens
        String gpt2Style = GOOD.replace("\"vocab\": {\n", "\"vocab\": {\n      \"<|bos|>\": 320,\n");
        assertEquals(320, BpeTokenizer.fromJson(gpt2Style, "x").bos());
        String clash = GOOD.replace("\"vocab\": {\n", "\"vocab\": {\n      \"<|bos|>\": 7,\n");
        refused(clash, NAME + ": BOS '<|bos|>' has id 320 among the added tokens but 7 in the vocabulary");
    }

    @Test
    void invalidJsonNamesTheFileAndThePlace() {
        refused(GOOD.substring(0, 200), NAME + " is not valid JSON: unexpected end at line 11, column 16");
        refused(GOOD.replace("\"version\": \"1.0\",", "\"version\": \"1.0\",,"),
                NAME + " is not valid JSON: expected a string key at line 2, column 20");
    }

    @Test
    void otherModelsArePlainlyNotByteLevelBpe() {
        refused(GOOD.replace("\"type\": \"BPE\"", "\"type\": \"WordPiece\""),
                NAME + " is not a byte-level BPE: its model type is 'WordPiece', not 'BPE'");
        refused(GOOD.replace("\"pre_tokenizer\": {\n    \"type\": \"ByteLevel\"", "\"pre_tokenizer\": {\n    \"type\": \"Metaspace\""),
                NAME + " uses the pre_tokenizer 'Metaspace' (only ByteLevel is supported), which microgpt does not support");
        refused(GOOD.replace("\"decoder\": {\n    \"type\": \"ByteLevel\"", "\"decoder\": {\n    \"type\": \"BPEDecoder\""),
                NAME + " is not a byte-level BPE: its decoder is not ByteLevel");
        refused(GOOD.replace("\"€\"", "\"x\"").replace("\"!\": 0,", "\"€\": 0,"),
                NAME + " is not a byte-level BPE: vocabulary entry '€' (id 0) is not spelled in GPT-2's byte characters");
    }

    @Test
    void settingsThatWouldChangeTheIdsAreRefused() {
        refused(GOOD.replace("\"normalizer\": null", "\"normalizer\": {\"type\": \"NFC\"}"),
                NAME + " uses a normalizer, which microgpt does not support");
        refused(GOOD.replace("\"post_processor\": null", "\"post_processor\": {\"type\": \"TemplateProcessing\"}"),
                NAME + " uses the post_processor 'TemplateProcessing' (it adds tokens), which microgpt does not support");
        refused(GOOD.replace("\"dropout\": null", "\"dropout\": 0.1"),
                NAME + " uses BPE dropout, which microgpt does not support");
        refused(GOOD.replace("\"ignore_merges\": false", "\"ignore_merges\": true"),
                NAME + " uses ignore_merges, which microgpt does not support");
        refused(GOOD.replace("\"add_prefix_space\": false", "\"add_prefix_space\": true"),
                NAME + " uses add_prefix_space, which microgpt does not support");
    }

    @Test
    void mergesOverUnknownTokensAreRefused() {
        refused(GOOD.replace("[\n        \"ð\",\n        \"Ł\"\n      ]", "[\n        \"ð\",\n        \"zzz\"\n      ]"),
                NAME + ": merge 0 ('ð' 'zzz') refers to 'zzz', which is not in the vocabulary");
        refused(GOOD.replace("[\n        \"ð\",\n        \"Ł\"\n      ]", "[\n        \"ð\",\n        \"!\"\n      ]"),
                NAME + ": merge 0 ('ð' '!') makes 'ð!', which is not in the vocabulary");
        refused(GOOD.replace("[\n        \"Â\",\n        \"ł\"\n      ]", "[\n        \"ð\",\n        \"Ł\"\n      ]"),
                NAME + ": merge 1 ('ð' 'Ł') repeats merge 0");
        refused(GOOD.replace("[\n        \"ð\",\n        \"Ł\"\n      ]", "[\"ð\"]"),
                NAME + ": merge 0 is neither a pair of strings nor \"left right\"");
    }

    @Test
    void idsMustCoverTheVocabularyWithoutGapsOrTwins() {
        refused(GOOD.replace("\"!\": 0,", "\"!\": 400,"),
                NAME + ": id 400 of '!' leaves a gap: 321 tokens should have ids 0..320");
        refused(GOOD.replace("\"!\": 0,", "\"!\": 1,"), NAME + ": id 1 is given to two tokens");
        refused(GOOD.replace("\"!\": 0,", "\"!\": -3,"), NAME + ": vocabulary entry '!' has no valid id (a whole number from 0)");
    }

    @Test
    void aVocabularyWithoutEveryByteIsRefused() {
        refused(GOOD.replace("\"!\": 0,", "\"!!\": 0,"),
                NAME + " is not a byte-level BPE: the vocabulary has no token for byte 0x21 ('!')");
    }

    @Test
    void exactlyOneSpecialTokenIsNeeded() {
        refused(GOOD.replace("\"special\": true", "\"special\": false"),
                NAME + ": added token '<|bos|>' is not special; the one added token must be the special BOS");
        String none = GOOD.substring(0, GOOD.indexOf("\"added_tokens\": [") + 17)
                + GOOD.substring(GOOD.indexOf("],\n  \"normalizer\""));
        refused(none, NAME + ": has 0 special tokens; exactly one (BOS, which starts and ends every document) is needed");
    }

    @Test
    void aMissingFileIsOneLine(@TempDir Path dir) {
        MicrogptException e = assertThrows(MicrogptException.class, () -> BpeTokenizer.read(dir.resolve("none.json")));
        assertTrue(e.getMessage().startsWith("cannot read tokenizer file '" + dir.resolve("none.json") + "': NoSuchFileException"),
                e.getMessage());
    }

    private static void refused(String json, String message) {
        MicrogptException e = assertThrows(MicrogptException.class, () -> BpeTokenizer.fromJson(json, "bad.json"));
        assertEquals(message, e.getMessage());
    }
}
