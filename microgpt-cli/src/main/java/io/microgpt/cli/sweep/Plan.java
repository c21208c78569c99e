package io.microgpt.cli.sweep;

import com.google.gson.JsonArray;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParseException;
import com.google.gson.JsonParser;
import com.google.gson.stream.JsonWriter;
import io.microgpt.core.MicrogptException;
import java.io.IOException;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;

/**
 * The runs of a sweep: every combination of the grid's axes (the flags given several values), the first axis
 * varying slowest, each with the flags common to all. The same settings always give the same runs in the same
 * order, so that {@code --index I} names the same run on every machine of a cluster.
 *
 * <p>A plan's identity is its settings without those that change how a run executes but not what it computes
 * ({@code --threads}, {@code --log-every}, {@code --save-every}): two invocations with the same identity run the
 * same grid and may share a folder. Immutable.
 *
 * @param settings every setting in the order given, axes and common flags together
 */
public record Plan(List<Setting> settings) {
    /** The validation share a sweep holds out when {@code --val-fraction} is not given: runs are compared by it. */
    public static final String DEFAULT_VAL_FRACTION = "0.1";
    /** Version of plan.json. */
    static final int FORMAT = 1;

    /** Copies the list. */
    public Plan {
        settings = List.copyOf(settings);
    }

    /**
     * The plan of these settings, with {@code --val-fraction} {@value #DEFAULT_VAL_FRACTION} added when it is
     * not given (a sweep compares runs by validation loss).
     */
    public static Plan of(List<Setting> given) {
        List<Setting> settings = new ArrayList<>(given);
        Setting fraction = settings.stream().filter(s -> s.flag().equals("--val-fraction")).findFirst().orElse(null);
        if (fraction == null) {
            settings.add(new Setting("--val-fraction", List.of(DEFAULT_VAL_FRACTION)));
        } else {
            for (String v : fraction.values()) {
                boolean zero;
                try {
                    zero = Double.parseDouble(v) == 0;
                } catch (NumberFormatException e) {
                    zero = false;   // train's parser names the bad value
                }
                if (zero) {
                    throw new MicrogptException("--val-fraction 0 leaves nothing to compare the runs by: a sweep ranks them by"
                            + " validation loss (leave the flag out for " + DEFAULT_VAL_FRACTION + ")");
                }
            }
        }
        return new Plan(settings);
    }

    /** The settings that vary, in order. */
    public List<Setting> axes() {
        return settings.stream().filter(Setting::isAxis).toList();
    }

    /** Number of runs: the product of the axes' sizes (saturating at {@code Long.MAX_VALUE}). */
    public long size() {
        long n = 1;
        for (Setting s : axes()) n = n > Long.MAX_VALUE / s.values().size() ? Long.MAX_VALUE : n * s.values().size();
        return n;
    }

    /** Run {@code index} (0-based). */
    public PlannedRun run(int index) {
        long size = size();
        if (index < 0 || index >= size) throw new IndexOutOfBoundsException("run " + index + " of " + size);
        // mixed radix, the last axis fastest
        List<Setting> axes = axes();
        int[] choice = new int[axes.size()];
        long rest = index;
        for (int a = axes.size() - 1; a >= 0; a--) {
            int n = axes.get(a).values().size();
            choice[a] = (int) (rest % n);
            rest /= n;
        }
        List<Setting> varying = new ArrayList<>();
        List<String> args = new ArrayList<>();
        int a = 0;
        for (Setting s : settings) {
            if (s.isAxis()) {
                int c = choice[a++];
                varying.add(new Setting(s.flag(), List.of(s.values().get(c))));
                args.addAll(s.words(c));
            } else {
                args.addAll(s.words(0));
            }
        }
        return new PlannedRun(index, name(index, size), varying, args);
    }

    /** Every run in order (the caller checks the size first). */
    public List<PlannedRun> runs() {
        List<PlannedRun> runs = new ArrayList<>();
        for (int i = 0; i < size(); i++) runs.add(run(i));
        return runs;
    }

    /** A run's folder name: its index with leading zeros to at least 3 digits, the same width for all. */
    static String name(int index, long size) {
        int width = Math.max(3, String.valueOf(Math.max(0, size - 1)).length());
        return String.format(Locale.ROOT, "%0" + width + "d", index);
    }

    /** The settings that define what the runs compute (see the class comment). */
    public List<Setting> identity() {
        return settings.stream().filter(s -> s.isAxis() || !TrainFlags.EXECUTION_ONLY.contains(s.flag())).toList();
    }

