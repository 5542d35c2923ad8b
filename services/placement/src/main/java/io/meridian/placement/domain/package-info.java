/**
 * Placement's pure model: workloads and their policies, the fleet as placement sees it, the scheduler that turns
 * both into a decision, and the rollout and failover planner that turns a decision into what each cluster runs. No
 * Quarkus, Kafka or fabric8 here: every function takes the time and the facts it needs.
 */
package io.meridian.placement.domain;
