package io.microgpt.core.files;

import io.microgpt.core.MicrogptException;
import io.microgpt.core.Text;
import java.io.IOException;
import java.net.URLDecoder;
import java.net.URLEncoder;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.locks.ReentrantLock;

/**
 * The files that every live microgpt run of this user reads and writes, shared between processes, so that no
 * run writes a file another live run uses: a run {@linkplain #register registers} its files before its first
 * step, and is refused, with nothing changed, when a file it would write is one that another live run reads or
 * writes. Files that several processes of one job write together by design (a sweep's plan and results, which
 * each of its tasks appends to) are {@linkplain Use#SHARES shared}: those processes do not refuse each other, but
 * any other run that would write such a file is refused, and so are they when another run writes it. Files are compared as files: by device and inode after following symbolic links (so links, {@code ./x}
 * and {@code x} count as one), and for a file not there yet by its folder's device and inode and its name.
 * Reading what another run writes is allowed: every write lands whole (see {@link AtomicFile}).
 *
 * <p>One folder per user holds one entry per live run, {@code run-<pid>-<hex>.entry}: its pid and its files with
 * their identities, roles and paths. A run holds an operating-system lock on its entry for its whole life; the
 * system drops the lock when the process ends in any way, so an entry whose lock is free is a dead run's and is
 * removed by the next check. Checking and registering happen under the folder's own lock
 * ({@code registry.lock}), so two runs starting at once cannot both pass. The folder is
 * {@code $MICROGPT_RUNS_DIR}, else {@code $XDG_RUNTIME_DIR/microgpt-runs}, else
 * {@code <java.io.tmpdir>/microgpt-runs-<user>}, created readable by its owner only. Runs of other users, and
 * programs that do not register, are not seen.
 *
 * <p>Thread-safe: runs in one JVM register against each other as processes do.
 */
public final class LiveRuns {
    /** The variable that names the registry folder instead of the default. */
    public static final String FOLDER_VARIABLE = "MICROGPT_RUNS_DIR";
    private static final String ENTRY_PREFIX = "run-";
    private static final String ENTRY_SUFFIX = ".entry";
    /** Each {@link Use} as the letter that starts its line in an entry, in the order of the enum. */
    private static final String LETTERS = "RWS";
    private static final long LOCK_WAIT_MILLIS = 20_000;
    private static final SecureRandom RANDOM = new SecureRandom();
    /** Serialises this JVM's checks: the folder lock is per process, and a second lock from one JVM would throw. */
    private static final ReentrantLock IN_PROCESS = new ReentrantLock();
    /**
     * This JVM's live entries, read from memory: the check never opens them, since closing a channel to a file
     * drops every lock this process holds on it.
     */
    private static final Map<Path, List<Known>> OWN = new ConcurrentHashMap<>();

    private LiveRuns() {
    }

    /** Whether a run reads a file or writes it. */
    public enum Use {
        /** Only read (data, a checkpoint to resume or sample). */
        READS,
        /** Written (a checkpoint saved to, a report). */
        WRITES,
        /**
         * Written together with other processes that share it too (a sweep's results, appended by each of its
         * tasks): only a file another run {@link #WRITES} is a clash.
         */
        SHARES
    }

    /**
     * A file a run uses.
     *
     * @param role what it is to the user, for messages: a flag ({@code --metrics}) or a few words
     * @param path the file as given
     * @param use  read or written
     */
    public record UsedFile(String role, Path path, Use use) {
        public UsedFile {
            Objects.requireNonNull(role);
            Objects.requireNonNull(path);
            Objects.requireNonNull(use);
        }
    }

    /** A file of a registered run: its identities, and its role and path as given, for messages. */
    private record Known(Use use, Set<String> keys, String role, String path) {
    }

