/**
 * Benchmarks that drive the simulated fleet and the packaged services on an isolated local stack and
 * print stable tables (p50/p99 latencies, throughput, RSS), for the figures the issues ask for.
 */
package io.meridian.bench;