    /** The same plan with other execution settings ({@code --threads} ...): those of {@code other}, where it has them. */
    public Plan withExecutionSettings(List<Setting> other) {
        List<Setting> merged = new ArrayList<>(identity());
        for (Setting s : other) if (TrainFlags.EXECUTION_ONLY.contains(s.flag()) && !s.isAxis()) merged.add(s);
        return new Plan(merged);
    }

    /** A short digest of the identity, written into each result line. */
    public String id() {
        try {
            MessageDigest sha = MessageDigest.getInstance("SHA-256");
            for (Setting s : identity()) {
                sha.update((s.flag() + "\u0000" + String.join("\u0001", s.values()) + "\u0002").getBytes(StandardCharsets.UTF_8));
            }
            return String.format(Locale.ROOT, "%016x", new BigInteger(1, sha.digest()).shiftRight(192).longValue());
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is part of every JDK", e);
        }
    }

    /**
     * What differs between this plan and {@code other} (in terms of flags, as a person would fix them), or an
     * empty list if their identities are the same.
     */
    public List<String> differences(Plan other, String thisName, String otherName) {
        List<String> changes = new ArrayList<>();
        Map<String, Setting> mine = byFlag(identity());
        Map<String, Setting> theirs = byFlag(other.identity());
        for (Setting s : mine.values()) {
            Setting t = theirs.get(s.flag());
            if (t == null) changes.add(s.shown() + " " + thisName + ", not given " + otherName);
            else if (!t.values().equals(s.values())) {
                changes.add(s.flag() + " " + String.join(",", s.values()) + " " + thisName + ", "
                        + (t.values().isEmpty() ? "given" : String.join(",", t.values())) + " " + otherName);
            }
        }
        for (Setting t : theirs.values()) {
            if (!mine.containsKey(t.flag())) changes.add(t.shown() + " " + otherName + ", not given " + thisName);
        }
        if (changes.isEmpty()) {
            List<String> myAxes = axes().stream().map(Setting::flag).toList();
            List<String> theirAxes = other.axes().stream().map(Setting::flag).toList();
            if (!myAxes.equals(theirAxes)) {
                changes.add("the grid's flags come in another order (" + String.join(" ", myAxes) + " " + thisName + ", "
                        + String.join(" ", theirAxes) + " " + otherName + "), which numbers the runs differently");
            }
        }
        return changes;
    }

    private static Map<String, Setting> byFlag(List<Setting> settings) {
        Map<String, Setting> map = new LinkedHashMap<>();
        for (Setting s : settings) map.put(s.flag(), s);
        return map;
    }

    /** plan.json: the settings, and for people and tools the runs with their indices and flags. */
    public String json() {
        StringWriter text = new StringWriter();
        try (JsonWriter w = new JsonWriter(text)) {
            w.setIndent("  ");
            w.beginObject();
            w.name("format").value(FORMAT);
            w.name("id").value(id());
            w.name("runs_total").value(size());
            w.name("settings").beginArray();
            for (Setting s : settings) {
                w.beginObject().name("flag").value(s.flag()).name("values").beginArray();
                for (String v : s.values()) w.value(v);
                w.endArray().endObject();
            }
            w.endArray();
            w.name("runs").beginArray();
            for (PlannedRun r : runs()) {
                w.beginObject().name("index").value(r.index()).name("name").value(r.name()).name("args").beginArray();
                for (String a : r.args()) w.value(a);
                w.endArray().endObject();
            }
            w.endArray();
            w.endObject();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return text + "\n";
    }

    /** Reads {@link #json()}'s settings back; a {@link MicrogptException} naming {@code what} if it is not a plan. */
    public static Plan parse(String json, String what) {
        try {
            JsonObject root = JsonParser.parseString(json).getAsJsonObject();
            int format = root.get("format").getAsInt();
            if (format != FORMAT) {
                throw new MicrogptException(what + " is a plan of format " + format + "; this microgpt reads format " + FORMAT);
            }
            List<Setting> settings = new ArrayList<>();
            for (JsonElement e : root.getAsJsonArray("settings")) {
                JsonObject o = e.getAsJsonObject();
                List<String> values = new ArrayList<>();
                JsonArray array = o.getAsJsonArray("values");
                for (JsonElement v : array) values.add(v.getAsString());
                settings.add(new Setting(Objects.requireNonNull(o.get("flag"), "flag").getAsString(), values));
            }
            return new Plan(settings);
        } catch (JsonParseException | IllegalStateException | NullPointerException | UnsupportedOperationException
                 | ClassCastException e) {
            throw new MicrogptException(what + " is not a sweep plan that this microgpt can read (" + e.getMessage() + ")", e);
        }
    }
}
