package io.microgpt.core.data;

import io.microgpt.core.MicrogptException;
import io.microgpt.core.Text;

/**
 * Which data a run trained on, as its checkpoints record it, to check that a resumed run reads the same.
 *
 * <p>Immutable, so thread-safe.
 *
 * @param name      where it came from (a path, or {@code bundled names})
 * @param documents its {@link TrainingData#size()}: how many documents (in the stream layout: how many characters)
 * @param sha256    its {@link TrainingData#sha256()}
 */
public record DataSource(String name, int documents, String sha256) {

    /** The identity of some data. */
    public static DataSource of(TrainingData data) {
        return new DataSource(data.source(), data.size(), data.sha256());
    }

    /** Whether the data is the same (same count, same digest; its name may differ). */
    public boolean matches(TrainingData data) {
        return data.size() == documents && data.sha256().equals(sha256);
    }

    /** Throws a {@link MicrogptException} unless {@link #matches} (naming both). */
    public void check(TrainingData data) {
        if (matches(data)) return;
        String unit = data.layout().unit();
        throw new MicrogptException("the " + data.layout().noun() + " (" + Text.shown(data.source()) + ", " + data.size() + " " + unit
                + ") is not the one the run trained on (" + Text.shown(name) + ", " + documents + " " + unit + ", sha256 "
                + Text.shown(shortSha256()) + ")");
    }

    /** The digest's first 12 hex digits and {@code ...}, as messages show it. */
    public String shortSha256() {
        return sha256.length() > 12 ? sha256.substring(0, 12) + "..." : sha256;
    }
}
