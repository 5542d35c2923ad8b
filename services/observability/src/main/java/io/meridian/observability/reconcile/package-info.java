/** The loops: scraping owned clusters, evaluating alert rules, pruning series, purging old records. */
package io.meridian.observability.reconcile;
