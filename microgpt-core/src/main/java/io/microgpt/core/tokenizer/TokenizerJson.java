package io.microgpt.core.tokenizer;

import io.microgpt.core.MicrogptException;
import io.microgpt.core.Text;
import io.microgpt.core.json.Json;
import io.microgpt.core.json.PrettyJson;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Hugging Face's {@code tokenizer.json} for a byte-level BPE, both ways. What we write is what Python's
 * {@code Tokenizer.save} writes for the same model, byte for byte: a BPE model whose vocabulary spells tokens in
 * GPT-2's byte stand-ins ({@link ByteLevel}) and whose merges are pairs of such strings, the ByteLevel pre-tokenizer
 * ({@code use_regex} as {@link BpeTokenizer#splitsWords()}, no prefix space) and decoder, and BOS as the one added
 * special token.
 *
 * <p>What we read is any such file (GPT-2's own, or one from Python; merges as pairs or as "a b" strings) and
 * nothing else: a part that would make Python encode differently from us (a normalizer, another pre-tokenizer,
 * a template post-processor, dropout, unknown-token or subword-prefix settings, padding, truncation) is refused
 * with a one-line {@link MicrogptException} naming the file and the part, as are merges over unknown tokens, ids
 * that leave gaps, tokens that are not byte stand-ins and vocabularies that lack a byte. Stateless; thread-safe.
 */
final class TokenizerJson {
    private static final int MAX_DEPTH = 8;

    private TokenizerJson() {
    }

    static String write(BpeTokenizer tokenizer) {
        Map<String, Object> root = new LinkedHashMap<>();
        root.put("version", "1.0");
        root.put("truncation", null);
        root.put("padding", null);
        Map<String, Object> bos = new LinkedHashMap<>();
        bos.put("id", tokenizer.bos());
        bos.put("content", tokenizer.bosText());
        bos.put("single_word", false);
        bos.put("lstrip", false);
        bos.put("rstrip", false);
        bos.put("normalized", false);
        bos.put("special", true);
        root.put("added_tokens", List.of(bos));
        root.put("normalizer", null);
        root.put("pre_tokenizer", byteLevel(false, tokenizer.splitsWords()));
        root.put("post_processor", null);
        root.put("decoder", byteLevel(true, true));
        Map<String, Object> model = new LinkedHashMap<>();
        model.put("type", "BPE");
        model.put("dropout", null);
        model.put("unk_token", null);
        model.put("continuing_subword_prefix", null);
        model.put("end_of_word_suffix", null);
        model.put("fuse_unk", false);
        model.put("byte_fallback", false);
        model.put("ignore_merges", false);
        Map<String, Object> vocab = new LinkedHashMap<>();
        for (int id = 0; id < tokenizer.vocabSize(); id++) {
            if (id != tokenizer.bos() || tokenizer.bosInModel()) vocab.put(ByteLevel.encode(tokenizer.bytesOf(id)), id);
        }
        model.put("vocab", vocab);
        MergeTable merges = tokenizer.merges();
        List<Object> pairs = new ArrayList<>(merges.size());
        for (int r = 0; r < merges.size(); r++) {
            pairs.add(List.of(ByteLevel.encode(tokenizer.bytesOf(merges.left(r))),
                    ByteLevel.encode(tokenizer.bytesOf(merges.right(r)))));
        }
        model.put("merges", pairs);
        root.put("model", model);
        return PrettyJson.write(root);
    }

    private static Map<String, Object> byteLevel(boolean addPrefixSpace, boolean useRegex) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("type", "ByteLevel");
        m.put("add_prefix_space", addPrefixSpace);
        m.put("trim_offsets", true);
        m.put("use_regex", useRegex);
        return m;
    }

    /** Reads a tokenizer; {@code name} starts every message (e.g. {@code tokenizer file 'x.json'}). */
    static BpeTokenizer read(String json, String name) {
        return new Reader(name).read(json);
    }

    /** One file's reading, so that every message names the file. */
    private static final class Reader {
        private final String name;

        Reader(String name) {
            this.name = name;
        }

        BpeTokenizer read(String json) {
            Map<String, Object> root = Json.parseObject(json, Json.Rules.full(name, MAX_DEPTH));
            if (root.get("truncation") != null) throw unsupported("truncation");
            if (root.get("padding") != null) throw unsupported("padding");
            if (root.get("normalizer") != null) throw unsupported("a normalizer");
            Map<String, Object> model = object(root, "model");
            String type = string(model, "type", "model");
            if (!type.equals("BPE")) throw notByteLevel("its model type is " + Text.quote(type) + ", not 'BPE'");
            boolean splitWords = preTokenizer(root.get("pre_tokenizer"));
            checkDecoder(root.get("decoder"));
            checkPostProcessor(root.get("post_processor"));
            checkModelOptions(model);

            Map<String, Object> vocab = object(model, "vocab");
            Map<String, Object> bos = bosToken(root);
            String bosText = (String) bos.get("content");
            int bosId = id(bos.get("id"), "added token " + Text.quote(bosText));
            boolean bosInModel = vocab.containsKey(bosText);
            int size = bosInModel ? vocab.size() : vocab.size() + 1;
            byte[][] tokens = new byte[size][];
            Map<String, Integer> ids = new HashMap<>();
            if (bosId >= size) throw problem("BOS id " + bosId + " leaves a gap after the last id " + (size - 1));
            for (Map.Entry<String, Object> e : vocab.entrySet()) {
                int id = id(e.getValue(), "vocabulary entry " + Text.quote(e.getKey()));
                if (e.getKey().equals(bosText) && id != bosId) {
                    throw problem("BOS " + Text.quote(bosText) + " has id " + bosId + " among the added tokens but "
                            + id + " in the vocabulary");
                }
                if (id >= size) throw problem("id " + id + " of " + Text.quote(e.getKey())
                        + " leaves a gap: " + size + " tokens should have ids 0.." + (size - 1));
                if (tokens[id] != null || (id == bosId && !bosInModel)) {
                    throw problem("id " + id + " is given to two tokens");
                }
                byte[] bytes = ByteLevel.decode(e.getKey());
                if (bytes == null || bytes.length == 0) {
                    throw notByteLevel("vocabulary entry " + Text.quote(e.getKey()) + " (id " + id
                            + ") is not spelled in GPT-2's byte characters");
                }
                tokens[id] = bytes;
                ids.put(e.getKey(), id);
            }
            if (!bosInModel) tokens[bosId] = new byte[0];
            for (int b = 0; b < 256; b++) {
                if (!ids.containsKey(String.valueOf(ByteLevel.charOf(b)))) {
                    throw notByteLevel(String.format("the vocabulary has no token for byte 0x%02x (%s)", b,
                            Text.quote(ByteLevel.charOf(b))));
                }
            }
            MergeTable merges = merges(model, ids);
            return new BpeTokenizer(tokens, bosId, bosText, bosInModel, merges, splitWords);
        }

        private boolean preTokenizer(Object value) {
            if (!(value instanceof Map<?, ?> map)) {
                throw notByteLevel("its pre_tokenizer is " + (value == null ? "null" : "not an object")
                        + ", not ByteLevel");
            }
            Map<String, Object> m = cast(map);
            String type = string(m, "type", "pre_tokenizer");
            if (!type.equals("ByteLevel")) {
                throw unsupported("the pre_tokenizer " + Text.quote(type) + " (only ByteLevel is supported)");
            }
            if (bool(m, "add_prefix_space", "pre_tokenizer", false)) {
                throw unsupported("add_prefix_space");
            }
            return bool(m, "use_regex", "pre_tokenizer", true);
        }

        private void checkDecoder(Object value) {
            if (!(value instanceof Map<?, ?> map) || !"ByteLevel".equals(map.get("type"))) {
                throw notByteLevel("its decoder is not ByteLevel");
            }
        }

        private void checkPostProcessor(Object value) {
            if (value == null) return;
            if (!(value instanceof Map<?, ?> map) || !"ByteLevel".equals(map.get("type"))) {
                Object type = value instanceof Map<?, ?> map ? map.get("type") : null;
                throw unsupported("the post_processor " + Text.quote(type) + " (it adds tokens)");
            }
        }

        private void checkModelOptions(Map<String, Object> model) {
            if (model.get("dropout") != null) throw unsupported("BPE dropout");
            for (String key : new String[] {"continuing_subword_prefix", "end_of_word_suffix"}) {
                Object v = model.get(key);
                if (v != null && !"".equals(v)) throw unsupported(key + " " + Text.quote(v));
            }
            if (bool(model, "byte_fallback", "model", false)) throw unsupported("byte_fallback");
            if (bool(model, "ignore_merges", "model", false)) throw unsupported("ignore_merges");
        }

        private Map<String, Object> bosToken(Map<String, Object> root) {
            Object value = root.get("added_tokens");
            if (!(value instanceof List<?> list)) throw problem("added_tokens is missing or not a list");
            List<Map<String, Object>> special = new ArrayList<>();
            for (Object item : list) {
                if (!(item instanceof Map<?, ?> map)) throw problem("an added token is not an object");
                Map<String, Object> token = cast(map);
                if (!(token.get("content") instanceof String content) || content.isEmpty()) {
                    throw problem("an added token has no content");
                }
                if (!Boolean.TRUE.equals(token.get("special"))) {
                    throw problem("added token " + Text.quote(content) + " is not special; the one added token"
                            + " must be the special BOS");
                }
                for (String key : new String[] {"single_word", "lstrip", "rstrip"}) {
                    if (bool(token, key, "added token", false)) {
                        throw unsupported(key + " on the added token " + Text.quote(content));
                    }
                }
                special.add(token);
            }
            if (special.size() != 1) {
                throw problem("has " + special.size() + " special tokens; exactly one (BOS, which starts and ends"
                        + " every document) is needed");
            }
            return special.get(0);
        }

        private MergeTable merges(Map<String, Object> model, Map<String, Integer> ids) {
            Object value = model.get("merges");
            if (!(value instanceof List<?> list)) throw problem("model merges is missing or not a list");
            int n = list.size();
            int[] left = new int[n];
            int[] right = new int[n];
            int[] result = new int[n];
            Map<Long, Integer> seen = new HashMap<>();
            for (int r = 0; r < n; r++) {
                String[] pair = pair(list.get(r), r);
                left[r] = known(pair[0], pair, r, ids);
                right[r] = known(pair[1], pair, r, ids);
                Integer made = ids.get(pair[0] + pair[1]);
                if (made == null) {
                    throw problem("merge " + r + " " + shown(pair) + " makes " + Text.quote(pair[0] + pair[1])
                            + ", which is not in the vocabulary");
                }
                result[r] = made;
                Integer earlier = seen.put(((long) left[r] << 32) | right[r], r);
                if (earlier != null) throw problem("merge " + r + " " + shown(pair) + " repeats merge " + earlier);
            }
            return new MergeTable(left, right, result);
        }

        private String[] pair(Object item, int rank) {
            if (item instanceof String s) {
                String[] parts = s.split(" ", -1);
                if (parts.length == 2) return parts;
            } else if (item instanceof List<?> l && l.size() == 2 && l.get(0) instanceof String a
                    && l.get(1) instanceof String b) {
                return new String[] {a, b};
            }
            throw problem("merge " + rank + " is neither a pair of strings nor \"left right\"");
        }

        private int known(String token, String[] pair, int rank, Map<String, Integer> ids) {
            Integer id = ids.get(token);
            if (id == null) {
                throw problem("merge " + rank + " " + shown(pair) + " refers to " + Text.quote(token)
                        + ", which is not in the vocabulary");
            }
            return id;
        }

        private static String shown(String[] pair) {
            return "(" + Text.quote(pair[0]) + " " + Text.quote(pair[1]) + ")";
        }

        private int id(Object value, String what) {
            if (!(value instanceof Long id) || id < 0 || id > Integer.MAX_VALUE - 1) {
                throw problem(what + " has no valid id (a whole number from 0)");
            }
            return (int) (long) id;
        }

        private Map<String, Object> object(Map<String, Object> parent, String key) {
            Object value = parent.get(key);
            if (!(value instanceof Map<?, ?> map)) throw problem(key + " is missing or not an object");
            return cast(map);
        }

        private String string(Map<String, Object> parent, String key, String where) {
            if (!(parent.get(key) instanceof String s)) throw problem(where + " " + key + " is missing or not a string");
            return s;
        }

        private boolean bool(Map<String, Object> parent, String key, String where, boolean absent) {
            Object value = parent.get(key);
            if (value == null) return absent;
            if (!(value instanceof Boolean b)) throw problem(where + " " + key + " is not true or false");
            return b;
        }

        @SuppressWarnings("unchecked")
        private static Map<String, Object> cast(Map<?, ?> map) {
            return (Map<String, Object>) map;
        }

        private MicrogptException notByteLevel(String why) {
            return new MicrogptException(name + " is not a byte-level BPE: " + why);
        }

        private MicrogptException unsupported(String what) {
            return new MicrogptException(name + " uses " + what + ", which microgpt does not support");
        }

        private MicrogptException problem(String what) {
            return new MicrogptException(name + ": " + what);
        }
    }
}
