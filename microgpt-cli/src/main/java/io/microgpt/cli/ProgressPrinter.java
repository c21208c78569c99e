package io.microgpt.cli;

/** Shows training progress step by step. */
interface ProgressPrinter {

    /** After every step. */
    void onStep(Progress progress);

    /** After the last step: ends the progress block (a line break), before the summary and samples. */
    void finish();

    /** Prints nothing ({@code --quiet}). */
    static ProgressPrinter silent() {
        return new ProgressPrinter() {
            @Override
            public void onStep(Progress progress) {
            }

            @Override
            public void finish() {
            }
        };
    }
}
