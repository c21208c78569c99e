package io.microgpt.cli;

/** Shows training progress step by step. */
interface ProgressPrinter {

    /** After every step. */
    void onStep(Progress progress);

    /** When training returns: ends a line left open, before the summary and any checkpoint message. */
    void finish();

    /** Just before the samples' header: what the reference prints there after this kind of progress. */
    void beforeSamples();

    /** Prints nothing ({@code --quiet}). */
    static ProgressPrinter silent() {
        return new ProgressPrinter() {
            @Override
            public void onStep(Progress progress) {
            }

            @Override
            public void finish() {
            }

            @Override
            public void beforeSamples() {
            }
        };
    }
}