    /**
     * Checks that no file this run writes is used by another live run (nor a file it shares written by one), then
     * registers the run's files until the
     * returned registration is closed. A {@link MicrogptException} naming the other run's pid, the file and what
     * it is to that run otherwise; nothing of the user's is changed then.
     */
    public static Registration register(List<UsedFile> files) {
        Path folder = folder();
        List<Known> mine = new ArrayList<>();
        for (UsedFile f : files) mine.add(new Known(f.use(), keys(f.path()), f.role(), Text.shown(f.path())));
        IN_PROCESS.lock();
        try (FileChannel registry = openRegistryLock(folder); FileLock held = lockRegistry(registry, folder)) {
            for (Map.Entry<Path, List<Known>> other : OWN.entrySet()) {
                refuseClash(mine, other.getValue(), ProcessHandle.current().pid());
            }
            try (DirectoryStream<Path> entries = Files.newDirectoryStream(folder, ENTRY_PREFIX + "*" + ENTRY_SUFFIX)) {
                for (Path entry : entries) {
                    if (!OWN.containsKey(entry)) checkEntry(entry, mine);
                }
            }
            return create(folder, mine);
        } catch (IOException e) {
            throw unusable(folder, Text.reason(e));
        } finally {
            IN_PROCESS.unlock();
        }
    }

    /** A registered run; {@link #close} removes it when the run ends. One thread at a time. */
    public static final class Registration implements AutoCloseable {
        private final Path entry;
        private final FileChannel channel;
        private final FileLock lock;
        private boolean closed;

        private Registration(Path entry, FileChannel channel, FileLock lock) {
            this.entry = entry;
            this.channel = channel;
            this.lock = lock;
        }

        /** The run's entry in the registry folder. */
        public Path entry() {
            return entry;
        }

        /** Removes the run from the registry. */
        @Override
        public void close() {
            IN_PROCESS.lock();   // so that no check in this JVM opens the entry while it goes
            try {
                if (closed) return;
                closed = true;
                OWN.remove(entry);
                try {
                    Files.deleteIfExists(entry);
                } catch (IOException ignored) {
                    // its lock goes with the channel: the next check removes the file
                }
                try {
                    lock.release();
                    channel.close();
                } catch (IOException ignored) {
                    // closing releases the lock in any case
                }
            } finally {
                IN_PROCESS.unlock();
            }
        }
    }

