package io.microgpt.cli;

import io.microgpt.core.Checkpoint;
import io.microgpt.core.MicrogptException;
import io.microgpt.core.ModelConfig;
import io.microgpt.core.RunHistory;
import io.microgpt.core.Text;
import io.microgpt.core.TrainingConfig;
import io.microgpt.core.TrainingControls;
import io.microgpt.core.checkpoint.SafetensorsFile;
import io.microgpt.core.data.DataLayout;
import io.microgpt.core.tokenizer.BpeTokenizer;
import io.microgpt.core.tokenizer.CharTokenizer;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code microgpt info FILE}: what a checkpoint holds. */
@Command(name = "info", mixinStandardHelpOptions = true,
        description = "Show a checkpoint's model config, vocabulary, training progress, parameter count and tensors.")
final class InfoCommand implements Callable<Integer> {
    @Spec
    private CommandSpec spec;

    @Parameters(index = "0", paramLabel = "FILE", description = "a checkpoint saved by 'train --save'")
    private Path file;

    @Option(names = "--export-tokenizer", paramLabel = "OUT.json",
            description = "also write the checkpoint's tokenizer (a byte-level BPE) as a tokenizer.json, for Python's"
                    + " tokenizers beside the safetensors weights")
    private Path exportTokenizer;

    @Override
    public Integer call() throws Exception {
        PrintWriter out = spec.commandLine().getOut();
        Checkpoint c = Checkpoint.read(file);
        if (exportTokenizer != null && !(c.tokenizer() instanceof BpeTokenizer)) {
            throw new MicrogptException("--export-tokenizer: " + Text.shown(file) + " was trained with the "
                    + Text.shown(c.tokenizer().kind()) + " tokenizer, which has no tokenizer.json form (a byte-level BPE has:"
                    + " train with --tokenizer bpe)");
        }
        ModelConfig m = c.modelConfig();
        TrainingConfig t = c.trainingConfig();
        // everything a file says is shown escaped: a forged name must not reach the terminal as a control sequence
        out.println("file: " + Text.shown(file) + " (" + count(Files.size(file)) + " bytes, safetensors, microgpt format "
                + c.formatVersion() + ", written by the " + Text.shown(c.backend()) + " backend)");
        out.println("model: vocab_size " + m.vocabSize() + ", n_embd " + m.nEmbd() + ", n_head " + m.nHead() + ", n_layer "
                + m.nLayer() + ", block_size " + m.blockSize() + ", init_std " + m.initStd());
        out.println("parameters: " + count(c.parameters().size()));
        out.println("vocabulary: " + (c.tokenizer() instanceof CharTokenizer chars
                ? (m.vocabSize() - 1) + " characters + BOS: " + quoted(chars.symbols())
                : c.tokenizer() instanceof BpeTokenizer bpe
                ? String.format(Locale.ROOT, "byte-level BPE, %,d tokens + BOS (%,d merges, %s; 'microgpt tokenizer info"
                        + " --model FILE' shows more)", bpe.learnedSize(), bpe.mergeCount(),
                        bpe.splitsWords() ? "GPT-2 pattern" : "no pattern")
                : m.vocabSize() + " tokens (" + Text.shown(c.tokenizer().kind()) + " tokenizer)"));
        out.println("training: step " + c.stepsDone() + " / " + t.steps() + ", batch " + t.batchSize() + ", lr " + t.learningRate()
                + ", betas " + t.beta1() + " / " + t.beta2() + ", eps " + t.eps() + ", seed " + t.seed()
                + (c.validationFraction() > 0 ? ", validation fraction " + c.validationFraction() : ""));
        TrainingControls controls = t.controls();
        if (!controls.isNone()) {
            out.println("controls: warm-up " + controls.warmupSteps() + ", " + controls.schedule().flag() + " to min lr "
                    + controls.minLearningRate() + ", weight decay " + controls.weightDecay() + ", grad clip " + controls.gradClip());
        }
        RunHistory h = c.history();
        out.println("loss history: " + (h.size() == 0 ? "none" : "steps " + h.firstStep() + ".." + h.lastStep()
                + ", last loss " + PythonFormat.fixed(h.loss(h.size() - 1), 4)) + ", " + h.validationSize() + " validation loss"
                + (h.validationSize() == 1 ? "" : "es") + (h.validationSize() == 0 ? ""
                : ", last " + PythonFormat.fixed(h.validationLoss(h.validationSize() - 1), 4) + " at step "
                + h.validationStep(h.validationSize() - 1)));
        DataLayout layout = c.layout();
        out.println("data: " + Text.shown(c.data().name()) + " (" + (layout == DataLayout.LINES ? "" : layout.flag() + " layout, ")
                + count(c.data().documents()) + " " + layout.unit() + ", sha256 "
                + c.data().sha256().substring(0, Math.min(16, c.data().sha256().length())) + "...)");
        out.println("training state: " + (c.trainingState().isPresent()
                ? "Adam moments and random state (resume with: microgpt train --resume " + Text.shown(file) + ")"
                : "none (weights only: can be sampled, not resumed)"));
        out.println("tensors:");
        int width = 4;
        for (SafetensorsFile.Tensor tensor : c.tensors()) width = Math.max(width, Text.shown(tensor.name()).length());
        out.println(String.format("  %-" + width + "s  %-5s  %-10s  %10s  %s", "name", "dtype", "shape", "elements", "bytes"));
        for (SafetensorsFile.Tensor tensor : c.tensors()) {
            out.println(String.format("  %-" + width + "s  %-5s  %-10s  %10d  %d..%d", Text.shown(tensor.name()), tensor.dtype(),
                    tensor.shape(), tensor.elements(), tensor.begin(), tensor.end()));
        }
        if (exportTokenizer != null) {
            ((BpeTokenizer) c.tokenizer()).write(exportTokenizer);
            out.println("wrote the tokenizer to " + Text.shown(exportTokenizer));
        }
        out.flush();
        return 0;
    }

    private static String count(long n) {
        return String.format(Locale.ROOT, "%,d", n);
    }

    /** Text in double quotes, with quotes, backslashes and invisible characters escaped. */
    static String quoted(String s) {
        StringBuilder sb = new StringBuilder("\"");
        s.codePoints().forEach(cp -> {
            if (cp == '"' || cp == '\\') sb.append('\\').appendCodePoint(cp);
            else if (Character.isISOControl(cp) || (Character.isWhitespace(cp) && cp != ' ') || !Character.isDefined(cp)
                    || Character.getType(cp) == Character.FORMAT) {   // e.g. U+FEFF, a byte order mark kept in the data
                sb.append(String.format(cp > 0xffff ? "\\U%08x" : "\\u%04x", cp));
            } else {
                sb.appendCodePoint(cp);
            }
        });
        return sb.append('"').toString();
    }
}
