package io.microgpt.core;

import io.microgpt.core.files.SaveLock;
import java.nio.file.Path;

/** Another process for {@link SafeSaveTest}: takes the save lock of a file, says so, and holds it until killed. */
final class SaveLockHolder {
    private SaveLockHolder() {
    }

    public static void main(String[] args) throws InterruptedException {
        SaveLock lock = SaveLock.acquire(Path.of(args[0]));
        System.out.println("locked");
        System.out.flush();
        Thread.sleep(120_000);
        lock.close();
    }
}
