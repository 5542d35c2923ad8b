/** The policy service: Fleet-wide rules in CEL, continuous audit, enforcement and remediation. */
package io.meridian.policy;
