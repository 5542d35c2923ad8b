/**
 * The loops: scraping owned clusters, evaluating alert rules, planning and delivering notifications, pruning series,
 * purging old records.
 */
package io.meridian.observability.reconcile;
