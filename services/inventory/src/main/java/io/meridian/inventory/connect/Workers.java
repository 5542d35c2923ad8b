package io.meridian.inventory.connect;

import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ThreadFactory;

/**
 * Platform threads for inventory's blocking work (fabric8 calls, waits on the database). Not virtual
 * threads: a virtual thread that loads a class pins its carrier while it waits, and in the packaged
 * application's class loader a few clusters connecting at once pinned both carriers of a 2-core
 * machine and deadlocked.
 */
public final class Workers {

    private Workers() {}

    public static ThreadFactory named(String prefix) {
        return Thread.ofPlatform().name(prefix, 0).daemon().factory();
    }

    public static ExecutorService pool(String prefix) {
        return Executors.newCachedThreadPool(named(prefix));
    }

    public static Thread start(String name, Runnable work) {
        return Thread.ofPlatform().name(name).daemon().start(work);
    }
}
