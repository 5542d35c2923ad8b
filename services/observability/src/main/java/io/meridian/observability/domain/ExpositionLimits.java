package io.meridian.observability.domain;

/**
 * Caps that keep parsing one exposition linear in its size and bounded in memory, whatever the endpoint sends.
 *
 * @param maxLineBytes a longer line is skipped without being decoded
 * @param maxTokenBytes longest metric name, label name, label value or number; a longer one skips its line
 * @param maxSeries samples kept per exposition; lines past it are skipped and counted
 * @param maxLabels labels per sample; a sample with more is skipped
 * @param maxRetainedBytes estimated heap the kept samples may hold (strings, label arrays, records); past it lines
 *     are skipped, so that no input under the body cap can exhaust the heap
 * @param maxErrorChars longest problem text kept for a skipped line (the offending text is quoted only in part)
 * @param maxProblems how many problem texts an exposition keeps; the rest are only counted
 */
public record ExpositionLimits(
        int maxLineBytes,
        int maxTokenBytes,
        int maxSeries,
        int maxLabels,
        long maxRetainedBytes,
        int maxErrorChars,
        int maxProblems) {

    /** The defaults documented in README and in the scrape settings. */
    public static final ExpositionLimits DEFAULTS =
            new ExpositionLimits(65_536, 16_384, 100_000, 64, 64L * 1024 * 1024, 200, 10);

    public ExpositionLimits {
        if (maxLineBytes < 16 || maxTokenBytes < 16 || maxSeries < 1 || maxLabels < 1 || maxRetainedBytes < 1024) {
            throw new IllegalArgumentException("exposition limits too small: " + maxLineBytes + "/" + maxTokenBytes
                    + "/" + maxSeries + "/" + maxLabels + "/" + maxRetainedBytes);
        }
        if (maxErrorChars < 40 || maxProblems < 0) {
            throw new IllegalArgumentException("error limits too small: " + maxErrorChars + "/" + maxProblems);
        }
    }
}
