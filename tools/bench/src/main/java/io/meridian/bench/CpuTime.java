package io.meridian.bench;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;

/** CPU seconds a process has used so far (user and system), to split a run's CPU between Meridian and the rest. */
final class CpuTime {

    // Linux reports utime and stime in clock ticks of USER_HZ, which is 100 on every Linux the bench runs on.
    private static final double TICKS_PER_SECOND = 100;

    private CpuTime() {}

    /** From {@code /proc/<pid>/stat}: fields 14 and 15, counted after the command name's closing parenthesis. */
    static double ofProcess(long pid) {
        try {
            String stat = Files.readString(Path.of("/proc", Long.toString(pid), "stat"));
            String[] fields = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
            // fields[0] is field 3 (state): utime is field 14, stime field 15.
            return (Long.parseLong(fields[11]) + Long.parseLong(fields[12])) / TICKS_PER_SECOND;
        } catch (IOException | RuntimeException e) {
            return Double.NaN;
        }
    }

    /** CPU seconds every process of the machine has used since boot (user, nice, system and interrupt time, all cores). */
    static double ofMachine() {
        try {
            String[] fields =
                    Files.readAllLines(Path.of("/proc/stat")).getFirst().trim().split("\\s+");
            // "cpu user nice system idle iowait irq softirq ...": the busy part without the waits.
            long busy = 0;
            for (int i : new int[] {1, 2, 3, 6, 7}) {
                busy += Long.parseLong(fields[i]);
            }
            return busy / TICKS_PER_SECOND;
        } catch (IOException | RuntimeException e) {
            return Double.NaN;
        }
    }

    /** This JVM's CPU seconds. */
    static double ofThisJvm() {
        return ManagementFactory.getPlatformMXBean(com.sun.management.OperatingSystemMXBean.class)
                        .getProcessCpuTime()
                / 1e9;
    }
}
