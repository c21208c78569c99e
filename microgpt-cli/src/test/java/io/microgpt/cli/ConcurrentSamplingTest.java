package io.microgpt.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.microgpt.core.SamplingSettings;
import io.microgpt.core.TrainingRun;
import io.microgpt.core.data.Dataset;
import io.microgpt.core.data.TextStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * A trained run serves samples to several threads at once (a web handler's case), on both backends: every sample
 * is whole and valid, and with the run's seeded random stream the samples of all threads together are exactly the
 * samples one thread draws from the same run by as many calls.
 */
class ConcurrentSamplingTest {
    private static final int THREADS = 8;
    private static final int PER_THREAD = 12;

    private static TrainingRun namesRun(String backend) {
        return TrainingRun.builder(Dataset.bundledNames()).backend(backend).nEmbd(8).nHead(2).blockSize(16).steps(5)
                .seed(7).start();
    }

    /** Calls {@code task} {@link #PER_THREAD} times on each of {@link #THREADS} threads started together. */
    private static List<String> fromThreads(Callable<String> task) throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(THREADS);
        CountDownLatch start = new CountDownLatch(1);
        try {
            List<Future<List<String>>> futures = new ArrayList<>();
            for (int t = 0; t < THREADS; t++) {
                futures.add(pool.submit(() -> {
                    start.await();
                    List<String> mine = new ArrayList<>();
                    for (int i = 0; i < PER_THREAD; i++) mine.add(task.call());
                    return mine;
                }));
            }
            start.countDown();
            List<String> all = new ArrayList<>();
            for (Future<List<String>> f : futures) all.addAll(f.get(120, TimeUnit.SECONDS));
            return all;
        } finally {
            pool.shutdownNow();
        }
    }

    private static List<String> sorted(List<String> samples) {
        List<String> copy = new ArrayList<>(samples);
        Collections.sort(copy);
        return copy;
    }

    @ParameterizedTest
    @ValueSource(strings = {"scalar", "simd"})
    void threadsSamplingAtOnceGetWhatOneThreadGets(String backend) throws Exception {
        List<String> alone = new ArrayList<>();
        try (TrainingRun run = namesRun(backend)) {
            for (int i = 0; i < THREADS * PER_THREAD; i++) alone.add(run.sample(0.8));
        }
        List<String> together;
        String vocabulary;
        try (TrainingRun run = namesRun(backend)) {
            vocabulary = run.tokenizer().serialized();
            together = fromThreads(() -> run.sample(0.8));
            assertEquals(run.sample(0.8), namesRunNextAfter(backend, THREADS * PER_THREAD),
                    "the run's random stream moved by exactly the samples drawn");
        }
        for (String name : together) {
            assertTrue(name.length() <= 16, "at most the block size: " + name);
            for (char c : name.toCharArray()) assertTrue(vocabulary.indexOf(c) >= 0, "a character of the vocabulary: " + name);
        }
        assertEquals(sorted(alone), sorted(together));
    }

    /** The sample one thread draws after {@code drawn} others from a fresh run. */
    private static String namesRunNextAfter(String backend, int drawn) {
        try (TrainingRun run = namesRun(backend)) {
            for (int i = 0; i < drawn; i++) run.sample(0.8);
            return run.sample(0.8);
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"scalar", "simd"})
    void threadsGeneratingTextAtOnceGetWhatOneThreadGets(String backend) throws Exception {
        String text = Files.readString(Path.of("../examples/tinyshakespeare.txt"), StandardCharsets.UTF_8).substring(0, 4000);
        TextStream stream = TextStream.of("play", text);
        SamplingSettings settings = SamplingSettings.ofTemperature(0.8);
        List<String> alone = new ArrayList<>();
        try (TrainingRun run = TrainingRun.builder(stream).backend(backend).nEmbd(8).nHead(2).blockSize(8).steps(3).start()) {
            for (int i = 0; i < THREADS * PER_THREAD; i++) alone.add(run.generate("", 20, settings, null));
        }
        try (TrainingRun run = TrainingRun.builder(stream).backend(backend).nEmbd(8).nHead(2).blockSize(8).steps(3).start()) {
            List<String> together = fromThreads(() -> run.generate("", 20, settings, null));
            for (String passage : together) assertEquals(20, passage.codePointCount(0, passage.length()), passage);
            assertEquals(sorted(alone), sorted(together));
        }
    }
}
