/**
 * The microgpt library: configs, tokenizers, training data, the training loop, sampling, checkpoints and the
 * {@link io.microgpt.core.spi.Backend} SPI the backends implement. No third-party dependency.
 *
 * <p>An application uses {@code io.microgpt.core} (runs, configs, checkpoints), {@code data} and
 * {@code tokenizer} (what a run trains on), {@code sampling}; a backend implements {@code spi}. The file
 * safety helpers in {@code files} are shared with the CLI only, the JSON reader in {@code json} with the benchmarks. Backends are found with {@link java.util.ServiceLoader}.
 */
@SuppressWarnings("module")   // io.microgpt.cli and .bench, targets of qualified exports, are built after this module
module io.microgpt.core {
    exports io.microgpt.core;
    exports io.microgpt.core.checkpoint;
    exports io.microgpt.core.data;
    exports io.microgpt.core.sampling;
    exports io.microgpt.core.spi;
    exports io.microgpt.core.tokenizer;
    exports io.microgpt.core.files to io.microgpt.cli;
    exports io.microgpt.core.json to io.microgpt.bench;

    uses io.microgpt.core.spi.Backend;
}