    /** The registry folder, created private to this user if missing, checked to be a folder of this user's. */
    static Path folder() {
        String named = System.getenv(FOLDER_VARIABLE);
        String runtime = System.getenv("XDG_RUNTIME_DIR");
        Path folder = named != null && !named.isBlank() ? Path.of(named)
                : runtime != null && !runtime.isBlank() && Files.isDirectory(Path.of(runtime)) ? Path.of(runtime, "microgpt-runs")
                : Path.of(System.getProperty("java.io.tmpdir"), "microgpt-runs-" + System.getProperty("user.name"));
        folder = folder.toAbsolutePath();
        try {
            Files.createDirectory(folder, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------")));
        } catch (FileAlreadyExistsException exists) {
            // checked below
        } catch (UnsupportedOperationException notPosix) {
            try {
                Files.createDirectories(folder);
            } catch (IOException e) {
                throw unusable(folder, Text.reason(e));
            }
        } catch (IOException e) {
            throw unusable(folder, Text.reason(e));
        }
        if (!Files.isDirectory(folder, LinkOption.NOFOLLOW_LINKS)) throw unusable(folder, "it is not a folder");
        try {
            String owner = Files.getOwner(folder, LinkOption.NOFOLLOW_LINKS).getName();
            if (!owner.equals(System.getProperty("user.name"))) throw unusable(folder, "it belongs to " + Text.shown(owner));
        } catch (IOException | UnsupportedOperationException e) {
            // no owners here: nothing to check
        }
        return folder;
    }

    private static MicrogptException unusable(Path folder, String why) {
        return new MicrogptException("cannot keep track of the running microgpt runs in " + Text.shown(folder) + " (" + why
                + "); set " + FOLDER_VARIABLE + " to a folder of your own");
    }

    private static FileChannel openRegistryLock(Path folder) throws IOException {
        return FileChannel.open(folder.resolve("registry.lock"), StandardOpenOption.CREATE, StandardOpenOption.WRITE,
                LinkOption.NOFOLLOW_LINKS);
    }

    /** The folder's lock, waited for while another run checks (a fraction of a second, unless that run hangs). */
    private static FileLock lockRegistry(FileChannel channel, Path folder) throws IOException {
        long deadline = System.currentTimeMillis() + LOCK_WAIT_MILLIS;
        while (true) {
            FileLock lock = channel.tryLock();
            if (lock != null) return lock;
            if (System.currentTimeMillis() > deadline) {
                throw unusable(folder, "another run has held registry.lock for " + LOCK_WAIT_MILLIS / 1000 + " s");
            }
            try {
                Thread.sleep(10);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw unusable(folder, "interrupted while waiting for registry.lock");
            }
        }
    }

    /** Reads another process's entry if its run is alive (its lock is held), else removes the dead run's entry. */
    private static void checkEntry(Path entry, List<Known> mine) {
        List<Known> theirs;
        long pid;
        try (FileChannel channel = FileChannel.open(entry, StandardOpenOption.READ, StandardOpenOption.WRITE, LinkOption.NOFOLLOW_LINKS)) {
            FileLock lock;
            try {
                lock = channel.tryLock();
            } catch (OverlappingFileLockException ours) {
                return;   // held in this JVM, which knows its own entries: not a stranger's
            }
            if (lock != null) {
                Files.deleteIfExists(entry);   // its run is gone
                lock.release();
                return;
            }
            String text = read(channel);
            pid = pid(text);
            theirs = parse(text);
        } catch (NoSuchFileException gone) {
            return;
        } catch (IOException e) {
            return;   // not ours to read (another user's file in a shared folder): nothing to compare
        }
        refuseClash(mine, theirs, pid);
    }

    private static void refuseClash(List<Known> mine, List<Known> theirs, long pid) {
        List<Known> writtenFirst = new ArrayList<>(theirs);   // a file the other run writes is named as written
        writtenFirst.sort((a, b) -> Boolean.compare(a.use() == Use.READS, b.use() == Use.READS));
        for (Known m : mine) {
            if (m.use() == Use.READS) continue;
            for (Known t : writtenFirst) {
                if (!clash(m.use(), t.use())) continue;
                for (String key : m.keys()) {
                    if (!t.keys().contains(key)) continue;
                    throw new MicrogptException(m.role() + " " + m.path() + " is a file another microgpt run (pid " + pid + ") "
                            + (t.use() == Use.READS ? "reads" : "writes") + " as its " + t.role() + " " + t.path()
                            + ": writing it could destroy that run's work; wait for the run to end, or choose another file");
                }
            }
        }
    }

    /** Whether a file used so by this run and so by another is a clash: one writes it, and they do not both share it. */
    private static boolean clash(Use mine, Use theirs) {
        return mine == Use.WRITES || mine == Use.SHARES && theirs == Use.WRITES;
    }

    /** Makes this run's entry, locked for as long as the run lives. */
    private static Registration create(Path folder, List<Known> mine) throws IOException {
        long pid = ProcessHandle.current().pid();
        StringBuilder text = new StringBuilder("pid ").append(pid).append('\n');
        for (Known k : mine) {
            text.append(LETTERS.charAt(k.use().ordinal())).append(' ').append(encode(k.role())).append(' ').append(encode(k.path()));
            for (String key : k.keys()) text.append(' ').append(encode(key));
            text.append('\n');
        }
        Path entry = folder.resolve(ENTRY_PREFIX + pid + "-" + Long.toHexString(RANDOM.nextLong()) + ENTRY_SUFFIX);
        FileChannel channel = FileChannel.open(entry, StandardOpenOption.CREATE_NEW, StandardOpenOption.READ, StandardOpenOption.WRITE,
                LinkOption.NOFOLLOW_LINKS);
        try {
            FileLock lock = channel.lock();
            ByteBuffer bytes = ByteBuffer.wrap(text.toString().getBytes(StandardCharsets.UTF_8));
            while (bytes.hasRemaining()) channel.write(bytes);
            OWN.put(entry, List.copyOf(mine));
            return new Registration(entry, channel, lock);
        } catch (IOException | RuntimeException e) {
            channel.close();
            Files.deleteIfExists(entry);
            throw e;
        }
    }

    private static String read(FileChannel channel) throws IOException {
        long size = channel.size();
        if (size > 1 << 20) return "";   // not an entry this code writes
        ByteBuffer b = ByteBuffer.allocate((int) size);
        while (b.hasRemaining() && channel.read(b, b.position()) > 0) {
            // reads until full or the end
        }
        return new String(b.array(), 0, b.position(), StandardCharsets.UTF_8);
    }

    private static long pid(String text) {
        String first = text.lines().findFirst().orElse("");
        try {
            return first.startsWith("pid ") ? Long.parseLong(first.substring(4).trim()) : -1;
        } catch (NumberFormatException e) {
            return -1;
        }
    }

    /** The files of an entry; lines it does not understand are skipped. */
    private static List<Known> parse(String text) {
        List<Known> files = new ArrayList<>();
        for (String line : text.split("\n")) {
            String[] f = line.split(" ");
            if (f.length < 4 || f[0].length() != 1 || LETTERS.indexOf(f[0].charAt(0)) < 0) continue;
            try {
                Set<String> keys = new LinkedHashSet<>();
                for (int i = 3; i < f.length; i++) keys.add(decode(f[i]));
                files.add(new Known(Use.values()[LETTERS.indexOf(f[0].charAt(0))], keys, decode(f[1]), decode(f[2])));
            } catch (IllegalArgumentException malformed) {
                // skipped
            }
        }
        return files;
    }

    /**
     * A file's identities: {@code file DEV:INO} when it exists (links followed), and {@code name DEV:INO REST} for
     * each folder above it that exists, with the rest of the path below that folder. A file not there yet, or
     * replaced by a rename since, still has these; and a file in folders not there yet (a sweep's run folder) has
     * the one of the nearest folder that is, which the file keeps once the folders are made.
     */
    static Set<String> keys(Path path) {
        Path resolved;
        try {
            resolved = OutputFile.followLinks(path, Text.shown(path));
        } catch (MicrogptException e) {
            resolved = path.toAbsolutePath();
        }
        resolved = resolved.normalize();
        Set<String> keys = new LinkedHashSet<>();
        String file = identity(resolved);
        if (file != null) keys.add("file " + file);
        Path rest = resolved.getFileName();
        for (Path folder = resolved.getParent(); folder != null && rest != null; folder = folder.getParent()) {
            String id = identity(folder);
            if (id != null) keys.add("name " + id + " " + rest);
            rest = folder.getFileName() == null ? null : folder.getFileName().resolve(rest);
        }
        if (keys.isEmpty()) keys.add("path " + resolved);
        return keys;
    }

    /** Device and inode where the platform has them, else the real path; null when there is no such file. */
    private static String identity(Path p) {
        try {
            Map<String, Object> unix = Files.readAttributes(p, "unix:dev,ino");
            return unix.get("dev") + ":" + unix.get("ino");
        } catch (UnsupportedOperationException | IllegalArgumentException notUnix) {
            try {
                return p.toRealPath().toString();
            } catch (IOException e) {
                return null;
            }
        } catch (IOException e) {
            return null;
        }
    }

    private static String encode(String s) {
        return URLEncoder.encode(s, StandardCharsets.UTF_8);
    }

    private static String decode(String s) {
        return URLDecoder.decode(s, StandardCharsets.UTF_8);
    }
}
