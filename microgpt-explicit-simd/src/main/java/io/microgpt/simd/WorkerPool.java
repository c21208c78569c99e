package io.microgpt.simd;

import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.LockSupport;
import java.util.function.IntConsumer;

/**
 * A fixed set of worker threads, started once: {@link #run} hands every thread (the caller is thread 0) the
 * same task with its index and returns when all are done. Tasks are prepared once by the caller, so a step
 * allocates nothing.
 *
 * <p>Waiting (a worker for its next task, the caller for the workers) yields the core, in a loop, for up to
 * {@link #YIELD_NANOS}, and only then parks: a step's phases follow each other within microseconds, and on a
 * machine with more runnable threads than cores the thread waited for often needs the very core the waiting
 * thread holds, which a spin keeps until the scheduler takes it away (measured: docs/bench-log.md, 2026-12-06;
 * {@link WorkerPoolTimer} times it). Unless every core is busy, a yield returns at once: on an idle machine this
 * is a spin.
 */
final class WorkerPool implements AutoCloseable {
    /** How long a waiting thread yields before it parks (steps follow each other closely while training). */
    static final long YIELD_NANOS = 200_000;

    private final Thread[] workers;
    private final AtomicInteger remaining = new AtomicInteger();
    private volatile int generation;
    private volatile IntConsumer task;
    private volatile Thread waiter;
    private volatile boolean closed;
    private volatile Throwable failure;

    /** A pool of {@code threads} threads in all: the caller and threads - 1 workers. */
    WorkerPool(int threads) {
        workers = new Thread[threads - 1];
        for (int i = 0; i < workers.length; i++) {
            int index = i + 1;
            Thread t = new Thread(() -> work(index), "microgpt-simd-" + index);
            t.setDaemon(true);
            workers[i] = t;
            t.start();
        }
    }

    /** Threads, the caller included. */
    int size() {
        return workers.length + 1;
    }

    /** Workers (threads besides the caller's) still alive. */
    int liveWorkers() {
        int alive = 0;
        for (Thread w : workers) if (w.isAlive()) alive++;
        return alive;
    }

    /** Runs task(0) on this thread and task(i) on worker i; returns when every one has finished. */
    void run(IntConsumer work) {
        task = work;
        failure = null;
        waiter = Thread.currentThread();
        remaining.set(workers.length);
        generation++;   // the only writer is the caller, and only once the previous generation is done
        for (Thread w : workers) LockSupport.unpark(w);
        try {
            work.accept(0);
        } finally {
            long start = System.nanoTime();
            int waits = 0;
            while (remaining.get() > 0) {
                if ((++waits & 15) != 0 || System.nanoTime() - start < YIELD_NANOS) Thread.yield();
                else LockSupport.park(this);
            }
        }
        Throwable t = failure;
        if (t instanceof RuntimeException e) throw e;
        if (t instanceof Error e) throw e;
    }

    private void work(int index) {
        int seen = 0;
        while (true) {
            long start = System.nanoTime();
            int waits = 0;
            while (generation == seen && !closed) {
                if ((++waits & 15) != 0 || System.nanoTime() - start < YIELD_NANOS) Thread.yield();
                else LockSupport.park(this);
            }
            if (closed) return;
            seen = generation;
            try {
                task.accept(index);
            } catch (Throwable t) {
                failure = t;
            }
            if (remaining.decrementAndGet() == 0) LockSupport.unpark(waiter);
        }
    }

    /** Stops the workers and waits for them to end. */
    @Override
    public void close() {
        closed = true;
        for (Thread w : workers) LockSupport.unpark(w);
        for (Thread w : workers) {
            try {
                w.join(1_000);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
        }
    }
}
