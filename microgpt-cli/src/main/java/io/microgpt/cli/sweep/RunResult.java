package io.microgpt.cli.sweep;

import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import com.google.gson.stream.JsonWriter;
import java.io.IOException;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * One finished run, as a line of {@code results.jsonl}: which run of which plan, its grid values and whole
 * command line, its size, its validation figures (last and lowest of every validation column of its metrics:
 * {@code final_val_loss}, {@code best_val_loss}, and likewise for any other {@code val_*} column such as bits
 * per character), its wall time over all attempts, and its mean computation time per sample.
 *
 * @param plan          the plan's id ({@link Plan#id()})
 * @param index         the run's index in the plan
 * @param name          its folder name
 * @param flags         its grid values, flag to value
 * @param args          its {@code train} flags
 * @param steps         steps trained
 * @param batch         documents per step
 * @param parameters    the model's parameters, -1 if unknown
 * @param finalLoss     the last step's training loss
 * @param validation    the validation figures, e.g. {@code final_val_loss}, {@code best_val_loss}
 * @param bestStep      the step of the lowest validation loss, -1 if none
 * @param wallSeconds   wall time of the run's attempts together (each from its JVM's start to its exit)
 * @param attempts      how many attempts it took (1 if never interrupted)
 * @param microsPerSample mean computation time per sample (document) in microseconds
 * @param host          the machine that finished it
 * @param finishedAt    when, as an ISO-8601 instant
 */
public record RunResult(String plan, int index, String name, Map<String, String> flags, List<String> args, int steps, int batch,
                        long parameters, double finalLoss, Map<String, Double> validation, int bestStep, double wallSeconds,
                        int attempts, double microsPerSample, String host, String finishedAt) {
    /** Copies the collections (keeping their order). */
    public RunResult {
        flags = java.util.Collections.unmodifiableMap(new LinkedHashMap<>(flags));
        args = List.copyOf(args);
        validation = java.util.Collections.unmodifiableMap(new LinkedHashMap<>(validation));
    }

    /** The last validation loss, NaN if none. */
    public double finalValidationLoss() {
        return validation.getOrDefault("final_val_loss", Double.NaN);
    }

    /** The lowest validation loss, NaN if none. */
    public double bestValidationLoss() {
        return validation.getOrDefault("best_val_loss", Double.NaN);
    }

    /** The whole line, without its newline. */
    public String jsonLine() {
        StringWriter text = new StringWriter();
        try (JsonWriter w = new JsonWriter(text)) {
            w.beginObject();
            w.name("plan").value(plan);
            w.name("index").value(index);
            w.name("run").value(name);
            w.name("flags").beginObject();
            for (Map.Entry<String, String> e : flags.entrySet()) w.name(e.getKey()).value(e.getValue());
            w.endObject();
            w.name("args").beginArray();
            for (String a : args) w.value(a);
            w.endArray();
            w.name("steps").value(steps);
            w.name("batch").value(batch);
            w.name("parameters").value(parameters);
            number(w, "final_loss", finalLoss);
            for (Map.Entry<String, Double> e : validation.entrySet()) number(w, e.getKey(), e.getValue());
            w.name("best_val_step").value(bestStep);
            number(w, "wall_seconds", wallSeconds);
            w.name("attempts").value(attempts);
            number(w, "us_per_sample", microsPerSample);
            w.name("host").value(host);
            w.name("finished_at").value(finishedAt);
            w.endObject();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return text.toString();
    }

    /** A finite number, or null (JSON has no NaN). */
    private static void number(JsonWriter w, String name, double v) throws IOException {
        w.name(name);
        if (Double.isFinite(v)) w.value(v);
        else w.nullValue();
    }

    /** Reads {@link #jsonLine()} back; an {@link IllegalArgumentException} if the line is not one. */
    public static RunResult parse(String line) {
        try {
            JsonObject o = JsonParser.parseString(line).getAsJsonObject();
            Map<String, String> flags = new LinkedHashMap<>();
            for (Map.Entry<String, JsonElement> e : o.getAsJsonObject("flags").entrySet()) flags.put(e.getKey(), e.getValue().getAsString());
            List<String> args = new ArrayList<>();
            for (JsonElement e : o.getAsJsonArray("args")) args.add(e.getAsString());
            Map<String, Double> validation = new LinkedHashMap<>();
            for (Map.Entry<String, JsonElement> e : o.entrySet()) {
                String key = e.getKey();
                if ((key.startsWith("final_val_") || key.startsWith("best_val_")) && !key.equals("best_val_step")) {
                    validation.put(key, e.getValue().isJsonNull() ? Double.NaN : e.getValue().getAsDouble());
                }
            }
            return new RunResult(o.get("plan").getAsString(), o.get("index").getAsInt(), o.get("run").getAsString(), flags, args,
                    o.get("steps").getAsInt(), o.get("batch").getAsInt(), o.get("parameters").getAsLong(), real(o, "final_loss"),
                    validation, o.get("best_val_step").getAsInt(), real(o, "wall_seconds"), o.get("attempts").getAsInt(),
                    real(o, "us_per_sample"), o.get("host").getAsString(), o.get("finished_at").getAsString());
        } catch (RuntimeException e) {
            throw new IllegalArgumentException("not a result line (" + e.getMessage() + ")", e);
        }
    }

    private static double real(JsonObject o, String name) {
        JsonElement e = o.get(name);
        return e == null || e.isJsonNull() ? Double.NaN : e.getAsDouble();
    }
}
